from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="BatchIo")



@_attrs_define
class BatchIo:
    """ Batching: events of one subscription that arrive within a window go out as one request.
    Each event is still shaped by the plugin on its own; with `itemsAt` the first event's body
    is the envelope and the arrays at that JSON pointer are joined, otherwise the request body
    is the JSON array of the events' bodies.

        Attributes:
            max_events (int): Send once a batch holds this many events (1 to 1000).
            max_wait_ms (int): …or this many milliseconds after its first event (0 to 3,600,000).
            items_at (Union[None, Unset, str]): JSON pointer to the array that collects the events' items, e.g. `/events`.
     """

    max_events: int
    max_wait_ms: int
    items_at: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        max_events = self.max_events

        max_wait_ms = self.max_wait_ms

        items_at: Union[None, Unset, str]
        if isinstance(self.items_at, Unset):
            items_at = UNSET
        else:
            items_at = self.items_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "maxEvents": max_events,
            "maxWaitMs": max_wait_ms,
        })
        if items_at is not UNSET:
            field_dict["itemsAt"] = items_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_events = d.pop("maxEvents")

        max_wait_ms = d.pop("maxWaitMs")

        def _parse_items_at(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        items_at = _parse_items_at(d.pop("itemsAt", UNSET))


        batch_io = cls(
            max_events=max_events,
            max_wait_ms=max_wait_ms,
            items_at=items_at,
        )

        return batch_io

