from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="RateLimitIo")



@_attrs_define
class RateLimitIo:
    """ A subscription's pace: attempts above it wait (they do not fail).

        Attributes:
            per_second (int): Attempts a second, 1 to 10,000.
            burst (Union[None, Unset, int]): Attempts that may go at once after a quiet spell (default: `perSecond`).
     """

    per_second: int
    burst: Union[None, Unset, int] = UNSET





    def to_dict(self) -> dict[str, Any]:
        per_second = self.per_second

        burst: Union[None, Unset, int]
        if isinstance(self.burst, Unset):
            burst = UNSET
        else:
            burst = self.burst


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "perSecond": per_second,
        })
        if burst is not UNSET:
            field_dict["burst"] = burst

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        per_second = d.pop("perSecond")

        def _parse_burst(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        burst = _parse_burst(d.pop("burst", UNSET))


        rate_limit_io = cls(
            per_second=per_second,
            burst=burst,
        )

        return rate_limit_io

