from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="WindowOut")



@_attrs_define
class WindowOut:
    """ Attempts that reached for the endpoint in a window.

        Attributes:
            attempts (int):
            average_ms (int):
            max_ms (int):
            succeeded (int):
            success_rate (Union[None, Unset, float]): `succeeded / attempts`, absent without attempts.
     """

    attempts: int
    average_ms: int
    max_ms: int
    succeeded: int
    success_rate: Union[None, Unset, float] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        average_ms = self.average_ms

        max_ms = self.max_ms

        succeeded = self.succeeded

        success_rate: Union[None, Unset, float]
        if isinstance(self.success_rate, Unset):
            success_rate = UNSET
        else:
            success_rate = self.success_rate


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "averageMs": average_ms,
            "maxMs": max_ms,
            "succeeded": succeeded,
        })
        if success_rate is not UNSET:
            field_dict["successRate"] = success_rate

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        average_ms = d.pop("averageMs")

        max_ms = d.pop("maxMs")

        succeeded = d.pop("succeeded")

        def _parse_success_rate(data: object) -> Union[None, Unset, float]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, float], data)

        success_rate = _parse_success_rate(d.pop("successRate", UNSET))


        window_out = cls(
            attempts=attempts,
            average_ms=average_ms,
            max_ms=max_ms,
            succeeded=succeeded,
            success_rate=success_rate,
        )


        window_out.additional_properties = d
        return window_out

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
