"""hookshape's plugin SDK for Python.

A plugin module (``app.py``) defines a class with ``__init__(self, config)`` and
``transform(self, event)`` and exports it::

    import hookshape

    class Plugin:
        def __init__(self, config: dict):
            self.source = config.get("source", "hookshape")

        def transform(self, event: hookshape.Event):
            return hookshape.deliver_json({"type": event.type, "data": event.object})

    WitWorld = hookshape.export(Plugin)

``hookshape plugin build`` writes this file beside ``app.py`` and builds the component with
componentize-py; keep your edits out of it.
"""

import json

import wit_world
from componentize_py_types import Err
from wit_world.imports import host, types

__all__ = [
    "Event", "PluginError", "Deliver", "DROP", "deliver", "deliver_json", "dumps", "get", "valid_path", "MISSING",
    "same", "changed_fields", "diff", "previous_attributes", "log", "trace", "debug", "info", "warn",
    "error", "export",
]


class PluginError(Exception):
    """Raise it (or any exception) to fail the attempt; the message is its recorded reason."""


def dumps(value) -> str:
    """Compact JSON, as the Rust SDK writes it: no spaces, UTF-8 kept, keys in order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


MISSING = object()
"""What ``get`` returns for a missing field when asked to tell it from ``null``."""


def valid_path(path: str) -> bool:
    """Whether a dotted path is well formed: not empty, no empty segment (``a..b``)."""
    return bool(path) and all(path.split("."))


def get(value, path: str, default=None):
    """The value at a dotted path (``address.city``, ``lines.0.amount``: a number indexes a
    list), or ``default`` when a part is missing or the path is not well formed."""
    if not valid_path(path):
        return default
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return default
    return value


def changed_fields(obj, previous) -> list:
    """Top-level fields whose value differs: those of ``obj`` in order, then those only
    ``previous`` had. Empty unless both are objects."""
    if not isinstance(obj, dict) or not isinstance(previous, dict):
        return []
    out = [k for k, v in obj.items() if k not in previous or not same(previous[k], v)]
    out.extend(k for k in previous if k not in obj)
    return out


def same(a, b) -> bool:
    # JSON equality as the host computes it: true is not 1, and 1 is not 1.0.
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def diff(obj, previous) -> dict:
    """The changed top-level fields with their new values (a removed field maps to None)."""
    return {k: obj.get(k) for k in changed_fields(obj, previous)}


def previous_attributes(obj, previous) -> dict:
    """The changed top-level fields with their old values (a new field maps to None)."""
    return {k: previous.get(k) for k in changed_fields(obj, previous)}


_OPERATIONS = {
    "created": "created", "create": "created", "added": "created",
    "updated": "updated", "update": "updated", "changed": "updated",
    "deleted": "deleted", "delete": "deleted", "removed": "deleted", "remove": "deleted",
}


class Event:
    """One change event, for one delivery attempt."""

    __slots__ = ("id", "type", "occurred_at", "tenant", "object", "previous", "changed_fields",
                 "attempt_id", "attempt")

    def __init__(self, e: types.Event):
        self.id = e.id
        self.type = e.event_type
        self.occurred_at = e.occurred_at
        self.tenant = e.tenant
        self.object = _parse(e.object, "object")
        self.previous = None if e.previous is None else _parse(e.previous, "previous")
        self.changed_fields = list(e.changed_fields)
        self.attempt_id = e.attempt_id
        self.attempt = e.attempt

    @property
    def resource(self) -> str:
        """``invoice.charge`` for ``invoice.charge.created``."""
        return self.type.rsplit(".", 1)[0]

    @property
    def root_resource(self) -> str:
        """``invoice`` for ``invoice.charge.created``."""
        return self.type.split(".", 1)[0]

    @property
    def operation(self) -> str:
        """``created``, ``updated``, ``deleted`` (synonyms included), else ``other``."""
        return _OPERATIONS.get(self.type.rsplit(".", 1)[-1], "other")

    def occurred_at_seconds(self) -> str:
        """The occurrence time to whole seconds (``2023-10-05T10:47:21Z``)."""
        dot = self.occurred_at.find(".")
        if dot >= 0 and self.occurred_at.endswith("Z"):
            return self.occurred_at[:dot] + "Z"
        return self.occurred_at

    def envelope(self, data) -> dict:
        """The host's default envelope: ``{"type", "timestamp", "data"}``."""
        return {"type": self.type, "timestamp": self.occurred_at, "data": data}


def _parse(text: str, what: str):
    try:
        return json.loads(text)
    except ValueError as e:
        raise PluginError(f"event {what} is not valid JSON: {e}") from None


class Deliver:
    """Send this body (bytes as given; the host signs them) with these extra headers."""

    __slots__ = ("body", "headers")

    def __init__(self, body: str, headers=()):
        self.body = body
        self.headers = list(headers.items() if isinstance(headers, dict) else headers)


DROP = None
"""Return it (or None) to send nothing; the delivery is recorded as dropped."""


def deliver(body: str, headers=()) -> Deliver:
    return Deliver(body, headers)


def deliver_json(value, headers=()) -> Deliver:
    return Deliver(dumps(value), headers)


def log(level: str, message: str) -> None:
    """Appends a line to the attempt's log: level is trace, debug, info, warn or error."""
    host.log(types.Level[level.upper()], message)


def trace(message: str) -> None:
    log("trace", message)


def debug(message: str) -> None:
    log("debug", message)


def info(message: str) -> None:
    log("info", message)


def warn(message: str) -> None:
    log("warn", message)


def error(message: str) -> None:
    log("error", message)


def _reason(e: BaseException) -> str:
    if isinstance(e, PluginError):
        return str(e)
    return f"{type(e).__name__}: {e}"


def export(plugin_class):
    """The component's world, around a plugin class; assign it to ``WitWorld`` in app.py."""
    state = {}

    class Exported(wit_world.WitWorld):
        def configure(self, config: str) -> None:
            try:
                parsed = json.loads(config) if config.strip() else {}
            except ValueError as e:
                raise Err(f"config is not valid JSON: {e}") from None
            try:
                state["plugin"] = plugin_class(parsed)
            except Exception as e:
                raise Err(_reason(e)) from None

        def transform(self, event: types.Event) -> types.Outcome:
            try:
                out = state["plugin"].transform(Event(event))
            except Exception as e:
                raise Err(_reason(e)) from None
            if out is None:
                return types.Outcome_Drop()
            if not isinstance(out, Deliver):
                raise Err(f"transform returned {type(out).__name__}, not a Deliver or None")
            return types.Outcome_Deliver(types.Delivery(body=out.body, headers=out.headers))

    return Exported
