from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="AnswerIn")



@_attrs_define
class AnswerIn:
    """ What the local app answered, or why it could not be reached.

        Attributes:
            body (Union[None, Unset, str]): The app's response body (kept up to 64 KiB).
            elapsed_ms (Union[None, Unset, int]):
            error (Union[None, Unset, str]): Set instead of `status` when the app could not be reached.
            status (Union[None, Unset, int]):
     """

    body: Union[None, Unset, str] = UNSET
    elapsed_ms: Union[None, Unset, int] = UNSET
    error: Union[None, Unset, str] = UNSET
    status: Union[None, Unset, int] = UNSET





    def to_dict(self) -> dict[str, Any]:
        body: Union[None, Unset, str]
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        elapsed_ms: Union[None, Unset, int]
        if isinstance(self.elapsed_ms, Unset):
            elapsed_ms = UNSET
        else:
            elapsed_ms = self.elapsed_ms

        error: Union[None, Unset, str]
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        status: Union[None, Unset, int]
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if body is not UNSET:
            field_dict["body"] = body
        if elapsed_ms is not UNSET:
            field_dict["elapsedMs"] = elapsed_ms
        if error is not UNSET:
            field_dict["error"] = error
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_body(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        body = _parse_body(d.pop("body", UNSET))


        def _parse_elapsed_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        elapsed_ms = _parse_elapsed_ms(d.pop("elapsedMs", UNSET))


        def _parse_error(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        error = _parse_error(d.pop("error", UNSET))


        def _parse_status(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        status = _parse_status(d.pop("status", UNSET))


        answer_in = cls(
            body=body,
            elapsed_ms=elapsed_ms,
            error=error,
            status=status,
        )

        return answer_in

