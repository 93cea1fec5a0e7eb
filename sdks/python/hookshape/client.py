"""The hand-written surface over the generated client: resources as attributes, answers as
plain dicts, API errors raised with their `code` and `detail`, 429s retried after their
`Retry-After`, lists paged as iterators."""

from __future__ import annotations

import json
import os
import time
from typing import Any, Callable, Dict, Iterator, List, Optional

import httpx

from ._api.api.deliveries import (
    list_deliveries,
    list_deliveries_in_workspace,
    retry_delivery,
    retry_delivery_in_workspace,
    show_delivery,
    show_delivery_in_workspace,
)
from ._api.api.event_types import (
    create as create_event_type,
    create_in_workspace as create_event_type_in_workspace,
    list_ as list_event_types,
    list_in_workspace as list_event_types_in_workspace,
    remove as remove_event_type,
    remove_in_workspace as remove_event_type_in_workspace,
    show as show_event_type,
    show_in_workspace as show_event_type_in_workspace,
    update as update_event_type,
    update_in_workspace as update_event_type_in_workspace,
)
from ._api.api.events import (
    list_events,
    list_events_in_workspace,
    publish_event,
    publish_event_in_workspace,
    show_event,
    show_event_in_workspace,
)
from ._api.api.plugins import (
    delete_plugin,
    delete_plugin_in_workspace,
    list_plugins,
    list_plugins_in_workspace,
    run_plugin,
    run_plugin_in_workspace,
    show_plugin,
    show_plugin_in_workspace,
)
from ._api.api.subscriptions import (
    create_subscription,
    create_subscription_in_workspace,
    delete_subscription,
    delete_subscription_in_workspace,
    list_subscriptions,
    list_subscriptions_in_workspace,
    promote_candidate,
    promote_candidate_in_workspace,
    reveal_secret,
    reveal_secret_in_workspace,
    set_candidate,
    set_candidate_in_workspace,
    show_candidate,
    show_candidate_in_workspace,
    show_subscription,
    show_subscription_in_workspace,
    stop_candidate,
    stop_candidate_in_workspace,
    update_subscription,
    update_subscription_in_workspace,
)
from ._api.api.tokens import create_token, list_tokens, revoke_token
from ._api.api.workspaces import create_workspace, list_workspaces, show_workspace
from ._api.client import AuthenticatedClient
from ._api.models import (
    CandidateIn,
    EventIn,
    EventTypeIn,
    EventTypePatch,
    RunIn,
    SubscriptionIn,
    SubscriptionPatch,
    TokenIn,
    WorkspaceIn,
)

Json = Dict[str, Any]


