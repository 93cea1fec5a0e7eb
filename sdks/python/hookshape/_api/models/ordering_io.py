from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="OrderingIo")



@_attrs_define
class OrderingIo:
    """ Ordered delivery: deliveries with the same key reach the endpoint one at a time, in
    publish order; a failing one holds back its key only.

        Attributes:
            key (str): The key's dotted path in the event: `object.id`, `object.account.id`, `tenant`. Example: object.id.
     """

    key: str





    def to_dict(self) -> dict[str, Any]:
        key = self.key


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "key": key,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        ordering_io = cls(
            key=key,
        )

        return ordering_io

