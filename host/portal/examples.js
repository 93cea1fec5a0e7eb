// hookshape integrator portal: the source editor's examples, per language: a name and the
// source. Apart from the editor so that the tests run every one on the real built-ins.
window.HookshapeExamples = {
  JavaScript: [
    ["Pick and rename fields", "function transform(event) {\n  // Only what the receiver needs, under its own names.\n  const o = event.object;\n  return { id: o.id, email: o.email, fullName: o.name };\n}\n"],
    ["Drop some events", "function transform(event) {\n  // null drops the event: no request is sent, and the attempt says why.\n  if (event.object.internal === true) return null;\n  return { type: event.type, data: event.object };\n}\n"],
    ["Changes with their previous values", "function transform(event) {\n  // previous is the object before the change (published, or the last one seen).\n  return {\n    type: event.type,\n    data: event.object,\n    previousAttributes: previousAttributes(event.object, event.previous),\n  };\n}\n"],
    ["An envelope and a header", "function transform(event) {\n  const body = { event: event.type, id: event.id, occurredAt: event.occurredAt, payload: event.object };\n  return withHeaders(body, { \"x-event-type\": event.type });\n}\n"],
  ],
  Python: [
    ["Pick and rename fields", "def transform(event):\n    # Only what the receiver needs, under its own names.\n    o = event.object\n    return {\"id\": o.get(\"id\"), \"email\": o.get(\"email\"), \"fullName\": o.get(\"name\")}\n"],
    ["Drop some events", "def transform(event):\n    # None drops the event: no request is sent, and the attempt says why.\n    if event.object.get(\"internal\") is True:\n        return None\n    return {\"type\": event.type, \"data\": event.object}\n"],
    ["Changes with their previous values", "def transform(event):\n    # previous is the object before the change (published, or the last one seen).\n    return {\n        \"type\": event.type,\n        \"data\": event.object,\n        \"previousAttributes\": previous_attributes(event.object, event.previous),\n    }\n"],
    ["An envelope and a header", "def transform(event):\n    body = {\"event\": event.type, \"id\": event.id, \"occurredAt\": event.occurred_at, \"payload\": event.object}\n    return with_headers(body, {\"x-event-type\": event.type})\n"],
  ],
};
