from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.previous_secret_out import PreviousSecretOut





T = TypeVar("T", bound="SecretOut")



@_attrs_define
class SecretOut:
    """ 
        Attributes:
            previous (list['PreviousSecretOut']): Earlier secrets still signing during a rotation, with when they stop.
            secret (str): The secret that signs now.
     """

    previous: list['PreviousSecretOut']
    secret: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.previous_secret_out import PreviousSecretOut
        previous = []
        for previous_item_data in self.previous:
            previous_item = previous_item_data.to_dict()
            previous.append(previous_item)



        secret = self.secret


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "previous": previous,
            "secret": secret,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.previous_secret_out import PreviousSecretOut
        d = dict(src_dict)
        previous = []
        _previous = d.pop("previous")
        for previous_item_data in (_previous):
            previous_item = PreviousSecretOut.from_dict(previous_item_data)



            previous.append(previous_item)


        secret = d.pop("secret")

        secret_out = cls(
            previous=previous,
            secret=secret,
        )


        secret_out.additional_properties = d
        return secret_out

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
