from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union

if TYPE_CHECKING:
  from ..models.limits_io import LimitsIo





T = TypeVar("T", bound="PluginRefIo")



@_attrs_define
class PluginRefIo:
    """ 
        Attributes:
            id (str): The plugin id returned by `POST /v1/plugins`.
            config (Union[Unset, Any]): The plugin's config (passed to its `configure`); `{}` when absent.
            limits (Union['LimitsIo', None, Unset]):
     """

    id: str
    config: Union[Unset, Any] = UNSET
    limits: Union['LimitsIo', None, Unset] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.limits_io import LimitsIo
        id = self.id

        config = self.config

        limits: Union[None, Unset, dict[str, Any]]
        if isinstance(self.limits, Unset):
            limits = UNSET
        elif isinstance(self.limits, LimitsIo):
            limits = self.limits.to_dict()
        else:
            limits = self.limits


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
        })
        if config is not UNSET:
            field_dict["config"] = config
        if limits is not UNSET:
            field_dict["limits"] = limits

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limits_io import LimitsIo
        d = dict(src_dict)
        id = d.pop("id")

        config = d.pop("config", UNSET)

        def _parse_limits(data: object) -> Union['LimitsIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                limits_type_1 = LimitsIo.from_dict(data)



                return limits_type_1
            except: # noqa: E722
                pass
            return cast(Union['LimitsIo', None, Unset], data)

        limits = _parse_limits(d.pop("limits", UNSET))


        plugin_ref_io = cls(
            id=id,
            config=config,
            limits=limits,
        )

        return plugin_ref_io