class HookshapeError(Exception):
    """An answer other than 2xx: `status`, the API's stable `code` and its `detail`."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


def _retry_after(headers: Any) -> float:
    try:
        return min(max(float(headers.get("retry-after", "1")), 0.0), 60.0)
    except ValueError:
        return 1.0


class Hookshape:
    """A client of one hookshape server. `token` and `url` default to `HOOKSHAPE_TOKEN` and
    `HOOKSHAPE_URL`; `workspace` is the default workspace of every call (a call's own
    `workspace=` wins)."""

    def __init__(
        self,
        token: Optional[str] = None,
        url: Optional[str] = None,
        workspace: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 3,
    ):
        token = token or os.environ.get("HOOKSHAPE_TOKEN")
        if not token:
            raise ValueError("give token= or set HOOKSHAPE_TOKEN")
        url = url or os.environ.get("HOOKSHAPE_URL") or "http://127.0.0.1:8080"
        self.workspace = workspace
        self.max_retries = max_retries
        self._api = AuthenticatedClient(
            base_url=url.rstrip("/"), token=token, timeout=httpx.Timeout(timeout)
        )
        self.events = Events(self)
        self.deliveries = Deliveries(self)
        self.subscriptions = Subscriptions(self)
        self.workspaces = Workspaces(self)
        self.tokens = Tokens(self)
        self.plugins = Plugins(self)
        self.event_types = EventTypes(self)

    def _call(self, plain: Any, scoped: Any, workspace: Optional[str], *args: Any, **kwargs: Any) -> Any:
        ws = workspace or self.workspace
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        def send() -> Any:
            if ws and scoped is not None:
                return scoped.sync_detailed(ws, *args, client=self._api, **kwargs)
            return plain.sync_detailed(*args, client=self._api, **kwargs)

        return self._answer(send)

    def _raw(self, method: str, path: str, workspace: Optional[str], **kwargs: Any) -> Any:
        """A request the generated layer has no function for (a plugin's wasm upload)."""
        ws = workspace or self.workspace
        prefix = f"/v1/workspaces/{ws}" if ws else "/v1"
        http = self._api.get_httpx_client()
        return self._answer(lambda: http.request(method, prefix + path, **kwargs))

    def _answer(self, send: Callable[[], Any]) -> Any:
        for attempt in range(self.max_retries + 1):
            response = send()
            if response.status_code == 429 and attempt < self.max_retries:
                time.sleep(_retry_after(response.headers))
                continue
            break
        body = json.loads(response.content) if response.content else None
        if response.status_code >= 400:
            body = body if isinstance(body, dict) else {}
            raise HookshapeError(
                int(response.status_code),
                str(body.get("code", "http_%d" % response.status_code)),
                str(body.get("detail", response.content[:200].decode("utf-8", "replace"))),
            )
        return body

    def _pages(self, fetch: Callable[[Optional[str]], Json]) -> Iterator[Json]:
        cursor: Optional[str] = None
        while True:
            page = fetch(cursor)
            yield from page.get("data", [])
            cursor = page.get("nextCursor")
            if not cursor:
                return


class _Resource:
    def __init__(self, client: Hookshape):
        self._c = client


class Events(_Resource):
    def send(
        self,
        type: str,
        object: Json,
        previous: Optional[Json] = None,
        id: Optional[str] = None,
        workspace: Optional[str] = None,
        live: Optional[bool] = None,
        tenant: Optional[str] = None,
        occurred_at: Optional[str] = None,
        traceparent: Optional[str] = None,
    ) -> Json:
        """Publishes an event; an `id` makes it idempotent (a repeat creates nothing). A W3C
        `traceparent` makes the publish and its attempts part of the caller's trace."""
        fields: Json = {"type": type, "object": object}
        for key, value in (("previous", previous), ("id", id), ("live", live), ("tenant", tenant), ("occurredAt", occurred_at)):
            if value is not None:
                fields[key] = value
        body = EventIn.from_dict(fields)
        return self._c._call(
            publish_event, publish_event_in_workspace, workspace, body=body, traceparent=traceparent
        )

    def get(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(show_event, show_event_in_workspace, workspace, id)

    def list(self, type: Optional[str] = None, since: Optional[str] = None, workspace: Optional[str] = None, page_size: int = 100) -> Iterator[Json]:
        return self._c._pages(
            lambda cursor: self._c._call(
                list_events, list_events_in_workspace, workspace, type_=type, since=since, limit=page_size, before=cursor
            )
        )


class Deliveries(_Resource):
    def list(
        self,
        status: Optional[str] = None,
        type: Optional[str] = None,
        subscription: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        workspace: Optional[str] = None,
        page_size: int = 100,
    ) -> Iterator[Json]:
        """Deliveries, newest first, every page."""
        return self._c._pages(
            lambda cursor: self._c._call(
                list_deliveries,
                list_deliveries_in_workspace,
                workspace,
                status=status,
                type_=type,
                subscription=subscription,
                since=since,
                until=until,
                limit=page_size,
                before=cursor,
            )
        )

    def get(self, id: str, workspace: Optional[str] = None) -> Json:
        """A delivery with every attempt (`attemptLog`)."""
        return self._c._call(show_delivery, show_delivery_in_workspace, workspace, id)

    def retry(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(retry_delivery, retry_delivery_in_workspace, workspace, id)


class Subscriptions(_Resource):
    def create(self, url: str, events: List[str], workspace: Optional[str] = None, **fields: Any) -> Json:
        """Creates a subscription; the answer holds its `secret`, shown only here. Other
        fields as the API names them (`description`, `plugin`, `signing`, `live`, …)."""
        body = SubscriptionIn.from_dict({"url": url, "events": events, **fields})
        return self._c._call(create_subscription, create_subscription_in_workspace, workspace, body=body)

    def get(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(show_subscription, show_subscription_in_workspace, workspace, id)

    def update(self, id: str, workspace: Optional[str] = None, **fields: Any) -> Json:
        body = SubscriptionPatch.from_dict(fields)
        return self._c._call(update_subscription, update_subscription_in_workspace, workspace, id, body=body)

    def delete(self, id: str, workspace: Optional[str] = None) -> None:
        self._c._call(delete_subscription, delete_subscription_in_workspace, workspace, id)

    def secret(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(reveal_secret, reveal_secret_in_workspace, workspace, id)

    def list(self, workspace: Optional[str] = None, page_size: int = 100) -> Iterator[Json]:
        return self._c._pages(
            lambda cursor: self._c._call(
                list_subscriptions, list_subscriptions_in_workspace, workspace, limit=page_size, after=cursor
            )
        )

    def set_candidate(self, id: str, plugin: Json, percent: int = 0, workspace: Optional[str] = None) -> Json:
        """Tries another plugin (`{"id": …, "config": …}`) beside the current one: its output is
        compared on live events, and `percent` of them are sent with it (a canary)."""
        body = CandidateIn.from_dict({"plugin": plugin, "percent": percent})
        return self._c._call(set_candidate, set_candidate_in_workspace, workspace, id, body=body)

    def candidate(self, id: str, workspace: Optional[str] = None) -> Json:
        """The candidate and its comparison so far."""
        return self._c._call(show_candidate, show_candidate_in_workspace, workspace, id)

    def promote_candidate(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(promote_candidate, promote_candidate_in_workspace, workspace, id)

    def stop_candidate(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(stop_candidate, stop_candidate_in_workspace, workspace, id)


class Plugins(_Resource):
    def upload(self, wasm: bytes, name: Optional[str] = None, workspace: Optional[str] = None) -> Json:
        """Uploads a WebAssembly component; the same bytes give the same id."""
        params = {"name": name} if name else {}
        headers = {"content-type": "application/wasm"}
        return self._c._raw("POST", "/plugins", workspace, content=wasm, params=params, headers=headers)

    def get(self, id: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(show_plugin, show_plugin_in_workspace, workspace, id)

    def list(self, workspace: Optional[str] = None) -> List[Json]:
        return self._c._call(list_plugins, list_plugins_in_workspace, workspace).get("data", [])

    def delete(self, id: str, workspace: Optional[str] = None) -> None:
        self._c._call(delete_plugin, delete_plugin_in_workspace, workspace, id)

    def run(self, id: str, event: Json, config: Optional[Json] = None, workspace: Optional[str] = None, **fields: Any) -> Json:
        """Runs the plugin on `event` as a delivery would, sending and storing nothing."""
        body = RunIn.from_dict({"event": event, "config": config if config is not None else {}, **fields})
        return self._c._call(run_plugin, run_plugin_in_workspace, workspace, id, body=body)


class EventTypes(_Resource):
    """The catalog: event types with their schema and example."""

    def create(self, name: str, workspace: Optional[str] = None, **fields: Any) -> Json:
        """Fields as the API names them (`description`, `schema`, `example`, `snapshot`, …)."""
        body = EventTypeIn.from_dict({"name": name, **fields})
        return self._c._call(create_event_type, create_event_type_in_workspace, workspace, body=body)

    def get(self, name: str, workspace: Optional[str] = None) -> Json:
        return self._c._call(show_event_type, show_event_type_in_workspace, workspace, name)

    def list(self, workspace: Optional[str] = None) -> List[Json]:
        return self._c._call(list_event_types, list_event_types_in_workspace, workspace).get("data", [])

    def update(self, name: str, workspace: Optional[str] = None, **fields: Any) -> Json:
        body = EventTypePatch.from_dict(fields)
        return self._c._call(update_event_type, update_event_type_in_workspace, workspace, name, body=body)

    def delete(self, name: str, workspace: Optional[str] = None) -> None:
        self._c._call(remove_event_type, remove_event_type_in_workspace, workspace, name)


class Workspaces(_Resource):
    def create(self, name: str, id: Optional[str] = None, **fields: Any) -> Json:
        fields = {"name": name, **({"id": id} if id else {}), **fields}
        return self._c._call(create_workspace, None, None, body=WorkspaceIn.from_dict(fields))

    def get(self, id: str) -> Json:
        return self._c._call(show_workspace, None, None, id)

    def list(self) -> List[Json]:
        return self._c._call(list_workspaces, None, None).get("data", [])


class Tokens(_Resource):
    def create(self, name: str, role: str, workspace: Optional[str] = None, **fields: Any) -> Json:
        """Makes a token (its secret is in the answer, once)."""
        fields = {"name": name, "role": role, **({"workspace": workspace} if workspace else {}), **fields}
        return self._c._call(create_token, None, None, body=TokenIn.from_dict(fields))

    def list(self) -> List[Json]:
        return self._c._call(list_tokens, None, None).get("data", [])

    def revoke(self, id: str) -> None:
        self._c._call(revoke_token, None, None, id)
