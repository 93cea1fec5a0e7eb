from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.delivery_status_io import DeliveryStatusIo
from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime

if TYPE_CHECKING:
  from ..models.attempt_out import AttemptOut





T = TypeVar("T", bound="DeliveryDetailOut")



@_attrs_define
class DeliveryDetailOut:
    """ 
        Attributes:
            attempts (int):
            created (datetime.datetime):
            event_id (str): The event; for a batch, its first event.
            event_type (str): That event's type (`hookshape.test` for test sends).
            id (str):
            status (DeliveryStatusIo): Where a delivery stands (documentation of `DeliveryOut.status`).
            subscription_id (str):
            updated (datetime.datetime):
            attempt_log (list['AttemptOut']):
            event_workspace (Union[None, Unset, str]): The workspace the event was published in, when it is not the
                delivery's (a site's
                event delivered to its organisation's subscription).
            events (Union[None, Unset, list[str]]): For a batch: the events it holds, in order.
            last_error (Union[None, Unset, str]):
            next_attempt (Union[None, Unset, datetime.datetime]):
     """

    attempts: int
    created: datetime.datetime
    event_id: str
    event_type: str
    id: str
    status: DeliveryStatusIo
    subscription_id: str
    updated: datetime.datetime
    attempt_log: list['AttemptOut']
    event_workspace: Union[None, Unset, str] = UNSET
    events: Union[None, Unset, list[str]] = UNSET
    last_error: Union[None, Unset, str] = UNSET
    next_attempt: Union[None, Unset, datetime.datetime] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_out import AttemptOut
        attempts = self.attempts

        created = self.created.isoformat()

        event_id = self.event_id

        event_type = self.event_type

        id = self.id

        status = self.status.value

        subscription_id = self.subscription_id

        updated = self.updated.isoformat()

        attempt_log = []
        for attempt_log_item_data in self.attempt_log:
            attempt_log_item = attempt_log_item_data.to_dict()
            attempt_log.append(attempt_log_item)



        event_workspace: Union[None, Unset, str]
        if isinstance(self.event_workspace, Unset):
            event_workspace = UNSET
        else:
            event_workspace = self.event_workspace

        events: Union[None, Unset, list[str]]
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = self.events


        else:
            events = self.events

        last_error: Union[None, Unset, str]
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        next_attempt: Union[None, Unset, str]
        if isinstance(self.next_attempt, Unset):
            next_attempt = UNSET
        elif isinstance(self.next_attempt, datetime.datetime):
            next_attempt = self.next_attempt.isoformat()
        else:
            next_attempt = self.next_attempt


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "created": created,
            "eventId": event_id,
            "eventType": event_type,
            "id": id,
            "status": status,
            "subscriptionId": subscription_id,
            "updated": updated,
            "attemptLog": attempt_log,
        })
        if event_workspace is not UNSET:
            field_dict["eventWorkspace"] = event_workspace
        if events is not UNSET:
            field_dict["events"] = events
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if next_attempt is not UNSET:
            field_dict["nextAttempt"] = next_attempt

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_out import AttemptOut
        d = dict(src_dict)
        attempts = d.pop("attempts")

        created = isoparse(d.pop("created"))




        event_id = d.pop("eventId")

        event_type = d.pop("eventType")

        id = d.pop("id")

        status = DeliveryStatusIo(d.pop("status"))




        subscription_id = d.pop("subscriptionId")

        updated = isoparse(d.pop("updated"))




        attempt_log = []
        _attempt_log = d.pop("attemptLog")
        for attempt_log_item_data in (_attempt_log):
            attempt_log_item = AttemptOut.from_dict(attempt_log_item_data)



            attempt_log.append(attempt_log_item)


        def _parse_event_workspace(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        event_workspace = _parse_event_workspace(d.pop("eventWorkspace", UNSET))


        def _parse_events(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = cast(list[str], data)

                return events_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        events = _parse_events(d.pop("events", UNSET))


        def _parse_last_error(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))


        def _parse_next_attempt(data: object) -> Union[None, Unset, datetime.datetime]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_type_0 = isoparse(data)



                return next_attempt_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, datetime.datetime], data)

        next_attempt = _parse_next_attempt(d.pop("nextAttempt", UNSET))


        delivery_detail_out = cls(
            attempts=attempts,
            created=created,
            event_id=event_id,
            event_type=event_type,
            id=id,
            status=status,
            subscription_id=subscription_id,
            updated=updated,
            attempt_log=attempt_log,
            event_workspace=event_workspace,
            events=events,
            last_error=last_error,
            next_attempt=next_attempt,
        )


        delivery_detail_out.additional_properties = d
        return delivery_detail_out

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
