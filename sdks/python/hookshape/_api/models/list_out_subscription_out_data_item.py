from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.status_io import StatusIo
from ..types import UNSET, Unset
from dateutil.parser import isoparse
from typing import cast
from typing import cast, Union
from typing import Union
import datetime

if TYPE_CHECKING:
  from ..models.list_out_subscription_out_data_item_metadata import ListOutSubscriptionOutDataItemMetadata
  from ..models.signing_io import SigningIo
  from ..models.plugin_ref_io import PluginRefIo
  from ..models.rate_limit_io import RateLimitIo
  from ..models.plugin_change_out import PluginChangeOut
  from ..models.candidate_out import CandidateOut
  from ..models.health_out import HealthOut
  from ..models.batch_io import BatchIo
  from ..models.ordering_io import OrderingIo
  from ..models.circuit_out import CircuitOut
  from ..models.retry_io import RetryIo





T = TypeVar("T", bound="ListOutSubscriptionOutDataItem")



@_attrs_define
class ListOutSubscriptionOutDataItem:
    """ A subscription (modelled on Falu's endpoint object).

        Attributes:
            created (datetime.datetime):
            etag (str):
            events (list[str]):
            format_ (str): What shapes the body: `basic` (hookshape's own envelope) or `plugin`.
            headers (list[str]): The names of its static headers (their values are write-only).
            id (str):
            live (bool):
            metadata (ListOutSubscriptionOutDataItemMetadata):
            signing (SigningIo): How requests are signed: `standard-webhooks` (default), `hex-hmac` (header default
                `X-Hookshape-Hmac`; Famly uses `X-Famly-Hmac`), `timestamped-hmac` (header default
                `officernd-signature`) or `body-signature` (Firm App: `{"payload", "signature"}`).
            status (StatusIo):
            updated (datetime.datetime):
            url (str):
            workspace (str):
            batch (Union['BatchIo', None, Unset]):
            candidate (Union['CandidateOut', None, Unset]):
            circuit (Union['CircuitOut', None, Unset]):
            description (Union[None, Unset, str]):
            disabled_reason (Union[None, Unset, str]):
            fields (Union[None, Unset, list[str]]):
            health (Union['HealthOut', None, Unset]):
            ordering (Union['OrderingIo', None, Unset]):
            plugin (Union['PluginRefIo', None, Unset]):
            plugin_history (Union[Unset, list['PluginChangeOut']]): Candidates, promotions and rollbacks, oldest first (the
                last 50).
            previous_plugin (Union['PluginRefIo', None, Unset]):
            rate_limit (Union['RateLimitIo', None, Unset]):
            retry (Union['RetryIo', None, Unset]):
            secret (Union[None, Unset, str]): Only in the response that created the subscription; later see `/secret`.
            warnings (Union[Unset, list[str]]): Event types it names that the catalog does not list (in create and update
                answers).
     """

    created: datetime.datetime
    etag: str
    events: list[str]
    format_: str
    headers: list[str]
    id: str
    live: bool
    metadata: 'ListOutSubscriptionOutDataItemMetadata'
    signing: 'SigningIo'
    status: StatusIo
    updated: datetime.datetime
    url: str
    workspace: str
    batch: Union['BatchIo', None, Unset] = UNSET
    candidate: Union['CandidateOut', None, Unset] = UNSET
    circuit: Union['CircuitOut', None, Unset] = UNSET
    description: Union[None, Unset, str] = UNSET
    disabled_reason: Union[None, Unset, str] = UNSET
    fields: Union[None, Unset, list[str]] = UNSET
    health: Union['HealthOut', None, Unset] = UNSET
    ordering: Union['OrderingIo', None, Unset] = UNSET
    plugin: Union['PluginRefIo', None, Unset] = UNSET
    plugin_history: Union[Unset, list['PluginChangeOut']] = UNSET
    previous_plugin: Union['PluginRefIo', None, Unset] = UNSET
    rate_limit: Union['RateLimitIo', None, Unset] = UNSET
    retry: Union['RetryIo', None, Unset] = UNSET
    secret: Union[None, Unset, str] = UNSET
    warnings: Union[Unset, list[str]] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.list_out_subscription_out_data_item_metadata import ListOutSubscriptionOutDataItemMetadata
        from ..models.signing_io import SigningIo
        from ..models.plugin_ref_io import PluginRefIo
        from ..models.rate_limit_io import RateLimitIo
        from ..models.plugin_change_out import PluginChangeOut
        from ..models.candidate_out import CandidateOut
        from ..models.health_out import HealthOut
        from ..models.batch_io import BatchIo
        from ..models.ordering_io import OrderingIo
        from ..models.circuit_out import CircuitOut
        from ..models.retry_io import RetryIo
        created = self.created.isoformat()

        etag = self.etag

        events = self.events



        format_ = self.format_

        headers = self.headers



        id = self.id

        live = self.live

        metadata = self.metadata.to_dict()

        signing = self.signing.to_dict()

        status = self.status.value

        updated = self.updated.isoformat()

        url = self.url

        workspace = self.workspace

        batch: Union[None, Unset, dict[str, Any]]
        if isinstance(self.batch, Unset):
            batch = UNSET
        elif isinstance(self.batch, BatchIo):
            batch = self.batch.to_dict()
        else:
            batch = self.batch

        candidate: Union[None, Unset, dict[str, Any]]
        if isinstance(self.candidate, Unset):
            candidate = UNSET
        elif isinstance(self.candidate, CandidateOut):
            candidate = self.candidate.to_dict()
        else:
            candidate = self.candidate

        circuit: Union[None, Unset, dict[str, Any]]
        if isinstance(self.circuit, Unset):
            circuit = UNSET
        elif isinstance(self.circuit, CircuitOut):
            circuit = self.circuit.to_dict()
        else:
            circuit = self.circuit

        description: Union[None, Unset, str]
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        disabled_reason: Union[None, Unset, str]
        if isinstance(self.disabled_reason, Unset):
            disabled_reason = UNSET
        else:
            disabled_reason = self.disabled_reason

        fields: Union[None, Unset, list[str]]
        if isinstance(self.fields, Unset):
            fields = UNSET
        elif isinstance(self.fields, list):
            fields = self.fields


        else:
            fields = self.fields

        health: Union[None, Unset, dict[str, Any]]
        if isinstance(self.health, Unset):
            health = UNSET
        elif isinstance(self.health, HealthOut):
            health = self.health.to_dict()
        else:
            health = self.health

        ordering: Union[None, Unset, dict[str, Any]]
        if isinstance(self.ordering, Unset):
            ordering = UNSET
        elif isinstance(self.ordering, OrderingIo):
            ordering = self.ordering.to_dict()
        else:
            ordering = self.ordering

        plugin: Union[None, Unset, dict[str, Any]]
        if isinstance(self.plugin, Unset):
            plugin = UNSET
        elif isinstance(self.plugin, PluginRefIo):
            plugin = self.plugin.to_dict()
        else:
            plugin = self.plugin

        plugin_history: Union[Unset, list[dict[str, Any]]] = UNSET
        if not isinstance(self.plugin_history, Unset):
            plugin_history = []
            for plugin_history_item_data in self.plugin_history:
                plugin_history_item = plugin_history_item_data.to_dict()
                plugin_history.append(plugin_history_item)



        previous_plugin: Union[None, Unset, dict[str, Any]]
        if isinstance(self.previous_plugin, Unset):
            previous_plugin = UNSET
        elif isinstance(self.previous_plugin, PluginRefIo):
            previous_plugin = self.previous_plugin.to_dict()
        else:
            previous_plugin = self.previous_plugin

        rate_limit: Union[None, Unset, dict[str, Any]]
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        elif isinstance(self.rate_limit, RateLimitIo):
            rate_limit = self.rate_limit.to_dict()
        else:
            rate_limit = self.rate_limit

        retry: Union[None, Unset, dict[str, Any]]
        if isinstance(self.retry, Unset):
            retry = UNSET
        elif isinstance(self.retry, RetryIo):
            retry = self.retry.to_dict()
        else:
            retry = self.retry

        secret: Union[None, Unset, str]
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        warnings: Union[Unset, list[str]] = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created": created,
            "etag": etag,
            "events": events,
            "format": format_,
            "headers": headers,
            "id": id,
            "live": live,
            "metadata": metadata,
            "signing": signing,
            "status": status,
            "updated": updated,
            "url": url,
            "workspace": workspace,
        })
        if batch is not UNSET:
            field_dict["batch"] = batch
        if candidate is not UNSET:
            field_dict["candidate"] = candidate
        if circuit is not UNSET:
            field_dict["circuit"] = circuit
        if description is not UNSET:
            field_dict["description"] = description
        if disabled_reason is not UNSET:
            field_dict["disabledReason"] = disabled_reason
        if fields is not UNSET:
            field_dict["fields"] = fields
        if health is not UNSET:
            field_dict["health"] = health
        if ordering is not UNSET:
            field_dict["ordering"] = ordering
        if plugin is not UNSET:
            field_dict["plugin"] = plugin
        if plugin_history is not UNSET:
            field_dict["pluginHistory"] = plugin_history
        if previous_plugin is not UNSET:
            field_dict["previousPlugin"] = previous_plugin
        if rate_limit is not UNSET:
            field_dict["rateLimit"] = rate_limit
        if retry is not UNSET:
            field_dict["retry"] = retry
        if secret is not UNSET:
            field_dict["secret"] = secret
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.list_out_subscription_out_data_item_metadata import ListOutSubscriptionOutDataItemMetadata
        from ..models.signing_io import SigningIo
        from ..models.plugin_ref_io import PluginRefIo
        from ..models.rate_limit_io import RateLimitIo
        from ..models.plugin_change_out import PluginChangeOut
        from ..models.candidate_out import CandidateOut
        from ..models.health_out import HealthOut
        from ..models.batch_io import BatchIo
        from ..models.ordering_io import OrderingIo
        from ..models.circuit_out import CircuitOut
        from ..models.retry_io import RetryIo
        d = dict(src_dict)
        created = isoparse(d.pop("created"))




        etag = d.pop("etag")

        events = cast(list[str], d.pop("events"))


        format_ = d.pop("format")

        headers = cast(list[str], d.pop("headers"))


        id = d.pop("id")

        live = d.pop("live")

        metadata = ListOutSubscriptionOutDataItemMetadata.from_dict(d.pop("metadata"))




        signing = SigningIo.from_dict(d.pop("signing"))




        status = StatusIo(d.pop("status"))




        updated = isoparse(d.pop("updated"))




        url = d.pop("url")

        workspace = d.pop("workspace")

        def _parse_batch(data: object) -> Union['BatchIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                batch_type_1 = BatchIo.from_dict(data)



                return batch_type_1
            except: # noqa: E722
                pass
            return cast(Union['BatchIo', None, Unset], data)

        batch = _parse_batch(d.pop("batch", UNSET))


        def _parse_candidate(data: object) -> Union['CandidateOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                candidate_type_1 = CandidateOut.from_dict(data)



                return candidate_type_1
            except: # noqa: E722
                pass
            return cast(Union['CandidateOut', None, Unset], data)

        candidate = _parse_candidate(d.pop("candidate", UNSET))


        def _parse_circuit(data: object) -> Union['CircuitOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                circuit_type_1 = CircuitOut.from_dict(data)



                return circuit_type_1
            except: # noqa: E722
                pass
            return cast(Union['CircuitOut', None, Unset], data)

        circuit = _parse_circuit(d.pop("circuit", UNSET))


        def _parse_description(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_disabled_reason(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        disabled_reason = _parse_disabled_reason(d.pop("disabledReason", UNSET))


        def _parse_fields(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                fields_type_0 = cast(list[str], data)

                return fields_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        fields = _parse_fields(d.pop("fields", UNSET))


        def _parse_health(data: object) -> Union['HealthOut', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                health_type_1 = HealthOut.from_dict(data)



                return health_type_1
            except: # noqa: E722
                pass
            return cast(Union['HealthOut', None, Unset], data)

        health = _parse_health(d.pop("health", UNSET))


        def _parse_ordering(data: object) -> Union['OrderingIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ordering_type_1 = OrderingIo.from_dict(data)



                return ordering_type_1
            except: # noqa: E722
                pass
            return cast(Union['OrderingIo', None, Unset], data)

        ordering = _parse_ordering(d.pop("ordering", UNSET))


        def _parse_plugin(data: object) -> Union['PluginRefIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                plugin_type_1 = PluginRefIo.from_dict(data)



                return plugin_type_1
            except: # noqa: E722
                pass
            return cast(Union['PluginRefIo', None, Unset], data)

        plugin = _parse_plugin(d.pop("plugin", UNSET))


        plugin_history = []
        _plugin_history = d.pop("pluginHistory", UNSET)
        for plugin_history_item_data in (_plugin_history or []):
            plugin_history_item = PluginChangeOut.from_dict(plugin_history_item_data)



            plugin_history.append(plugin_history_item)


        def _parse_previous_plugin(data: object) -> Union['PluginRefIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                previous_plugin_type_1 = PluginRefIo.from_dict(data)



                return previous_plugin_type_1
            except: # noqa: E722
                pass
            return cast(Union['PluginRefIo', None, Unset], data)

        previous_plugin = _parse_previous_plugin(d.pop("previousPlugin", UNSET))


        def _parse_rate_limit(data: object) -> Union['RateLimitIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rate_limit_type_1 = RateLimitIo.from_dict(data)



                return rate_limit_type_1
            except: # noqa: E722
                pass
            return cast(Union['RateLimitIo', None, Unset], data)

        rate_limit = _parse_rate_limit(d.pop("rateLimit", UNSET))


        def _parse_retry(data: object) -> Union['RetryIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retry_type_1 = RetryIo.from_dict(data)



                return retry_type_1
            except: # noqa: E722
                pass
            return cast(Union['RetryIo', None, Unset], data)

        retry = _parse_retry(d.pop("retry", UNSET))


        def _parse_secret(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        secret = _parse_secret(d.pop("secret", UNSET))


        warnings = cast(list[str], d.pop("warnings", UNSET))


        list_out_subscription_out_data_item = cls(
            created=created,
            etag=etag,
            events=events,
            format_=format_,
            headers=headers,
            id=id,
            live=live,
            metadata=metadata,
            signing=signing,
            status=status,
            updated=updated,
            url=url,
            workspace=workspace,
            batch=batch,
            candidate=candidate,
            circuit=circuit,
            description=description,
            disabled_reason=disabled_reason,
            fields=fields,
            health=health,
            ordering=ordering,
            plugin=plugin,
            plugin_history=plugin_history,
            previous_plugin=previous_plugin,
            rate_limit=rate_limit,
            retry=retry,
            secret=secret,
            warnings=warnings,
        )


        list_out_subscription_out_data_item.additional_properties = d
        return list_out_subscription_out_data_item

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
