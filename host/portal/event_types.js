// hookshape integrator portal: the event-type catalog, with each type's example and schema,
// and its example sent to a subscription. Loaded before app.js, which calls it with what the
// page shares.
"use strict";

window.HookshapePages = window.HookshapePages || {};

window.HookshapePages.eventTypes = function (ctx) {
  const { state, api, button, has } = ctx;
  const { $, el, setChildren, enc, pretty, badge, invalid } = window.HookshapeLib;

  async function loadEventTypes() {
    const res = await api("GET", "/v1/event-types");
    state.eventTypes = Array.isArray(res && res.data) ? res.data : [];
    renderEventTypes();
    ctx.pg().fillPgEvents();
  }

  function renderEventTypes() {
    const body = $("#event-types-body");
    if (!body) return;
    const types = state.eventTypes || [];
    if (!types.length) {
      setChildren(body, el("tr", { class: "empty" }, el("td", { colspan: "4" }, "No event types are documented yet.")));
      return;
    }
    setChildren(body, ...types.map((t) => {
      const hasExample = t.example !== undefined && t.example !== null;
      const hasSchema = t.schema !== undefined && t.schema !== null;
      const docs = hasExample || hasSchema
        ? el("details", { class: "docs" },
          el("summary", null, hasExample && hasSchema ? "Example and schema" : hasExample ? "Example" : "Schema"),
          hasExample ? [el("h4", null, "Example"), el("pre", { class: "example" }, pretty(t.example))] : null,
          hasSchema ? [el("h4", null, "Schema"), el("pre", { class: "schema" }, pretty(t.schema))] : null)
        : el("span", { class: "muted" }, "—");
      return el("tr", { class: "event-type" + (t.deprecated ? " is-deprecated" : ""), "data-name": t.name },
        el("td", { class: "name", "data-label": "Name" }, el("code", null, String(t.name))),
        el("td", { class: "description", "data-label": "Description" }, t.description || ""),
        el("td", { class: "flags", "data-label": "" },
          t.deprecated ? badge("deprecated", "deprecated") : null,
          t.workspace ? badge("this workspace", "custom") : null),
        el("td", { class: "docs-cell", "data-label": "Example" }, docs,
          hasExample && has("manage-subscriptions")
            ? button("Send example", "secondary send-example", () => sendExample(t.name), { "aria-label": "Send an example of " + t.name })
            : null));
    }));
  }

  // Delivers the catalog's example to the chosen subscription now, through its plugin.
  async function sendExample(name) {
    const subId = $("#et-send-to").value;
    if (!subId) throw invalid("Choose the subscription to send the example to.");
    const a = await api("POST", "/v1/subscriptions/" + enc(subId) + "/test", { body: { eventType: name } });
    const sub = state.subsById.get(subId);
    const got = a && a.response ? "it answered " + a.response.status : a && a.error ? "it failed: " + a.error.detail : String(a && a.outcome);
    const line = $("#et-send-result");
    line.textContent = "Sent " + name + " to " + (sub ? sub.url : subId) + ": " + got + ".";
    line.hidden = false;
  }

  return { loadEventTypes };
};
