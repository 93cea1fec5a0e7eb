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
  from ..models.subscription_patch_metadata_type_0 import SubscriptionPatchMetadataType0
  from ..models.signing_io import SigningIo
  from ..models.plugin_ref_io import PluginRefIo
  from ..models.rate_limit_io import RateLimitIo
  from ..models.subscription_patch_headers_type_0 import SubscriptionPatchHeadersType0
  from ..models.batch_io import BatchIo
  from ..models.ordering_io import OrderingIo
  from ..models.retry_io import RetryIo





T = TypeVar("T", bound="SubscriptionPatch")



@_attrs_define
class SubscriptionPatch:
    """ Fields to change; absent fields stay. `description` and `plugin` may be `null` to clear.

        Attributes:
            batch (Union['BatchIo', None, Unset]):
            description (Union[None, Unset, str]):
            events (Union[None, Unset, list[str]]):
            fields (Union[None, Unset, list[str]]):
            headers (Union['SubscriptionPatchHeadersType0', None, Unset]): Replaces all static headers (`{}` removes them).
            metadata (Union['SubscriptionPatchMetadataType0', None, Unset]):
            ordering (Union['OrderingIo', None, Unset]):
            plugin (Union['PluginRefIo', None, Unset]):
            rate_limit (Union['RateLimitIo', None, Unset]):
            retry (Union['RetryIo', None, Unset]):
            signing (Union['SigningIo', None, Unset]):
            status (Union[None, StatusIo, Unset]):
            url (Union[None, Unset, str]):
     """

    batch: Union['BatchIo', None, Unset] = UNSET
    description: Union[None, Unset, str] = UNSET
    events: Union[None, Unset, list[str]] = UNSET
    fields: Union[None, Unset, list[str]] = UNSET
    headers: Union['SubscriptionPatchHeadersType0', None, Unset] = UNSET
    metadata: Union['SubscriptionPatchMetadataType0', None, Unset] = UNSET
    ordering: Union['OrderingIo', None, Unset] = UNSET
    plugin: Union['PluginRefIo', None, Unset] = UNSET
    rate_limit: Union['RateLimitIo', None, Unset] = UNSET
    retry: Union['RetryIo', None, Unset] = UNSET
    signing: Union['SigningIo', None, Unset] = UNSET
    status: Union[None, StatusIo, Unset] = UNSET
    url: Union[None, Unset, str] = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.subscription_patch_metadata_type_0 import SubscriptionPatchMetadataType0
        from ..models.signing_io import SigningIo
        from ..models.plugin_ref_io import PluginRefIo
        from ..models.rate_limit_io import RateLimitIo
        from ..models.subscription_patch_headers_type_0 import SubscriptionPatchHeadersType0
        from ..models.batch_io import BatchIo
        from ..models.ordering_io import OrderingIo
        from ..models.retry_io import RetryIo
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

        events: Union[None, Unset, list[str]]
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = self.events


        else:
            events = self.events

        fields: Union[None, Unset, list[str]]
        if isinstance(self.fields, Unset):
            fields = UNSET
        elif isinstance(self.fields, list):
            fields = self.fields


        else:
            fields = self.fields

        headers: Union[None, Unset, dict[str, Any]]
        if isinstance(self.headers, Unset):
            headers = UNSET
        elif isinstance(self.headers, SubscriptionPatchHeadersType0):
            headers = self.headers.to_dict()
        else:
            headers = self.headers

        metadata: Union[None, Unset, dict[str, Any]]
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, SubscriptionPatchMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

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

        url: Union[None, Unset, str]
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if batch is not UNSET:
            field_dict["batch"] = batch
        if description is not UNSET:
            field_dict["description"] = description
        if events is not UNSET:
            field_dict["events"] = events
        if fields is not UNSET:
            field_dict["fields"] = fields
        if headers is not UNSET:
            field_dict["headers"] = headers
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
        if signing is not UNSET:
            field_dict["signing"] = signing
        if status is not UNSET:
            field_dict["status"] = status
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subscription_patch_metadata_type_0 import SubscriptionPatchMetadataType0
        from ..models.signing_io import SigningIo
        from ..models.plugin_ref_io import PluginRefIo
        from ..models.rate_limit_io import RateLimitIo
        from ..models.subscription_patch_headers_type_0 import SubscriptionPatchHeadersType0
        from ..models.batch_io import BatchIo
        from ..models.ordering_io import OrderingIo
        from ..models.retry_io import RetryIo
        d = dict(src_dict)
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


        def _parse_events(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = cast(list[str], data)

                return events_type_0
            except: # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        events = _parse_events(d.pop("events", UNSET))


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


        def _parse_headers(data: object) -> Union['SubscriptionPatchHeadersType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headers_type_0 = SubscriptionPatchHeadersType0.from_dict(data)



                return headers_type_0
            except: # noqa: E722
                pass
            return cast(Union['SubscriptionPatchHeadersType0', None, Unset], data)

        headers = _parse_headers(d.pop("headers", UNSET))


        def _parse_metadata(data: object) -> Union['SubscriptionPatchMetadataType0', None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = SubscriptionPatchMetadataType0.from_dict(data)



                return metadata_type_0
            except: # noqa: E722
                pass
            return cast(Union['SubscriptionPatchMetadataType0', None, Unset], data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))


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


        def _parse_url(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        url = _parse_url(d.pop("url", UNSET))


        subscription_patch = cls(
            batch=batch,
            description=description,
            events=events,
            fields=fields,
            headers=headers,
            metadata=metadata,
            ordering=ordering,
            plugin=plugin,
            rate_limit=rate_limit,
            retry=retry,
            signing=signing,
            status=status,
            url=url,
        )

        return subscription_patch

