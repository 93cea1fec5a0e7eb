from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from dateutil.parser import isoparse
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.plugin_ref_io import PluginRefIo





T = TypeVar("T", bound="CandidateOut")



@_attrs_define
class CandidateOut:
    """ A subscription's candidate plugin.

        Attributes:
            percent (int): The share of events sent with the candidate's output (0: none, shadow only).
            plugin (PluginRefIo):
            started (datetime.datetime):
     """

    percent: int
    plugin: 'PluginRefIo'
    started: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.plugin_ref_io import PluginRefIo
        percent = self.percent

        plugin = self.plugin.to_dict()

        started = self.started.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "percent": percent,
            "plugin": plugin,
            "started": started,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plugin_ref_io import PluginRefIo
        d = dict(src_dict)
        percent = d.pop("percent")

        plugin = PluginRefIo.from_dict(d.pop("plugin"))




        started = isoparse(d.pop("started"))




        candidate_out = cls(
            percent=percent,
            plugin=plugin,
            started=started,
        )


        candidate_out.additional_properties = d
        return candidate_out

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
