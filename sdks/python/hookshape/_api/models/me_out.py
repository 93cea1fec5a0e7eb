from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capability_io import CapabilityIo
from ..models.role_io import RoleIo
from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime

if TYPE_CHECKING:
  from ..models.branding_io import BrandingIo





T = TypeVar("T", bound="MeOut")



@_attrs_define
class MeOut:
    """ Who the caller is.

        Attributes:
            branding (BrandingIo): The portal's look: the SaaS's name, a logo (`https://` or `data:image/…;base64,`, at most
                64 KiB) and an accent colour (`#rrggbb`). Each field is optional.
            capabilities (list[CapabilityIo]): What it may do in the portal: a session's capabilities, or all its role
                allows.
            role (RoleIo):
            workspace (str): The workspace it acts in (its own, or `default`).
            expires_at (Union[None, Unset, datetime.datetime]):
            session_id (Union[None, Unset, str]):
     """

    branding: 'BrandingIo'
    capabilities: list[CapabilityIo]
    role: RoleIo
    workspace: str
    expires_at: Union[None, Unset, datetime.datetime] = UNSET
    session_id: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.branding_io import BrandingIo
        branding = self.branding.to_dict()

        capabilities = []
        for capabilities_item_data in self.capabilities:
            capabilities_item = capabilities_item_data.value
            capabilities.append(capabilities_item)



        role = self.role.value

        workspace = self.workspace

        expires_at: Union[None, Unset, str]
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        session_id: Union[None, Unset, str]
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "branding": branding,
            "capabilities": capabilities,
            "role": role,
            "workspace": workspace,
        })
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branding_io import BrandingIo
        d = dict(src_dict)
        branding = BrandingIo.from_dict(d.pop("branding"))




        capabilities = []
        _capabilities = d.pop("capabilities")
        for capabilities_item_data in (_capabilities):
            capabilities_item = CapabilityIo(capabilities_item_data)



            capabilities.append(capabilities_item)


        role = RoleIo(d.pop("role"))




        workspace = d.pop("workspace")

        def _parse_expires_at(data: object) -> Union[None, Unset, datetime.datetime]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = isoparse(data)



                return expires_at_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, datetime.datetime], data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))


        def _parse_session_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        session_id = _parse_session_id(d.pop("sessionId", UNSET))


        me_out = cls(
            branding=branding,
            capabilities=capabilities,
            role=role,
            workspace=workspace,
            expires_at=expires_at,
            session_id=session_id,
        )


        me_out.additional_properties = d
        return me_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
