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
  from ..models.event_type_patch_example_type_0 import EventTypePatchExampleType0
  from ..models.event_type_patch_schema_type_0 import EventTypePatchSchemaType0





T = TypeVar("T", bound="EventTypePatch")



@_attrs_define
class EventTypePatch:
    """ Changes to a catalog entry; a field left out stays, `null` removes a schema or example.

        Attributes:
            deprecated (Union[None, Unset, bool]):
            description (Union[None, Unset, str]):
            example (Union['EventTypePatchExampleType0', None, Unset]):
            schema (Union['EventTypePatchSchemaType0', None, Unset]):
            snapshot (Union[None, Unset, bool]):
            snapshot_key (Union[None, Unset, str]):
     """

    deprecated: Union[None, Unset, bool] = UNSET
    description: Union[None, Unset, str] = UNSET
    example: Union['EventTypePatchExampleType0', None, Unset] = UNSET
    schema: Union['EventTypePatchSchemaType0', None, Unset] = UNSET
    snapshot: Union[None, Unset, bool] = UNSET
    snapshot_key: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_type_patch_example_type_0 import EventTypePatchExampleType0
        from ..models.event_type_patch_schema_type_0 import EventTypePatchSchemaType0
        deprecated: Union[None, Unset, bool]
        if isinstance(self.deprecated, Unset):
            deprecated = UNSET
        else:
            deprecated = self.deprecated

        description: Union[None, Unset, str]
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        example: Union[None, Unset, dict[str, Any]]
        if isinstance(self.example, Unset):
            example = UNSET
        elif isinstance(self.example, EventTypePatchExampleType0):
            example = self.example.to_dict()
        else:
            example = self.example

        schema: Union[None, Unset, dict[str, Any]]
        if isinstance(self.schema, Unset):
            schema = UNSET
        elif isinstance(self.schema, EventTypePatchSchemaType0):
            schema = self.schema.to_dict()
        else:
            schema = self.schema

        snapshot: Union[None, Unset, bool]
        if isinstance(self.snapshot, Unset):
            snapshot = UNSET
        else:
            snapshot = self.snapshot

        snapshot_key: Union[None, Unset, str]
        if isinstance(self.snapshot_key, Unset):
            snapshot_key = UNSET
        else:
            snapshot_key = self.snapshot_key


        field_dict: dict[str, Any] = {}

        field_dict.update({
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
        from ..models.event_type_patch_example_type_0 import EventTypePatchExampleType0
        from ..models.event_type_patch_schema_type_0 import EventTypePatchSchemaType0
        d = dict(src_dict)
        def _parse_deprecated(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        deprecated = _parse_deprecated(d.pop("deprecated", UNSET))


        def _parse_description(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_example(data: object) -> Union['EventTypePatchExampleType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                example_type_0 = EventTypePatchExampleType0.from_dict(data)



                return example_type_0
            except: # noqa: E722
                pass
            return cast(Union['EventTypePatchExampleType0', None, Unset], data)

        example = _parse_example(d.pop("example", UNSET))


        def _parse_schema(data: object) -> Union['EventTypePatchSchemaType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schema_type_0 = EventTypePatchSchemaType0.from_dict(data)



                return schema_type_0
            except: # noqa: E722
                pass
            return cast(Union['EventTypePatchSchemaType0', None, Unset], data)

        schema = _parse_schema(d.pop("schema", UNSET))


        def _parse_snapshot(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        snapshot = _parse_snapshot(d.pop("snapshot", UNSET))


        def _parse_snapshot_key(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        snapshot_key = _parse_snapshot_key(d.pop("snapshotKey", UNSET))


        event_type_patch = cls(
            deprecated=deprecated,
            description=description,
            example=example,
            schema=schema,
            snapshot=snapshot,
            snapshot_key=snapshot_key,
        )

        return event_type_patch

