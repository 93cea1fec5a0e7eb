from collections.abc import Mapping
from typing import Any, TypeVar, Optional, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.status_io import StatusIo
from ..types import UNSET, Unset
from typing import cast
from typing import cast, Union
from typing import Union

if TYPE_CHECKING:
  from ..models.signing_io import SigningIo
  from ..models.plugin_ref_io import PluginRefIo
  from ..models.rate_limit_io import RateLimitIo
  from ..models.subscription_in_headers import SubscriptionInHeaders
  from ..models.batch_io import BatchIo
  from ..models.ordering_io import OrderingIo
  from ..models.subscription_in_metadata import SubscriptionInMetadata
  from ..models.retry_io import RetryIo





T = TypeVar("T", bound="SubscriptionIn")



@_attrs_define
class SubscriptionIn:
    """ 
        Attributes:
            events (list[str]): Event types or patterns: `member.updated`, `invoice.*`, `*.updated`, `*`.
            url (str):
            batch (Union['BatchIo', None, Unset]):
            description (Union[None, Unset, str]):
            fields (Union[None, Unset, list[str]]): Deliver update events only when one of these top-level fields changed
                (creates and
                deletes always go out). Needs `previous` on published updates.
            headers (Union[Unset, SubscriptionInHeaders]): Headers sent with every request, e.g. `{"Authorization": "Bearer
                …"}` for the
                receiver: write-only (reads show their names only) and redacted in attempt records.
            live (Union[None, Unset, bool]): Live (default) subscriptions get live events; test ones (`false`) test events
                only.
            metadata (Union[Unset, SubscriptionInMetadata]):
            ordering (Union['OrderingIo', None, Unset]):
            plugin (Union['PluginRefIo', None, Unset]):
            rate_limit (Union['RateLimitIo', None, Unset]):
            retry (Union['RetryIo', None, Unset]):
            secret (Union[None, Unset, str]): The signing secret; generated (`whsec_…`) when absent.
            signing (Union['SigningIo', None, Unset]):
            status (Union[None, StatusIo, Unset]):
     """

    events: list[str]
    url: str
    batch: Union['BatchIo', None, Unset] = UNSET
    description: Union[None, Unset, str] = UNSET
    fields: Union[None, Unset, list[str]] = UNSET
    headers: Union[Unset, 'SubscriptionInHeaders'] = UNSET
    live: Union[None, Unset, bool] = UNSET
    metadata: Union[Unset, 'SubscriptionInMetadata'] = UNSET
    ordering: Union['OrderingIo', None, Unset] = UNSET
    plugin: Union['PluginRefIo', None, Unset] = UNSET
    rate_limit: Union['RateLimitIo', None, Unset] = UNSET
    retry: Union['RetryIo', None, Unset] = UNSET
    secret: Union[None, Unset, str] = UNSET
    signing: Union['SigningIo', None, Unset] = UNSET
    status: Union[None, StatusIo, Unset] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.signing_io import SigningIo
        from ..models.plugin_ref_io import PluginRefIo
        from ..models.rate_limit_io import RateLimitIo
        from ..models.subscription_in_headers import SubscriptionInHeaders
        from ..models.batch_io import BatchIo
        from ..models.ordering_io import OrderingIo
        from ..models.subscription_in_metadata import SubscriptionInMetadata
        from ..models.retry_io import RetryIo
        events = self.events



        url = self.url

        batch: Union[None, Unset, dict[str, Any]]
        if isinstance(self.batch, Unset):
            batch = UNSET
        elif isinstance(self.batch, BatchIo):
            batch = self.batch.to_dict()
        else:
            batch = self.batch

        description: Union[None, Unset, str]
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        fields: Union[None, Unset, list[str]]
        if isinstance(self.fields, Unset):
            fields = UNSET
        elif isinstance(self.fields, list):
            fields = self.fields


        else:
            fields = self.fields

        headers: Union[Unset, dict[str, Any]] = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        live: Union[None, Unset, bool]
        if isinstance(self.live, Unset):
            live = UNSET
        else:
            live = self.live

        metadata: Union[Unset, dict[str, Any]] = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

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

        signing: Union[None, Unset, dict[str, Any]]
        if isinstance(self.signing, Unset):
            signing = UNSET
        elif isinstance(self.signing, SigningIo):
            signing = self.signing.to_dict()
        else:
            signing = self.signing

        status: Union[None, Unset, str]
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, StatusIo):
            status = self.status.value
        else:
            status = self.status


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "events": events,
            "url": url,
        })
        if batch is not UNSET:
            field_dict["batch"] = batch
        if description is not UNSET:
            field_dict["description"] = description
        if fields is not UNSET:
            field_dict["fields"] = fields
        if headers is not UNSET:
            field_dict["headers"] = headers
        if live is not UNSET:
            field_dict["live"] = live
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if ordering is not UNSET:
            field_dict["ordering"] = ordering
        if plugin is not UNSET:
            field_dict["plugin"] = plugin
        if rate_limit is not UNSET:
            field_dict["rateLimit"] = rate_limit
        if retry is not UNSET:
            field_dict["retry"] = retry
        if secret is not UNSET:
            field_dict["secret"] = secret
        if signing is not UNSET:
            field_dict["signing"] = signing
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signing_io import SigningIo
        from ..models.plugin_ref_io import PluginRefIo
        from ..models.rate_limit_io import RateLimitIo
        from ..models.subscription_in_headers import SubscriptionInHeaders
        from ..models.batch_io import BatchIo
        from ..models.ordering_io import OrderingIo
        from ..models.subscription_in_metadata import SubscriptionInMetadata
        from ..models.retry_io import RetryIo
        d = dict(src_dict)
        events = cast(list[str], d.pop("events"))


        url = d.pop("url")

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


        def _parse_description(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        description = _parse_description(d.pop("description", UNSET))


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


        _headers = d.pop("headers", UNSET)
        headers: Union[Unset, SubscriptionInHeaders]
        if isinstance(_headers,  Unset):
            headers = UNSET
        else:
            headers = SubscriptionInHeaders.from_dict(_headers)




        def _parse_live(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        live = _parse_live(d.pop("live", UNSET))


        _metadata = d.pop("metadata", UNSET)
        metadata: Union[Unset, SubscriptionInMetadata]
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = SubscriptionInMetadata.from_dict(_metadata)




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


        def _parse_signing(data: object) -> Union['SigningIo', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                signing_type_1 = SigningIo.from_dict(data)



                return signing_type_1
            except: # noqa: E722
                pass
            return cast(Union['SigningIo', None, Unset], data)

        signing = _parse_signing(d.pop("signing", UNSET))


        def _parse_status(data: object) -> Union[None, StatusIo, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_1 = StatusIo(data)



                return status_type_1
            except: # noqa: E722
                pass
            return cast(Union[None, StatusIo, Unset], data)

        status = _parse_status(d.pop("status", UNSET))


        subscription_in = cls(
            events=events,
            url=url,
            batch=batch,
            description=description,
            fields=fields,
            headers=headers,
            live=live,
            metadata=metadata,
            ordering=ordering,
            plugin=plugin,
            rate_limit=rate_limit,
            retry=retry,
            secret=secret,
            signing=signing,
            status=status,
        )

        return subscription_in

