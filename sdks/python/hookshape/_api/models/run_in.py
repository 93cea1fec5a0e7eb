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
  from ..models.run_event_in import RunEventIn
  from ..models.run_in_config_type_0 import RunInConfigType0





T = TypeVar("T", bound="RunIn")



@_attrs_define
class RunIn:
    """ 
        Attributes:
            event (RunEventIn): An event to run a plugin on.
            config (Union['RunInConfigType0', None, Unset]): The plugin's configuration (`{}` when absent).
            subscription_id (Union[None, Unset, str]): Sign the output as this subscription would (its scheme, secret and
                static headers).
     """

    event: 'RunEventIn'
    config: Union['RunInConfigType0', None, Unset] = UNSET
    subscription_id: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.run_event_in import RunEventIn
        from ..models.run_in_config_type_0 import RunInConfigType0
        event = self.event.to_dict()

        config: Union[None, Unset, dict[str, Any]]
        if isinstance(self.config, Unset):
            config = UNSET
        elif isinstance(self.config, RunInConfigType0):
            config = self.config.to_dict()
        else:
            config = self.config

        subscription_id: Union[None, Unset, str]
        if isinstance(self.subscription_id, Unset):
            subscription_id = UNSET
        else:
            subscription_id = self.subscription_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "event": event,
        })
        if config is not UNSET:
            field_dict["config"] = config
        if subscription_id is not UNSET:
            field_dict["subscriptionId"] = subscription_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_event_in import RunEventIn
        from ..models.run_in_config_type_0 import RunInConfigType0
        d = dict(src_dict)
        event = RunEventIn.from_dict(d.pop("event"))




        def _parse_config(data: object) -> Union['RunInConfigType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_type_0 = RunInConfigType0.from_dict(data)



                return config_type_0
            except: # noqa: E722
                pass
            return cast(Union['RunInConfigType0', None, Unset], data)

        config = _parse_config(d.pop("config", UNSET))


        def _parse_subscription_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        subscription_id = _parse_subscription_id(d.pop("subscriptionId", UNSET))


        run_in = cls(
            event=event,
            config=config,
            subscription_id=subscription_id,
        )

        return run_in

