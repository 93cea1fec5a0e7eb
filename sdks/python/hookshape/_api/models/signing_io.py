from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.scheme_io import SchemeIo
from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="SigningIo")



@_attrs_define
class SigningIo:
    """ How requests are signed: `standard-webhooks` (default), `hex-hmac` (header default
    `X-Hookshape-Hmac`; Famly uses `X-Famly-Hmac`), `timestamped-hmac` (header default
    `officernd-signature`) or `body-signature` (Firm App: `{"payload", "signature"}`).

        Attributes:
            scheme (SchemeIo):
            header (Union[None, Unset, str]):
     """

    scheme: SchemeIo
    header: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme.value

        header: Union[None, Unset, str]
        if isinstance(self.header, Unset):
            header = UNSET
        else:
            header = self.header


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "scheme": scheme,
        })
        if header is not UNSET:
            field_dict["header"] = header

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = SchemeIo(d.pop("scheme"))




        def _parse_header(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        header = _parse_header(d.pop("header", UNSET))


        signing_io = cls(
            scheme=scheme,
            header=header,
        )

        return signing_io

