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
  from ..models.run_event_in_previous_type_0 import RunEventInPreviousType0
  from ..models.run_event_in_object import RunEventInObject





T = TypeVar("T", bound="RunEventIn")



@_attrs_define
class RunEventIn:
    """ An event to run a plugin on.

        Attributes:
            object_ (RunEventInObject):
            type_ (str):  Example: member.updated.
            id (Union[None, Unset, str]):
            previous (Union['RunEventInPreviousType0', None, Unset]):
            tenant (Union[None, Unset, str]):
     """

    object_: 'RunEventInObject'
    type_: str
    id: Union[None, Unset, str] = UNSET
    previous: Union['RunEventInPreviousType0', None, Unset] = UNSET
    tenant: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.run_event_in_previous_type_0 import RunEventInPreviousType0
        from ..models.run_event_in_object import RunEventInObject
        object_ = self.object_.to_dict()

        type_ = self.type_

        id: Union[None, Unset, str]
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        previous: Union[None, Unset, dict[str, Any]]
        if isinstance(self.previous, Unset):
            previous = UNSET
        elif isinstance(self.previous, RunEventInPreviousType0):
            previous = self.previous.to_dict()
        else:
            previous = self.previous

        tenant: Union[None, Unset, str]
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "object": object_,
            "type": type_,
        })
        if id is not UNSET:
            field_dict["id"] = id
        if previous is not UNSET:
            field_dict["previous"] = previous
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_event_in_previous_type_0 import RunEventInPreviousType0
        from ..models.run_event_in_object import RunEventInObject
        d = dict(src_dict)
        object_ = RunEventInObject.from_dict(d.pop("object"))




        type_ = d.pop("type")

        def _parse_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        id = _parse_id(d.pop("id", UNSET))


        def _parse_previous(data: object) -> Union['RunEventInPreviousType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                previous_type_0 = RunEventInPreviousType0.from_dict(data)



                return previous_type_0
            except: # noqa: E722
                pass
            return cast(Union['RunEventInPreviousType0', None, Unset], data)

        previous = _parse_previous(d.pop("previous", UNSET))


        def _parse_tenant(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))


        run_event_in = cls(
            object_=object_,
            type_=type_,
            id=id,
            previous=previous,
            tenant=tenant,
        )

        return run_event_in

