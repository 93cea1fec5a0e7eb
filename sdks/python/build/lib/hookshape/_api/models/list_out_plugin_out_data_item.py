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






T = TypeVar("T", bound="ListOutPluginOutDataItem")



@_attrs_define
class ListOutPluginOutDataItem:
    """ 
        Attributes:
            builtin (bool): A transform that comes with the server (`builtin:{name}`), usable by every workspace;
                its code is the subscription's config.
            created (datetime.datetime):
            id (str): sha256 of the wasm bytes, hex.
            size (int):
            world (str):
            name (Union[None, Unset, str]): The name given at upload (`?name=`), if any.
     """

    builtin: bool
    created: datetime.datetime
    id: str
    size: int
    world: str
    name: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        builtin = self.builtin

        created = self.created.isoformat()

        id = self.id

        size = self.size

        world = self.world

        name: Union[None, Unset, str]
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "builtin": builtin,
            "created": created,
            "id": id,
            "size": size,
            "world": world,
        })
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        builtin = d.pop("builtin")

        created = isoparse(d.pop("created"))




        id = d.pop("id")

        size = d.pop("size")

        world = d.pop("world")

        def _parse_name(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        name = _parse_name(d.pop("name", UNSET))


        list_out_plugin_out_data_item = cls(
            builtin=builtin,
            created=created,
            id=id,
            size=size,
            world=world,
            name=name,
        )


        list_out_plugin_out_data_item.additional_properties = d
        return list_out_plugin_out_data_item

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
