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






T = TypeVar("T", bound="EventOut")



@_attrs_define
class EventOut:
    """ An event as it was published.

        Attributes:
            changed_fields (list[str]):
            id (str):
            live (bool):
            object_ (Any):
            occurred_at (datetime.datetime):
            received (datetime.datetime): When hookshape accepted it.
            type_ (str):
            workspace (str):
            previous (Union[Unset, Any]):
            tenant (Union[None, Unset, str]):
     """

    changed_fields: list[str]
    id: str
    live: bool
    object_: Any
    occurred_at: datetime.datetime
    received: datetime.datetime
    type_: str
    workspace: str
    previous: Union[Unset, Any] = UNSET
    tenant: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        changed_fields = self.changed_fields



        id = self.id

        live = self.live

        object_ = self.object_

        occurred_at = self.occurred_at.isoformat()

        received = self.received.isoformat()

        type_ = self.type_

        workspace = self.workspace

        previous = self.previous

        tenant: Union[None, Unset, str]
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "changedFields": changed_fields,
            "id": id,
            "live": live,
            "object": object_,
            "occurredAt": occurred_at,
            "received": received,
            "type": type_,
            "workspace": workspace,
        })
        if previous is not UNSET:
            field_dict["previous"] = previous
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        changed_fields = cast(list[str], d.pop("changedFields"))


        id = d.pop("id")

        live = d.pop("live")

        object_ = d.pop("object")

        occurred_at = isoparse(d.pop("occurredAt"))




        received = isoparse(d.pop("received"))




        type_ = d.pop("type")

        workspace = d.pop("workspace")

        previous = d.pop("previous", UNSET)

        def _parse_tenant(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))


        event_out = cls(
            changed_fields=changed_fields,
            id=id,
            live=live,
            object_=object_,
            occurred_at=occurred_at,
            received=received,
            type_=type_,
            workspace=workspace,
            previous=previous,
            tenant=tenant,
        )


        event_out.additional_properties = d
        return event_out

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
