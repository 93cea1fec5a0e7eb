from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="TestIn")



@_attrs_define
class TestIn:
    """ What a test send sends (no body: a `hookshape.test` event).

        Attributes:
            event_type (Union[None, Unset, str]): Send this event type's catalog example instead, shaped by the
                subscription's plugin
                as a real event would be.
     """

    event_type: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        event_type: Union[None, Unset, str]
        if isinstance(self.event_type, Unset):
            event_type = UNSET
        else:
            event_type = self.event_type


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if event_type is not UNSET:
            field_dict["eventType"] = event_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_event_type(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        event_type = _parse_event_type(d.pop("eventType", UNSET))


        test_in = cls(
            event_type=event_type,
        )

        return test_in

