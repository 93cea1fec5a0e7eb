from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union






T = TypeVar("T", bound="ExpireAllIn")



@_attrs_define
class ExpireAllIn:
    """ 
        Attributes:
            session_ids (Union[None, Unset, list[str]]): Only these sessions; every portal session of the workspace when
                absent.
     """

    session_ids: Union[None, Unset, list[str]] = UNSET





    def to_dict(self) -> dict[str, Any]:
        session_ids: Union[None, Unset, list[str]]
        if isinstance(self.session_ids, Unset):
            session_ids = UNSET
        elif isinstance(self.session_ids, list):
            session_ids = self.session_ids


        else:
            session_ids = self.session_ids


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if session_ids is not UNSET:
            field_dict["sessionIds"] = session_ids

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_session_ids(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                session_ids_type_0 = cast(list[str], data)

                return session_ids_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        session_ids = _parse_session_ids(d.pop("sessionIds", UNSET))


        expire_all_in = cls(
            session_ids=session_ids,
        )

        return expire_all_in

