from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="RotateIn")



@_attrs_define
class RotateIn:
    """ 
        Attributes:
            overlap_seconds (Union[None, Unset, int]): How long the old secret keeps signing; the server default (24 h) when
                absent.
            secret (Union[None, Unset, str]): The new secret; generated when absent.
     """

    overlap_seconds: Union[None, Unset, int] = UNSET
    secret: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        overlap_seconds: Union[None, Unset, int]
        if isinstance(self.overlap_seconds, Unset):
            overlap_seconds = UNSET
        else:
            overlap_seconds = self.overlap_seconds

        secret: Union[None, Unset, str]
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if overlap_seconds is not UNSET:
            field_dict["overlapSeconds"] = overlap_seconds
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_overlap_seconds(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        overlap_seconds = _parse_overlap_seconds(d.pop("overlapSeconds", UNSET))


        def _parse_secret(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        secret = _parse_secret(d.pop("secret", UNSET))


        rotate_in = cls(
            overlap_seconds=overlap_seconds,
            secret=secret,
        )

        return rotate_in

