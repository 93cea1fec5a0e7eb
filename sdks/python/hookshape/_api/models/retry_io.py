from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RetryIo")



@_attrs_define
class RetryIo:
    """ A subscription's own retry schedule, for receivers that want retries their way (or none).

        Attributes:
            schedule (list[str]): The delay before each retry, e.g. `["10s", "1m", "10m"]` (at most 20, each at most
                a week); `[]` never retries: a failed attempt fails the delivery.
     """

    schedule: list[str]





    def to_dict(self) -> dict[str, Any]:
        schedule = self.schedule




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "schedule": schedule,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        schedule = cast(list[str], d.pop("schedule"))


        retry_io = cls(
            schedule=schedule,
        )

        return retry_io

