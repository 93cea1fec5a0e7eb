from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Union

if TYPE_CHECKING:
  from ..models.plugin_ref_io import PluginRefIo





T = TypeVar("T", bound="CandidateIn")



@_attrs_define
class CandidateIn:
    """ A candidate to try.

        Attributes:
            plugin (PluginRefIo):
            percent (Union[Unset, int]): The share of events (0 to 100) sent with the candidate's output instead of the
                current
                one's: a canary. 0 (the default) only compares.
     """

    plugin: 'PluginRefIo'
    percent: Union[Unset, int] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.plugin_ref_io import PluginRefIo
        plugin = self.plugin.to_dict()

        percent = self.percent


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "plugin": plugin,
        })
        if percent is not UNSET:
            field_dict["percent"] = percent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plugin_ref_io import PluginRefIo
        d = dict(src_dict)
        plugin = PluginRefIo.from_dict(d.pop("plugin"))




        percent = d.pop("percent", UNSET)

        candidate_in = cls(
            plugin=plugin,
            percent=percent,
        )

        return candidate_in

