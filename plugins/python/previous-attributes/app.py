"""OfficeRnD's notification shape, in Python:
``{"event", "eventType", "data": {"object", "previousAttributes"}, "createdAt"}``, where
``previousAttributes`` holds the old values of the changed fields and appears on updates only.

Config (optional): ``{"parentField": "company"}`` copies that field of the object to
``data.<parentField>`` on subresource events (``company.paymentdetails.removed``).
"""

import hookshape


class Plugin:
    def __init__(self, config: dict):
        unknown = set(config) - {"parentField"}
        if unknown:
            raise hookshape.PluginError(f"invalid config: unknown field `{sorted(unknown)[0]}`")
        self.parent_field = config.get("parentField")

    def transform(self, event: hookshape.Event):
        data = {"object": event.object}
        if event.operation == "updated":
            previous = event.previous
            data["previousAttributes"] = (
                {} if previous is None else hookshape.previous_attributes(event.object, previous)
            )
        subresource = event.type.count(".") >= 2
        if self.parent_field and subresource and isinstance(event.object, dict):
            if self.parent_field in event.object:
                data[self.parent_field] = event.object[self.parent_field]
        return hookshape.deliver_json(
            {
                "event": event.id,
                "eventType": event.type,
                "data": data,
                "createdAt": event.occurred_at,
            }
        )


WitWorld = hookshape.export(Plugin)
