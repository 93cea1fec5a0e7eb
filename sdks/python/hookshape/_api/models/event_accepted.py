from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="EventAccepted")



@_attrs_define
class EventAccepted:
    """ 
        Attributes:
            deliveries (int): Deliveries created (for a repeated id: the ones created the first time).
            duplicate (bool): True when an event with this id existed and nothing new was created.
            id (str):
            workspace (str):
     """

    deliveries: int
    duplicate: bool
    id: str
    workspace: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        deliveries = self.deliveries

        duplicate = self.duplicate

        id = self.id

        workspace = self.workspace


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "deliveries": deliveries,
            "duplicate": duplicate,
            "id": id,
            "workspace": workspace,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        deliveries = d.pop("deliveries")

        duplicate = d.pop("duplicate")

        id = d.pop("id")

        workspace = d.pop("workspace")

        event_accepted = cls(
            deliveries=deliveries,
            duplicate=duplicate,
            id=id,
            workspace=workspace,
        )


        event_accepted.additional_properties = d
        return event_accepted

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
