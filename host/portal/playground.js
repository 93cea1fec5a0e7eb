// hookshape integrator portal: the plugin playground. Runs a plugin (or the source of a
// built-in transform) on an event as a delivery would, and attaches it to a subscription.
// Loaded before app.js, which calls it with what the page shares.
"use strict";

window.HookshapePages = window.HookshapePages || {};

window.HookshapePages.playground = function (ctx) {
  const { state, api, clearError, report, loadSubscriptions, renderSubscriptions, loadEventTypes } = ctx;
  const { $, el, setChildren, enc, cssToken, fmtBytes, fmtMicros, pretty, prettyText, short, headersTable, logsList, invalid, parseJson } =
    window.HookshapeLib;

  async function loadPlayground() {
    state.pgLoaded = true;
    const jobs = [loadPlugins(), loadRecentEvents()];
    if (!state.eventTypes) jobs.push(loadEventTypes());
    const results = await Promise.allSettled(jobs);
    fillPgEvents();
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  async function loadPlugins(select) {
    const res = await api("GET", "/v1/plugins");
    state.plugins = Array.isArray(res && res.data) ? res.data : [];
    const box = $("#pg-plugin");
    if (box) {
      const current = select || box.value;
      if (!state.plugins.length) {
        setChildren(box, el("option", { value: "" }, "No plugins yet: upload one"));
      } else {
        setChildren(box, ...state.plugins.map((p) =>
          el("option", { value: p.id }, p.builtin
            ? p.name + " (built-in: write the code here)"
            : (p.name || short(p.id)) + " · " + short(p.id) + " · " + fmtBytes(p.size))));
        if (current && state.plugins.some((p) => p.id === current)) box.value = current;
      }
      syncConfigEditor();
    }
    renderSubscriptions();
  }

  async function loadRecentEvents() {
    const res = await api("GET", "/v1/events?limit=20");
    state.events = Array.isArray(res && res.data) ? res.data : [];
    fillPgEvents();
  }

  function fillPgEvents() {
    const select = $("#pg-event");
    if (!select) return;
    const examples = (state.eventTypes || []).map((t, i) => [t, i]).filter(([t]) => t.example !== undefined && t.example !== null);
    const options = [el("option", { value: "" }, state.events.length || examples.length ? "Choose an event…" : "No events or examples yet")];
    if (state.events.length) {
      options.push(el("optgroup", { label: "Recent events" },
        state.events.map((e, i) => el("option", { value: "e:" + i }, e.type + " — " + e.id))));
    }
    if (examples.length) {
      options.push(el("optgroup", { label: "Catalog examples" },
        examples.map(([t, i]) => el("option", { value: "x:" + i }, "example: " + t.name))));
    }
    setChildren(select, ...options);
  }

  // A catalog example is taken as the object, unless it is shaped as an event.
  function exampleEvent(t) {
    const ex = t.example;
    const eventKeys = ["type", "object", "previous", "id", "occurredAt", "tenant", "live", "workspace"];
    if (ex && typeof ex === "object" && !Array.isArray(ex) && "object" in ex && Object.keys(ex).every((k) => eventKeys.includes(k))) {
      return { type: ex.type || t.name, object: ex.object, previous: ex.previous };
    }
    return { type: t.name, object: ex, previous: null };
  }

  function pickPgEvent() {
    const value = $("#pg-event").value;
    let ev = null;
    if (value.startsWith("e:")) {
      const e = state.events[Number(value.slice(2))];
      if (e) ev = { type: e.type, object: e.object, previous: e.previous };
    } else if (value.startsWith("x:")) {
      const t = (state.eventTypes || [])[Number(value.slice(2))];
      if (t) ev = exampleEvent(t);
    }
    if (!ev) return;
    $("#pg-type").value = ev.type || "";
    $("#pg-object").value = pretty(ev.object === undefined ? null : ev.object);
    $("#pg-previous").value = ev.previous === null || ev.previous === undefined ? "" : pretty(ev.previous);
  }

  async function uploadPlugin(ev) {
    const input = ev.currentTarget;
    const file = input.files && input.files[0];
    if (!file) return;
    const status = $("#pg-upload-status");
    status.textContent = "Uploading " + file.name + "…";
    status.hidden = false;
    try {
      const bytes = await file.arrayBuffer();
      const name = file.name.slice(0, 200);
      const query = name ? "?name=" + enc(name) : "";
      const plugin = await api("POST", "/v1/plugins" + query, { raw: bytes, type: "application/wasm" });
      await loadPlugins(plugin && plugin.id);
      status.textContent = "Uploaded " + ((plugin && plugin.name) || file.name) + " (" + fmtBytes(plugin && plugin.size) + ").";
    } catch (e) {
      status.textContent = "Upload failed.";
      throw e;
    } finally {
      input.value = "";
    }
  }

  function readConfig() {
    if (sourceEditing()) return { source: $("#pg-source").value };
    const text = $("#pg-config").value.trim();
    return text ? parseJson(text, "Config") : {};
  }

  // ---------- the built-in JavaScript transform: source as config ----------

  // The built-ins whose config is source: the language's name and a function to start from.
  const SOURCE_PLUGINS = {
    "builtin:javascript": ["JavaScript", "function transform(event) {\n  // Return the request body (any JSON value), or null to drop the event.\n  return { type: event.type, data: event.object };\n}\n"],
    "builtin:python": ["Python", "def transform(event):\n    # Return the request body (any JSON value), or None to drop the event.\n    return {\"type\": event.type, \"data\": event.object}\n"],
  };

  const EXAMPLES = window.HookshapeExamples || {};

  // Replaces the source with the chosen example, and runs it.
  function useExample() {
    const pick = $("#pg-example");
    const language = $("#pg-source").dataset.language;
    const example = (EXAMPLES[language] || [])[Number(pick.value)];
    if (!example) return;
    $("#pg-source").value = example[1];
    pick.value = "";
    schedulePreview();
  }

  function sourceEditing() {
    const box = $("#pg-plugin");
    return !!box && Object.hasOwn(SOURCE_PLUGINS, box.value);
  }

  // The chosen plugin decides the editor: source for a built-in, JSON for the others. A
  // change of language starts again from that language's starter.
  function syncConfigEditor() {
    const source = sourceEditing();
    $("#pg-source-field").hidden = !source;
    $("#pg-config-field").hidden = source;
    if (!source) return;
    const [language, starter] = SOURCE_PLUGINS[$("#pg-plugin").value];
    $("#pg-source-label").textContent = "Source (" + language + ")";
    const box = $("#pg-source");
    if (box.dataset.language !== language) {
      box.value = starter;
      box.dataset.language = language;
      setChildren($("#pg-example"), el("option", { value: "" }, "Start from an example…"),
        ...(EXAMPLES[language] || []).map(([name], i) => el("option", { value: String(i) }, name)));
    }
  }

  // Runs the source again once typing pauses, when an event is given.
  let previewTimer = null;
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      if (!$("#pg-type").value.trim() || !$("#pg-object").value.trim()) return;
      clearError();
      runPlugin().catch((e) => report(e, "#pg-run-error"));
    }, 350);
  }

  function indentSource(ev) {
    if (window.HookshapeLib.indent(ev)) schedulePreview();
  }

  // `line N` in an error about the source: that line, to select in the editor.
  function errorLine(detail) {
    return sourceEditing() ? window.HookshapeLib.lineOf(detail) : null;
  }

  function goToLine(n) {
    window.HookshapeLib.selectLine($("#pg-source"), n);
  }

  async function runPlugin() {
    const pluginId = $("#pg-plugin").value;
    if (!pluginId) throw invalid("Choose or upload a plugin first.");
    const config = readConfig();
    const type = $("#pg-type").value.trim();
    if (!type) throw invalid("Give the event type.");
    const objectText = $("#pg-object").value.trim();
    if (!objectText) throw invalid("Give the event's object as JSON.");
    const event = { type, object: parseJson(objectText, "Object") };
    const previousText = $("#pg-previous").value.trim();
    if (previousText) event.previous = parseJson(previousText, "Previous object");
    const body = { config, event };
    const sub = $("#pg-subscription").value;
    if (sub) body.subscriptionId = sub;
    const out = $("#pg-result");
    setChildren(out, el("p", { class: "muted" }, "Running…"));
    out.hidden = false;
    try {
      renderPgResult(await api("POST", "/v1/plugins/" + enc(pluginId) + "/run", { body }));
    } catch (e) {
      // A config the plugin refuses (a syntax error in source) is its result: shown here,
      // beside what was edited, not in the banner.
      if (e && e.code === "invalid_plugin_config") {
        renderPgResult({ outcome: "error", error: { code: e.code, detail: e.detail } });
        return;
      }
      setChildren(out);
      out.hidden = true;
      throw e;
    }
  }

  function renderPgResult(r) {
    r = r || {};
    const out = $("#pg-result");
    const outcome = String(r.outcome || "unknown");
    const hasBody = r.body !== undefined && r.body !== null;
    const logs = Array.isArray(r.logs) ? r.logs : [];
    const summary = {
      deliver: "The plugin would send this request.",
      drop: "The plugin drops this event: nothing would be sent.",
      error: "The plugin failed on this event.",
    }[outcome];
    setChildren(out,
      el("div", { class: "detail-head" },
        el("h3", null, "Result ", el("span", { class: "pg-outcome badge st-" + cssToken(outcome) }, outcome)),
        el("span", { class: "pg-cost muted" }, "Time " + fmtMicros(r.durationUs) + " · memory " + fmtBytes(r.memoryBytes))),
      summary ? el("p", { class: "hint" }, summary) : null,
      r.error
        ? el("p", { class: "pg-error-line" }, r.error.code ? el("span", { class: "error-code" }, String(r.error.code)) : null, " ",
          el("span", { class: "pg-error" }, String(r.error.detail || r.error.message || pretty(r.error))),
          errorLine(r.error.detail) ? " " : null,
          errorLine(r.error.detail)
            ? el("button", { type: "button", class: "secondary pg-goto", onclick: () => goToLine(errorLine(r.error.detail)) },
              "Go to line " + errorLine(r.error.detail))
            : null)
        : null,
      el("h4", null, "Headers"),
      headersTable(r.headers, "pg-headers"),
      el("h4", null, "Body"),
      hasBody ? el("pre", { class: "pg-body" }, prettyText(r.body)) : el("p", { class: "muted" }, "No body."),
      el("h4", null, "Logs"),
      logs.length ? logsList(logs, "pg-logs") : el("p", { class: "muted pg-logs-empty" }, "No log lines."));
    out.hidden = false;
  }

  async function attachPlugin() {
    const pluginId = $("#pg-plugin").value;
    if (!pluginId) throw invalid("Choose or upload a plugin first.");
    const subId = $("#pg-attach-subscription").value;
    if (!subId) throw invalid("Choose the subscription to attach the plugin to.");
    const config = readConfig();
    const result = $("#pg-attach-result");
    result.hidden = true;
    await api("PATCH", "/v1/subscriptions/" + enc(subId), { body: { plugin: { id: pluginId, config } } });
    result.textContent = "Attached";
    result.hidden = false;
    await loadSubscriptions();
  }

  return { loadPlayground, loadRecentEvents, fillPgEvents, pickPgEvent, uploadPlugin, syncConfigEditor, useExample, schedulePreview, indentSource, runPlugin, attachPlugin };
};
