from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capability_io import CapabilityIo
from ..types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="PortalLinkIn")



@_attrs_define
class PortalLinkIn:
    """ A request for a portal link.

        Attributes:
            capabilities (Union[None, Unset, list[CapabilityIo]]): What the session may do; all when absent. `view` is
                always included.
            expires_in (Union[None, Unset, int]): Seconds the link works, 1 to 604800 (7 days); default 3600.
            session_id (Union[None, Unset, str]): Your own id for the session (e.g. your user's), to end it with `expire-
                all`.
     """

    capabilities: Union[None, Unset, list[CapabilityIo]] = UNSET
    expires_in: Union[None, Unset, int] = UNSET
    session_id: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        capabilities: Union[None, Unset, list[str]]
        if isinstance(self.capabilities, Unset):
            capabilities = UNSET
        elif isinstance(self.capabilities, list):
            capabilities = []
            for capabilities_type_0_item_data in self.capabilities:
                capabilities_type_0_item = capabilities_type_0_item_data.value
                capabilities.append(capabilities_type_0_item)


        else:
            capabilities = self.capabilities

        expires_in: Union[None, Unset, int]
        if isinstance(self.expires_in, Unset):
            expires_in = UNSET
        else:
            expires_in = self.expires_in

        session_id: Union[None, Unset, str]
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if capabilities is not UNSET:
            field_dict["capabilities"] = capabilities
        if expires_in is not UNSET:
            field_dict["expiresIn"] = expires_in
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_capabilities(data: object) -> Union[None, Unset, list[CapabilityIo]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                capabilities_type_0 = []
                _capabilities_type_0 = data
                for capabilities_type_0_item_data in (_capabilities_type_0):
                    capabilities_type_0_item = CapabilityIo(capabilities_type_0_item_data)



                    capabilities_type_0.append(capabilities_type_0_item)

                return capabilities_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, list[CapabilityIo]], data)

        capabilities = _parse_capabilities(d.pop("capabilities", UNSET))


        def _parse_expires_in(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        expires_in = _parse_expires_in(d.pop("expiresIn", UNSET))


        def _parse_session_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        session_id = _parse_session_id(d.pop("sessionId", UNSET))


        portal_link_in = cls(
            capabilities=capabilities,
            expires_in=expires_in,
            session_id=session_id,
        )

        return portal_link_in

