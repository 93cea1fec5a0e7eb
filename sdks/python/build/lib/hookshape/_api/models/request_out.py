from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RequestOut")



@_attrs_define
class RequestOut:
    """ 
        Attributes:
            body (str):
            headers (list[list[str]]): `[name, value]` pairs, in order.
            url (str):
     """

    body: str
    headers: list[list[str]]
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        headers = []
        for headers_item_data in self.headers:
            headers_item = headers_item_data


            headers.append(headers_item)



        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "headers": headers,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        headers = []
        _headers = d.pop("headers")
        for headers_item_data in (_headers):
            headers_item = cast(list[str], headers_item_data)

            headers.append(headers_item)


        url = d.pop("url")

        request_out = cls(
            body=body,
            headers=headers,
            url=url,
        )


        request_out.additional_properties = d
        return request_out

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
