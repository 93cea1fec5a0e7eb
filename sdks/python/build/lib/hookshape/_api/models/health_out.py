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
  from ..models.failure_out import FailureOut
  from ..models.window_out import WindowOut





T = TypeVar("T", bound="HealthOut")



@_attrs_define
class HealthOut:
    """ Its endpoint's recent attempts, counted by the node that answers since it started.

        Attributes:
            last_day (WindowOut): Attempts that reached for the endpoint in a window.
            last_hour (WindowOut): Attempts that reached for the endpoint in a window.
            last_failure (Union['FailureOut', None, Unset]):
     """

    last_day: 'WindowOut'
    last_hour: 'WindowOut'
    last_failure: Union['FailureOut', None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.failure_out import FailureOut
        from ..models.window_out import WindowOut
        last_day = self.last_day.to_dict()

        last_hour = self.last_hour.to_dict()

        last_failure: Union[None, Unset, dict[str, Any]]
        if isinstance(self.last_failure, Unset):
            last_failure = UNSET
        elif isinstance(self.last_failure, FailureOut):
            last_failure = self.last_failure.to_dict()
        else:
            last_failure = self.last_failure


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "lastDay": last_day,
            "lastHour": last_hour,
        })
        if last_failure is not UNSET:
            field_dict["lastFailure"] = last_failure

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failure_out import FailureOut
        from ..models.window_out import WindowOut
        d = dict(src_dict)
        last_day = WindowOut.from_dict(d.pop("lastDay"))




        last_hour = WindowOut.from_dict(d.pop("lastHour"))




        def _parse_last_failure(data: object) -> Union['FailureOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_failure_type_1 = FailureOut.from_dict(data)



                return last_failure_type_1
            except: # noqa: E722
                pass
            return cast(Union['FailureOut', None, Unset], data)

        last_failure = _parse_last_failure(d.pop("lastFailure", UNSET))


        health_out = cls(
            last_day=last_day,
            last_hour=last_hour,
            last_failure=last_failure,
        )


        health_out.additional_properties = d
        return health_out

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
