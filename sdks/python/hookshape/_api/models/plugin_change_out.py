from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime






T = TypeVar("T", bound="PluginChangeOut")



@_attrs_define
class PluginChangeOut:
    """ One change of a subscription's plugin.

        Attributes:
            action (str): `candidate`, `stop`, `promote`, `rollback` or `update` (changed with PATCH).
            at (datetime.datetime):
            other_plugin_id (Union[None, Unset, str]): The candidate (for `candidate` and `stop`), or the plugin it
                replaced.
            plugin_id (Union[None, Unset, str]): The current plugin after the change.
     """

    action: str
    at: datetime.datetime
    other_plugin_id: Union[None, Unset, str] = UNSET
    plugin_id: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        action = self.action

        at = self.at.isoformat()

        other_plugin_id: Union[None, Unset, str]
        if isinstance(self.other_plugin_id, Unset):
            other_plugin_id = UNSET
        else:
            other_plugin_id = self.other_plugin_id

        plugin_id: Union[None, Unset, str]
        if isinstance(self.plugin_id, Unset):
            plugin_id = UNSET
        else:
            plugin_id = self.plugin_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "at": at,
        })
        if other_plugin_id is not UNSET:
            field_dict["otherPluginId"] = other_plugin_id
        if plugin_id is not UNSET:
            field_dict["pluginId"] = plugin_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        at = isoparse(d.pop("at"))




        def _parse_other_plugin_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        other_plugin_id = _parse_other_plugin_id(d.pop("otherPluginId", UNSET))


        def _parse_plugin_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        plugin_id = _parse_plugin_id(d.pop("pluginId", UNSET))


        plugin_change_out = cls(
            action=action,
            at=at,
            other_plugin_id=other_plugin_id,
            plugin_id=plugin_id,
        )


        plugin_change_out.additional_properties = d
        return plugin_change_out

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
