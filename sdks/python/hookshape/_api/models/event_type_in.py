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
  from ..models.event_type_in_schema_type_0 import EventTypeInSchemaType0
  from ..models.event_type_in_example_type_0 import EventTypeInExampleType0





T = TypeVar("T", bound="EventTypeIn")



@_attrs_define
class EventTypeIn:
    """ A new catalog entry.

        Attributes:
            name (str): `resource.operation` or `resource.subresource.operation`. Example: member.updated.
            deprecated (Union[Unset, bool]):
            description (Union[Unset, str]):
            example (Union['EventTypeInExampleType0', None, Unset]): An example object, shown to integrators (checked
                against the schema).
            schema (Union['EventTypeInSchemaType0', None, Unset]): JSON Schema that published objects of this type must
                match.
            snapshot (Union[Unset, bool]): Keep the last published object of this type, so that an update published without
                `previous` gets it from hookshape.
            snapshot_key (Union[None, Unset, str]): Where the object's id is, a dotted path [default: `id`, else `_id`].
                Example: account.id.
     """

    name: str
    deprecated: Union[Unset, bool] = UNSET
    description: Union[Unset, str] = UNSET
    example: Union['EventTypeInExampleType0', None, Unset] = UNSET
    schema: Union['EventTypeInSchemaType0', None, Unset] = UNSET
    snapshot: Union[Unset, bool] = UNSET
    snapshot_key: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_type_in_schema_type_0 import EventTypeInSchemaType0
        from ..models.event_type_in_example_type_0 import EventTypeInExampleType0
        name = self.name

        deprecated = self.deprecated

        description = self.description

        example: Union[None, Unset, dict[str, Any]]
        if isinstance(self.example, Unset):
            example = UNSET
        elif isinstance(self.example, EventTypeInExampleType0):
            example = self.example.to_dict()
        else:
            example = self.example

        schema: Union[None, Unset, dict[str, Any]]
        if isinstance(self.schema, Unset):
            schema = UNSET
        elif isinstance(self.schema, EventTypeInSchemaType0):
            schema = self.schema.to_dict()
        else:
            schema = self.schema

        snapshot = self.snapshot

        snapshot_key: Union[None, Unset, str]
        if isinstance(self.snapshot_key, Unset):
            snapshot_key = UNSET
        else:
            snapshot_key = self.snapshot_key


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if deprecated is not UNSET:
            field_dict["deprecated"] = deprecated
        if description is not UNSET:
            field_dict["description"] = description
        if example is not UNSET:
            field_dict["example"] = example
        if schema is not UNSET:
            field_dict["schema"] = schema
        if snapshot is not UNSET:
            field_dict["snapshot"] = snapshot
        if snapshot_key is not UNSET:
            field_dict["snapshotKey"] = snapshot_key

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_type_in_schema_type_0 import EventTypeInSchemaType0
        from ..models.event_type_in_example_type_0 import EventTypeInExampleType0
        d = dict(src_dict)
        name = d.pop("name")

        deprecated = d.pop("deprecated", UNSET)

        description = d.pop("description", UNSET)

        def _parse_example(data: object) -> Union['EventTypeInExampleType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                example_type_0 = EventTypeInExampleType0.from_dict(data)



                return example_type_0
            except: # noqa: E722
                pass
            return cast(Union['EventTypeInExampleType0', None, Unset], data)

        example = _parse_example(d.pop("example", UNSET))


        def _parse_schema(data: object) -> Union['EventTypeInSchemaType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schema_type_0 = EventTypeInSchemaType0.from_dict(data)



                return schema_type_0
            except: # noqa: E722
                pass
            return cast(Union['EventTypeInSchemaType0', None, Unset], data)

        schema = _parse_schema(d.pop("schema", UNSET))


        snapshot = d.pop("snapshot", UNSET)

        def _parse_snapshot_key(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        snapshot_key = _parse_snapshot_key(d.pop("snapshotKey", UNSET))


        event_type_in = cls(
            name=name,
            deprecated=deprecated,
            description=description,
            example=example,
            schema=schema,
            snapshot=snapshot,
            snapshot_key=snapshot_key,
        )

        return event_type_in

