"""A test plugin that reaches for what plugins are denied: the event type says what to try.

``probe.file`` reads ``object.path``, ``probe.connect`` opens a TCP connection to
``object.port`` on loopback, ``probe.listdir`` lists ``/``, ``probe.env`` returns the
environment, and ``probe.raise`` raises.
"""

import os
import socket

import hookshape


class Plugin:
    def __init__(self, config: dict):
        pass

    def transform(self, event: hookshape.Event):
        what = event.type.rsplit(".", 1)[-1]
        if what == "file":
            with open(event.object["path"]) as f:
                return hookshape.deliver_json({"read": f.read()})
        if what == "connect":
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.connect(("127.0.0.1", event.object["port"]))
                return hookshape.deliver_json({"connected": True})
        if what == "listdir":
            return hookshape.deliver_json({"listed": os.listdir("/")})
        if what == "env":
            return hookshape.deliver_json({"env": dict(os.environ), "cwd": _cwd()})
        if what == "raise":
            raise ValueError("boom")
        return hookshape.DROP


def _cwd():
    try:
        return os.getcwd()
    except OSError as e:
        return f"none: {e}"


WitWorld = hookshape.export(Plugin)
