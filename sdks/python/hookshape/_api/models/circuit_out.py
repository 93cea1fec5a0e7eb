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






T = TypeVar("T", bound="CircuitOut")



@_attrs_define
class CircuitOut:
    """ The state of a subscription's circuit breaker.

        Attributes:
            failures (int): Consecutive failed attempts.
            state (str): `closed` (attempts flow), `open` (attempts wait for a probe), `half-open` (a probe
                is out).
            probe_at (Union[None, Unset, datetime.datetime]): When the next probe goes (open circuits).
            since (Union[None, Unset, datetime.datetime]):
     """

    failures: int
    state: str
    probe_at: Union[None, Unset, datetime.datetime] = UNSET
    since: Union[None, Unset, datetime.datetime] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        failures = self.failures

        state = self.state

        probe_at: Union[None, Unset, str]
        if isinstance(self.probe_at, Unset):
            probe_at = UNSET
        elif isinstance(self.probe_at, datetime.datetime):
            probe_at = self.probe_at.isoformat()
        else:
            probe_at = self.probe_at

        since: Union[None, Unset, str]
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "failures": failures,
            "state": state,
        })
        if probe_at is not UNSET:
            field_dict["probeAt"] = probe_at
        if since is not UNSET:
            field_dict["since"] = since

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failures = d.pop("failures")

        state = d.pop("state")

        def _parse_probe_at(data: object) -> Union[None, Unset, datetime.datetime]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                probe_at_type_0 = isoparse(data)



                return probe_at_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, datetime.datetime], data)

        probe_at = _parse_probe_at(d.pop("probeAt", UNSET))


        def _parse_since(data: object) -> Union[None, Unset, datetime.datetime]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = isoparse(data)



                return since_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, datetime.datetime], data)

        since = _parse_since(d.pop("since", UNSET))


        circuit_out = cls(
            failures=failures,
            state=state,
            probe_at=probe_at,
            since=since,
        )


        circuit_out.additional_properties = d
        return circuit_out

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
