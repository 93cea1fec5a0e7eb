from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capability_io import CapabilityIo
from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime






T = TypeVar("T", bound="PortalLinkOut")



@_attrs_define
class PortalLinkOut:
    """ 
        Attributes:
            capabilities (list[CapabilityIo]):
            expires_at (datetime.datetime):
            token (str): The session token itself (a bearer token for the API, limited to the capabilities).
            url (str): Open it, or embed it in an iframe: the token travels in the fragment, never to logs.
            session_id (Union[None, Unset, str]):
     """

    capabilities: list[CapabilityIo]
    expires_at: datetime.datetime
    token: str
    url: str
    session_id: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        capabilities = []
        for capabilities_item_data in self.capabilities:
            capabilities_item = capabilities_item_data.value
            capabilities.append(capabilities_item)



        expires_at = self.expires_at.isoformat()

        token = self.token

        url = self.url

        session_id: Union[None, Unset, str]
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capabilities": capabilities,
            "expiresAt": expires_at,
            "token": token,
            "url": url,
        })
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        capabilities = []
        _capabilities = d.pop("capabilities")
        for capabilities_item_data in (_capabilities):
            capabilities_item = CapabilityIo(capabilities_item_data)



            capabilities.append(capabilities_item)


        expires_at = isoparse(d.pop("expiresAt"))




        token = d.pop("token")

        url = d.pop("url")

        def _parse_session_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        session_id = _parse_session_id(d.pop("sessionId", UNSET))


        portal_link_out = cls(
            capabilities=capabilities,
            expires_at=expires_at,
            token=token,
            url=url,
            session_id=session_id,
        )


        portal_link_out.additional_properties = d
        return portal_link_out

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
