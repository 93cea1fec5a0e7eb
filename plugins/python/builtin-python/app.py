"""The built-in Python transform (``builtin:python``): the integrator's source is its config,
run inside this component's sandbox like any plugin.

Config: ``{"source": "def transform(event):\n    return {...}"}``. The source defines
``transform(event)``, where ``event`` has ``type``, ``object``, ``previous``,
``changed_fields``, ``id``, ``occurred_at``, ``tenant``, ``attempt`` and the SDK's helpers
(``envelope(data)``, ``operation``, …). It returns the request body (any JSON value, sent as
compact JSON) or ``None`` to drop the event; ``with_headers(body, {name: value})`` adds
headers. Also in scope: ``diff``, ``previous_attributes``, ``changed_fields``, ``get``,
``same``, and ``log(level, message)`` with ``debug``, ``info``, ``warn``, ``error``.
"""

import traceback

import hookshape

# The longest source taken, in characters.
MAX_SOURCE = 65536
FILENAME = "<source>"


class WithHeaders:
    def __init__(self, body, headers):
        self.body = body
        self.headers = headers


def with_headers(body, headers=None):
    """A body to send with extra headers: ``with_headers(body, {"x-kind": "member"})``."""
    headers = {} if headers is None else headers
    if not isinstance(headers, (dict, list, tuple)):
        raise hookshape.PluginError("with_headers: headers must be a dict or a list of pairs")
    return WithHeaders(body, headers)


HELPERS = {
    "with_headers": with_headers,
    "get": hookshape.get,
    "same": hookshape.same,
    "diff": hookshape.diff,
    "previous_attributes": hookshape.previous_attributes,
    "changed_fields": hookshape.changed_fields,
    "log": hookshape.log,
    "trace": hookshape.trace,
    "debug": hookshape.debug,
    "info": hookshape.info,
    "warn": hookshape.warn,
    "error": hookshape.error,
}


def located(e: BaseException) -> str:
    """``line N: Kind: message`` for an error raised in the source (its own line numbers)."""
    line = None
    for frame in traceback.extract_tb(e.__traceback__):
        if frame.filename == FILENAME:
            line = frame.lineno
    message = f"{type(e).__name__}: {e}"
    return f"line {line}: {message}" if line else message


class Plugin:
    def __init__(self, config: dict):
        source = config.get("source")
        if not isinstance(source, str) or not source.strip():
            raise hookshape.PluginError(
                "invalid config: `source` (Python defining `transform(event)`) is required")
        if len(source) > MAX_SOURCE:
            raise hookshape.PluginError(
                f"invalid config: `source` is {len(source)} characters; at most {MAX_SOURCE}")
        unknown = sorted(set(config) - {"source"})
        if unknown:
            raise hookshape.PluginError(f"invalid config: unknown field `{unknown[0]}` (only `source`)")
        try:
            code = compile(source, FILENAME, "exec")
        except SyntaxError as e:
            raise hookshape.PluginError(
                f"the source does not run: line {e.lineno}: SyntaxError: {e.msg}") from None
        scope = dict(HELPERS)
        try:
            exec(code, scope)
        except Exception as e:
            raise hookshape.PluginError(f"the source does not run: {located(e)}") from None
        fn = scope.get("transform")
        if not callable(fn):
            raise hookshape.PluginError("the source must define a function `transform(event)`")
        self.fn = fn

    def transform(self, event: hookshape.Event):
        try:
            out = self.fn(event)
        except Exception as e:
            raise hookshape.PluginError(located(e)) from None
        if out is None:
            return hookshape.DROP
        if isinstance(out, WithHeaders):
            headers = out.headers.items() if isinstance(out.headers, dict) else out.headers
            return hookshape.deliver_json(out.body, [(str(k), str(v)) for k, v in headers])
        return hookshape.deliver_json(out)


WitWorld = hookshape.export(Plugin)
