"""A plugin to start from: edit ``transform``, then ``hookshape plugin build``.

This one adds a configurable ``source`` field and the event id to the object, and drops
events whose object is marked ``"internal": true``.
"""

import hookshape


class Plugin:
    def __init__(self, config: dict):
        unknown = set(config) - {"source"}
        if unknown:
            raise hookshape.PluginError(f"invalid config: unknown field `{sorted(unknown)[0]}`")
        self.source = config.get("source", "hookshape")

    def transform(self, event: hookshape.Event):
        if isinstance(event.object, dict) and event.object.get("internal") is True:
            hookshape.info("internal object: dropped")
            return hookshape.DROP
        return hookshape.deliver_json(
            {"id": event.id, "type": event.type, "source": self.source, "data": event.object}
        )


WitWorld = hookshape.export(Plugin)
