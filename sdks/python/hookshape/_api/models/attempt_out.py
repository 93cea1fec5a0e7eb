from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.attempt_outcome_io import AttemptOutcomeIo
from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime

if TYPE_CHECKING:
  from ..models.log_line_out import LogLineOut
  from ..models.attempt_error_out import AttemptErrorOut
  from ..models.request_out import RequestOut
  from ..models.response_out import ResponseOut





T = TypeVar("T", bound="AttemptOut")



@_attrs_define
class AttemptOut:
    """ 
        Attributes:
            duration_ms (int):
            number (int):
            outcome (AttemptOutcomeIo): How an attempt ended (documentation of `AttemptOut.outcome`).
            plugin_logs (list['LogLineOut']):
            request_id (str): New on every attempt.
            started (datetime.datetime):
            error (Union['AttemptErrorOut', None, Unset]):
            plugin_id (Union[None, Unset, str]):
            request (Union['RequestOut', None, Unset]):
            response (Union['ResponseOut', None, Unset]):
     """

    duration_ms: int
    number: int
    outcome: AttemptOutcomeIo
    plugin_logs: list['LogLineOut']
    request_id: str
    started: datetime.datetime
    error: Union['AttemptErrorOut', None, Unset] = UNSET
    plugin_id: Union[None, Unset, str] = UNSET
    request: Union['RequestOut', None, Unset] = UNSET
    response: Union['ResponseOut', None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.log_line_out import LogLineOut
        from ..models.attempt_error_out import AttemptErrorOut
        from ..models.request_out import RequestOut
        from ..models.response_out import ResponseOut
        duration_ms = self.duration_ms

        number = self.number

        outcome = self.outcome.value

        plugin_logs = []
        for plugin_logs_item_data in self.plugin_logs:
            plugin_logs_item = plugin_logs_item_data.to_dict()
            plugin_logs.append(plugin_logs_item)



        request_id = self.request_id

        started = self.started.isoformat()

        error: Union[None, Unset, dict[str, Any]]
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, AttemptErrorOut):
            error = self.error.to_dict()
        else:
            error = self.error

        plugin_id: Union[None, Unset, str]
        if isinstance(self.plugin_id, Unset):
            plugin_id = UNSET
        else:
            plugin_id = self.plugin_id

        request: Union[None, Unset, dict[str, Any]]
        if isinstance(self.request, Unset):
            request = UNSET
        elif isinstance(self.request, RequestOut):
            request = self.request.to_dict()
        else:
            request = self.request

        response: Union[None, Unset, dict[str, Any]]
        if isinstance(self.response, Unset):
            response = UNSET
        elif isinstance(self.response, ResponseOut):
            response = self.response.to_dict()
        else:
            response = self.response


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "durationMs": duration_ms,
            "number": number,
            "outcome": outcome,
            "pluginLogs": plugin_logs,
            "requestId": request_id,
            "started": started,
        })
        if error is not UNSET:
            field_dict["error"] = error
        if plugin_id is not UNSET:
            field_dict["pluginId"] = plugin_id
        if request is not UNSET:
            field_dict["request"] = request
        if response is not UNSET:
            field_dict["response"] = response

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.log_line_out import LogLineOut
        from ..models.attempt_error_out import AttemptErrorOut
        from ..models.request_out import RequestOut
        from ..models.response_out import ResponseOut
        d = dict(src_dict)
        duration_ms = d.pop("durationMs")

        number = d.pop("number")

        outcome = AttemptOutcomeIo(d.pop("outcome"))




        plugin_logs = []
        _plugin_logs = d.pop("pluginLogs")
        for plugin_logs_item_data in (_plugin_logs):
            plugin_logs_item = LogLineOut.from_dict(plugin_logs_item_data)



            plugin_logs.append(plugin_logs_item)


        request_id = d.pop("requestId")

        started = isoparse(d.pop("started"))




        def _parse_error(data: object) -> Union['AttemptErrorOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = AttemptErrorOut.from_dict(data)



                return error_type_1
            except: # noqa: E722
                pass
            return cast(Union['AttemptErrorOut', None, Unset], data)

        error = _parse_error(d.pop("error", UNSET))


        def _parse_plugin_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        plugin_id = _parse_plugin_id(d.pop("pluginId", UNSET))


        def _parse_request(data: object) -> Union['RequestOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_type_1 = RequestOut.from_dict(data)



                return request_type_1
            except: # noqa: E722
                pass
            return cast(Union['RequestOut', None, Unset], data)

        request = _parse_request(d.pop("request", UNSET))


        def _parse_response(data: object) -> Union['ResponseOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_type_1 = ResponseOut.from_dict(data)



                return response_type_1
            except: # noqa: E722
                pass
            return cast(Union['ResponseOut', None, Unset], data)

        response = _parse_response(d.pop("response", UNSET))


        attempt_out = cls(
            duration_ms=duration_ms,
            number=number,
            outcome=outcome,
            plugin_logs=plugin_logs,
            request_id=request_id,
            started=started,
            error=error,
            plugin_id=plugin_id,
            request=request,
            response=response,
        )


        attempt_out.additional_properties = d
        return attempt_out

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
