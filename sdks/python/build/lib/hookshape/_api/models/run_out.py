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
  from ..models.error_body import ErrorBody
  from ..models.log_line_out import LogLineOut





T = TypeVar("T", bound="RunOut")



@_attrs_define
class RunOut:
    """ 
        Attributes:
            duration_us (int):
            headers (list[list[str]]): Headers as they would be sent: the plugin's, the subscription's static ones (values
                redacted) and the signature's.
                `[name, value]` pairs, in order.
            logs (list['LogLineOut']):
            memory_bytes (int): The instance's linear memory after the call.
            outcome (str): `deliver`, `drop` or `error`.
            body (Union[None, Unset, str]): The body as it would be sent.
            error (Union['ErrorBody', None, Unset]):
            output (Union[Unset, str]): What the plugin printed (bounded).
            signed_with (Union[None, Unset, str]): With `subscriptionId`, what the signature was made with: `subscription`
                (its secret),
                or `throwaway` (a secret made for this run and forgotten, for a caller without the
                `view-secret` right: a signature under the real secret would let it forge deliveries).
     """

    duration_us: int
    headers: list[list[str]]
    logs: list['LogLineOut']
    memory_bytes: int
    outcome: str
    body: Union[None, Unset, str] = UNSET
    error: Union['ErrorBody', None, Unset] = UNSET
    output: Union[Unset, str] = UNSET
    signed_with: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.error_body import ErrorBody
        from ..models.log_line_out import LogLineOut
        duration_us = self.duration_us

        headers = []
        for headers_item_data in self.headers:
            headers_item = headers_item_data


            headers.append(headers_item)



        logs = []
        for logs_item_data in self.logs:
            logs_item = logs_item_data.to_dict()
            logs.append(logs_item)



        memory_bytes = self.memory_bytes

        outcome = self.outcome

        body: Union[None, Unset, str]
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        error: Union[None, Unset, dict[str, Any]]
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, ErrorBody):
            error = self.error.to_dict()
        else:
            error = self.error

        output = self.output

        signed_with: Union[None, Unset, str]
        if isinstance(self.signed_with, Unset):
            signed_with = UNSET
        else:
            signed_with = self.signed_with


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "durationUs": duration_us,
            "headers": headers,
            "logs": logs,
            "memoryBytes": memory_bytes,
            "outcome": outcome,
        })
        if body is not UNSET:
            field_dict["body"] = body
        if error is not UNSET:
            field_dict["error"] = error
        if output is not UNSET:
            field_dict["output"] = output
        if signed_with is not UNSET:
            field_dict["signedWith"] = signed_with

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_body import ErrorBody
        from ..models.log_line_out import LogLineOut
        d = dict(src_dict)
        duration_us = d.pop("durationUs")

        headers = []
        _headers = d.pop("headers")
        for headers_item_data in (_headers):
            headers_item = cast(list[str], headers_item_data)

            headers.append(headers_item)


        logs = []
        _logs = d.pop("logs")
        for logs_item_data in (_logs):
            logs_item = LogLineOut.from_dict(logs_item_data)



            logs.append(logs_item)


        memory_bytes = d.pop("memoryBytes")

        outcome = d.pop("outcome")

        def _parse_body(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        body = _parse_body(d.pop("body", UNSET))


        def _parse_error(data: object) -> Union['ErrorBody', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = ErrorBody.from_dict(data)



                return error_type_1
            except: # noqa: E722
                pass
            return cast(Union['ErrorBody', None, Unset], data)

        error = _parse_error(d.pop("error", UNSET))


        output = d.pop("output", UNSET)

        def _parse_signed_with(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        signed_with = _parse_signed_with(d.pop("signedWith", UNSET))


        run_out = cls(
            duration_us=duration_us,
            headers=headers,
            logs=logs,
            memory_bytes=memory_bytes,
            outcome=outcome,
            body=body,
            error=error,
            output=output,
            signed_with=signed_with,
        )


        run_out.additional_properties = d
        return run_out

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
