from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="EventIn")



@_attrs_define
class EventIn:
    """ 
        Attributes:
            object_ (Any): The resource after the change.
            type_ (str): `resource.subresource.operation`, e.g. `member.updated`.
            id (Union[None, Unset, str]): Your id for the event: re-posting it returns the same event and creates nothing.
            live (Union[None, Unset, bool]): Live traffic (default) or test traffic (`false`), which reaches test
                subscriptions only.
            occurred_at (Union[None, Unset, str]): When it happened (RFC 3339); now when absent.
            previous (Union[Unset, Any]): The resource before the change (updates, deletions).
            snapshot (Union[None, Unset, bool]): Keep this object as the last published version of it, and fill in
                `previous` from the
                version before when it is absent [default: the event type's `snapshot` in the
                catalog, else false].
            tenant (Union[None, Unset, str]): The customer's site or organisation, handed to plugins (Famly's `siteSetId`).
                When it
                names an existing workspace and `workspace` is absent, it is the workspace.
            workspace (Union[None, Unset, str]): The workspace it happens in (for tokens that publish to several); the
                token's or the
                route's workspace otherwise, else `default`. An unknown workspace is refused.
     """

    object_: Any
    type_: str
    id: Union[None, Unset, str] = UNSET
    live: Union[None, Unset, bool] = UNSET
    occurred_at: Union[None, Unset, str] = UNSET
    previous: Union[Unset, Any] = UNSET
    snapshot: Union[None, Unset, bool] = UNSET
    tenant: Union[None, Unset, str] = UNSET
    workspace: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        type_ = self.type_

        id: Union[None, Unset, str]
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        live: Union[None, Unset, bool]
        if isinstance(self.live, Unset):
            live = UNSET
        else:
            live = self.live

        occurred_at: Union[None, Unset, str]
        if isinstance(self.occurred_at, Unset):
            occurred_at = UNSET
        else:
            occurred_at = self.occurred_at

        previous = self.previous

        snapshot: Union[None, Unset, bool]
        if isinstance(self.snapshot, Unset):
            snapshot = UNSET
        else:
            snapshot = self.snapshot

        tenant: Union[None, Unset, str]
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant

        workspace: Union[None, Unset, str]
        if isinstance(self.workspace, Unset):
            workspace = UNSET
        else:
            workspace = self.workspace


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "object": object_,
            "type": type_,
        })
        if id is not UNSET:
            field_dict["id"] = id
        if live is not UNSET:
            field_dict["live"] = live
        if occurred_at is not UNSET:
            field_dict["occurredAt"] = occurred_at
        if previous is not UNSET:
            field_dict["previous"] = previous
        if snapshot is not UNSET:
            field_dict["snapshot"] = snapshot
        if tenant is not UNSET:
            field_dict["tenant"] = tenant
        if workspace is not UNSET:
            field_dict["workspace"] = workspace

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_ = d.pop("object")

        type_ = d.pop("type")

        def _parse_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        id = _parse_id(d.pop("id", UNSET))


        def _parse_live(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        live = _parse_live(d.pop("live", UNSET))


        def _parse_occurred_at(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        occurred_at = _parse_occurred_at(d.pop("occurredAt", UNSET))


        previous = d.pop("previous", UNSET)

        def _parse_snapshot(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        snapshot = _parse_snapshot(d.pop("snapshot", UNSET))


        def _parse_tenant(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))


        def _parse_workspace(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        workspace = _parse_workspace(d.pop("workspace", UNSET))


        event_in = cls(
            object_=object_,
            type_=type_,
            id=id,
            live=live,
            occurred_at=occurred_at,
            previous=previous,
            snapshot=snapshot,
            tenant=tenant,
            workspace=workspace,
        )

        return event_in

