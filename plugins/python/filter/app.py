"""Drops every event unless a field of its object has one of the configured values; what
passes goes out unchanged in the default envelope.

Config: ``{"field": "status", "equals": "active"}`` or ``{"field": "status", "in": ["a", "b"]}``.
"""

import hookshape


class Plugin:
    def __init__(self, config: dict):
        if not isinstance(config.get("field"), str):
            raise hookshape.PluginError("invalid config: `field` (a string) is required")
        if not hookshape.valid_path(config["field"]):
            raise hookshape.PluginError(f"invalid config: field path `{config['field']}` has an empty segment")
        if ("equals" in config) == ("in" in config):
            raise hookshape.PluginError("invalid config: give one of `equals` and `in`")
        self.field = config["field"]
        self.any_of = [config["equals"]] if "equals" in config else config["in"]
        if not isinstance(self.any_of, list) or not self.any_of:
            raise hookshape.PluginError("invalid config: `in` must be a non-empty list")

    def transform(self, event: hookshape.Event):
        value = hookshape.get(event.object, self.field, hookshape.MISSING)
        if value is hookshape.MISSING or not any(hookshape.same(value, v) for v in self.any_of):
            return hookshape.DROP
        return hookshape.deliver_json(event.envelope(event.object))


WitWorld = hookshape.export(Plugin)
