from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="RecoverIn")



@_attrs_define
class RecoverIn:
    """ Which failed deliveries to recover.

        Attributes:
            since (str): Failed deliveries made at or after this time (RFC 3339).
            subscription_id (Union[None, Unset, str]): Only this subscription's.
            until (Union[None, Unset, str]): … and before this time (RFC 3339; default now).
     """

    since: str
    subscription_id: Union[None, Unset, str] = UNSET
    until: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        since = self.since

        subscription_id: Union[None, Unset, str]
        if isinstance(self.subscription_id, Unset):
            subscription_id = UNSET
        else:
            subscription_id = self.subscription_id

        until: Union[None, Unset, str]
        if isinstance(self.until, Unset):
            until = UNSET
        else:
            until = self.until


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "since": since,
        })
        if subscription_id is not UNSET:
            field_dict["subscriptionId"] = subscription_id
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        since = d.pop("since")

        def _parse_subscription_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        subscription_id = _parse_subscription_id(d.pop("subscriptionId", UNSET))


        def _parse_until(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        until = _parse_until(d.pop("until", UNSET))


        recover_in = cls(
            since=since,
            subscription_id=subscription_id,
            until=until,
        )

        return recover_in

