from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="BrandingIo")



@_attrs_define
class BrandingIo:
    """ The portal's look: the SaaS's name, a logo (`https://` or `data:image/…;base64,`, at most
    64 KiB) and an accent colour (`#rrggbb`). Each field is optional.

        Attributes:
            accent (Union[None, Unset, str]):  Example: #0a7d55.
            logo (Union[None, Unset, str]):
            name (Union[None, Unset, str]):  Example: Acme Cloud.
     """

    accent: Union[None, Unset, str] = UNSET
    logo: Union[None, Unset, str] = UNSET
    name: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        accent: Union[None, Unset, str]
        if isinstance(self.accent, Unset):
            accent = UNSET
        else:
            accent = self.accent

        logo: Union[None, Unset, str]
        if isinstance(self.logo, Unset):
            logo = UNSET
        else:
            logo = self.logo

        name: Union[None, Unset, str]
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if accent is not UNSET:
            field_dict["accent"] = accent
        if logo is not UNSET:
            field_dict["logo"] = logo
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_accent(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        accent = _parse_accent(d.pop("accent", UNSET))


        def _parse_logo(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        logo = _parse_logo(d.pop("logo", UNSET))


        def _parse_name(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        name = _parse_name(d.pop("name", UNSET))


        branding_io = cls(
            accent=accent,
            logo=logo,
            name=name,
        )

        return branding_io

