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
  from ..models.event_type_out_example_type_0 import EventTypeOutExampleType0
  from ..models.event_type_out_schema_type_0 import EventTypeOutSchemaType0





T = TypeVar("T", bound="EventTypeOut")



@_attrs_define
class EventTypeOut:
    """ 
        Attributes:
            created_at (str):
            deprecated (bool):
            description (str):
            global_ (bool): Whether the entry is global (an operator's, for every workspace).
            name (str):
            snapshot (bool): Whether hookshape keeps the last published object of this type.
            updated_at (str):
            example (Union['EventTypeOutExampleType0', None, Unset]):
            schema (Union['EventTypeOutSchemaType0', None, Unset]):
            snapshot_key (Union[None, Unset, str]):
     """

    created_at: str
    deprecated: bool
    description: str
    global_: bool
    name: str
    snapshot: bool
    updated_at: str
    example: Union['EventTypeOutExampleType0', None, Unset] = UNSET
    schema: Union['EventTypeOutSchemaType0', None, Unset] = UNSET
    snapshot_key: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_type_out_example_type_0 import EventTypeOutExampleType0
        from ..models.event_type_out_schema_type_0 import EventTypeOutSchemaType0
        created_at = self.created_at

        deprecated = self.deprecated

        description = self.description

        global_ = self.global_

        name = self.name

        snapshot = self.snapshot

        updated_at = self.updated_at

        example: Union[None, Unset, dict[str, Any]]
        if isinstance(self.example, Unset):
            example = UNSET
        elif isinstance(self.example, EventTypeOutExampleType0):
            example = self.example.to_dict()
        else:
            example = self.example

        schema: Union[None, Unset, dict[str, Any]]
        if isinstance(self.schema, Unset):
            schema = UNSET
        elif isinstance(self.schema, EventTypeOutSchemaType0):
            schema = self.schema.to_dict()
        else:
            schema = self.schema

        snapshot_key: Union[None, Unset, str]
        if isinstance(self.snapshot_key, Unset):
            snapshot_key = UNSET
        else:
            snapshot_key = self.snapshot_key


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "deprecated": deprecated,
            "description": description,
            "global": global_,
            "name": name,
            "snapshot": snapshot,
            "updatedAt": updated_at,
        })
        if example is not UNSET:
            field_dict["example"] = example
        if schema is not UNSET:
            field_dict["schema"] = schema
        if snapshot_key is not UNSET:
            field_dict["snapshotKey"] = snapshot_key

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_type_out_example_type_0 import EventTypeOutExampleType0
        from ..models.event_type_out_schema_type_0 import EventTypeOutSchemaType0
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        deprecated = d.pop("deprecated")

        description = d.pop("description")

        global_ = d.pop("global")

        name = d.pop("name")

        snapshot = d.pop("snapshot")

        updated_at = d.pop("updatedAt")

        def _parse_example(data: object) -> Union['EventTypeOutExampleType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                example_type_0 = EventTypeOutExampleType0.from_dict(data)



                return example_type_0
            except: # noqa: E722
                pass
            return cast(Union['EventTypeOutExampleType0', None, Unset], data)

        example = _parse_example(d.pop("example", UNSET))


        def _parse_schema(data: object) -> Union['EventTypeOutSchemaType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schema_type_0 = EventTypeOutSchemaType0.from_dict(data)



                return schema_type_0
            except: # noqa: E722
                pass
            return cast(Union['EventTypeOutSchemaType0', None, Unset], data)

        schema = _parse_schema(d.pop("schema", UNSET))


        def _parse_snapshot_key(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        snapshot_key = _parse_snapshot_key(d.pop("snapshotKey", UNSET))


        event_type_out = cls(
            created_at=created_at,
            deprecated=deprecated,
            description=description,
            global_=global_,
            name=name,
            snapshot=snapshot,
            updated_at=updated_at,
            example=example,
            schema=schema,
            snapshot_key=snapshot_key,
        )


        event_type_out.additional_properties = d
        return event_type_out

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
