from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="LimitsIo")



@_attrs_define
class LimitsIo:
    """ Per-plugin limits; each defaults to the server's setting.

        Attributes:
            log_bytes (Union[None, Unset, int]):
            memory_bytes (Union[None, Unset, int]):
            output_bytes (Union[None, Unset, int]):
            timeout_ms (Union[None, Unset, int]):
     """

    log_bytes: Union[None, Unset, int] = UNSET
    memory_bytes: Union[None, Unset, int] = UNSET
    output_bytes: Union[None, Unset, int] = UNSET
    timeout_ms: Union[None, Unset, int] = UNSET





    def to_dict(self) -> dict[str, Any]:
        log_bytes: Union[None, Unset, int]
        if isinstance(self.log_bytes, Unset):
            log_bytes = UNSET
        else:
            log_bytes = self.log_bytes

        memory_bytes: Union[None, Unset, int]
        if isinstance(self.memory_bytes, Unset):
            memory_bytes = UNSET
        else:
            memory_bytes = self.memory_bytes

        output_bytes: Union[None, Unset, int]
        if isinstance(self.output_bytes, Unset):
            output_bytes = UNSET
        else:
            output_bytes = self.output_bytes

        timeout_ms: Union[None, Unset, int]
        if isinstance(self.timeout_ms, Unset):
            timeout_ms = UNSET
        else:
            timeout_ms = self.timeout_ms


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if log_bytes is not UNSET:
            field_dict["logBytes"] = log_bytes
        if memory_bytes is not UNSET:
            field_dict["memoryBytes"] = memory_bytes
        if output_bytes is not UNSET:
            field_dict["outputBytes"] = output_bytes
        if timeout_ms is not UNSET:
            field_dict["timeoutMs"] = timeout_ms

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_log_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        log_bytes = _parse_log_bytes(d.pop("logBytes", UNSET))


        def _parse_memory_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        memory_bytes = _parse_memory_bytes(d.pop("memoryBytes", UNSET))


        def _parse_output_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        output_bytes = _parse_output_bytes(d.pop("outputBytes", UNSET))


        def _parse_timeout_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        timeout_ms = _parse_timeout_ms(d.pop("timeoutMs", UNSET))


        limits_io = cls(
            log_bytes=log_bytes,
            memory_bytes=memory_bytes,
            output_bytes=output_bytes,
            timeout_ms=timeout_ms,
        )

        return limits_io

