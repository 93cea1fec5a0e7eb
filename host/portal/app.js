// hookshape integrator portal. Plain DOM, no frameworks; runs under a strict CSP (no inline
// code or styles). Everything shown comes from users, so text goes in with textContent only.
"use strict";

(function () {
  const TOKEN_KEY = "hookshape-portal-token";
  const EXPIRED_TEXT = "This portal link has expired or is not valid. Ask for a new link.";
  const PAGES = ["subscriptions", "event-types", "deliveries", "playground"];
  const REFRESH_MS = 2000;
  const PAGE_SIZE = 50;
  const MAX_PAGE_SIZE = 250;

  const state = {
    token: "",
    me: null,
    caps: new Set(),
    page: null,
    expired: false,
    timer: 0,
    noticeTimer: 0,
    subs: [],
    subsById: new Map(),
    subsVersion: 0,
    secrets: new Map(), // subscription id -> SecretOut being shown
    editing: null, // the subscription the form edits; null: a new one
    eventTypes: null,
    events: [],
    plugins: [],
    pgLoaded: false,
    dl: { key: "", limit: PAGE_SIZE, items: [], more: false, sig: "", busy: false, again: false, detailId: null, detail: null },
  };

  const { $, el, appendAll, setChildren, enc, cssToken, relative, localTime, timeEl, fmtBytes, fmtMicros, pretty, prettyText, short, headerPairs, headersTable, kv, badge, logsList, localToRfc3339, toLocalInput, patternMatches, ApiError, invalid, parseJson } =
    window.HookshapeLib;

  function button(label, cls, handler, extra) {
    return el("button", Object.assign({ type: "button", class: cls, onclick: action(handler) }, extra || {}), label);
  }

  function has(cap) {
    return state.caps.has(cap);
  }


  function showError(detail) {
    const box = $("#error");
    if (!box) return;
    box.textContent = detail;
    box.hidden = !detail;
    if (detail) box.scrollIntoView({ block: "nearest" });
  }

  function clearError() {
    showError("");
    for (const box of document.querySelectorAll(".local-error")) {
      box.textContent = "";
      box.hidden = true;
    }
  }

  // Shows a failure beside what caused it (`where`: a `.local-error` box), else in the banner.
  function report(e, where) {
    if (state.expired || (e && e.status === 401)) return;
    const detail = (e && (e.detail || e.message)) || String(e);
    const box = where ? $(where) : null;
    if (box && !(box.parentElement && box.parentElement.closest("[hidden]"))) {
      box.textContent = detail;
      box.hidden = false;
      box.scrollIntoView({ block: "nearest" });
      return;
    }
    showError(detail);
  }

  function notice(text) {
    const box = $("#notice");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
    clearTimeout(state.noticeTimer);
    if (text) state.noticeTimer = setTimeout(() => { box.hidden = true; }, 8000);
  }

  // Wraps a user action: clears the last error, disables the button meanwhile, reports failures
  // (beside the action when `where` names a box for them).
  function action(fn, where) {
    return async function (ev) {
      const target = ev && ev.currentTarget instanceof HTMLButtonElement ? ev.currentTarget : null;
      clearError();
      if (target) target.disabled = true;
      try {
        await fn(ev);
      } catch (e) {
        report(e, where);
      } finally {
        if (target) target.disabled = false;
      }
    };
  }

  async function api(method, path, opts) {
    opts = opts || {};
    if (state.expired) throw new ApiError(401, "unauthorized", EXPIRED_TEXT);
    const headers = { Authorization: "Bearer " + state.token, Accept: "application/json" };
    let body;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers["Content-Type"] = opts.type || "application/octet-stream";
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["Content-Type"] = "application/json";
    }
    Object.assign(headers, opts.headers || {});
    let res;
    try {
      res = await fetch(path, { method, headers, body, cache: "no-store", credentials: "same-origin" });
    } catch (e) {
      throw new ApiError(0, "network", "The server could not be reached (" + ((e && e.message) || e) + ").");
    }
    if (res.status === 401) {
      showExpired();
      throw new ApiError(401, "unauthorized", EXPIRED_TEXT);
    }
    let text = "";
    try {
      text = await res.text();
    } catch (_) {
      text = "";
    }
    let data = null;
    let json = false;
    if (text) {
      try {
        data = JSON.parse(text);
        json = true;
      } catch (_) {
        json = false;
      }
    }
    if (!res.ok) {
      if (json && data && typeof data.detail === "string") {
        throw new ApiError(res.status, data.code || "error", data.detail);
      }
      const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
      const plain = snippet && !snippet.startsWith("<") ? ": " + snippet : ".";
      throw new ApiError(res.status, "http_" + res.status,
        "The server answered " + res.status + (res.statusText ? " " + res.statusText : "") + plain);
    }
    return json ? data : text || null;
  }

  // ---------- session ----------

  // The SaaS's look, set on the workspace by its admin: name, logo, accent colour.
  function applyBranding(b) {
    if (!b || typeof b !== "object") return;
    if (typeof b.name === "string" && b.name) {
      $("#brand-name").textContent = b.name;
      document.title = b.name + " · webhooks";
    }
    if (typeof b.logo === "string" && b.logo) {
      const img = $("#brand-logo");
      img.src = b.logo;
      img.alt = (b.name || "") + " logo";
      img.hidden = false;
      $("#brand-mark").hidden = true;
    }
    if (typeof b.accent === "string" && /^#[0-9a-fA-F]{6}$/.test(b.accent)) {
      // Through the CSSOM, which the page's CSP allows (no inline style).
      const root = document.documentElement.style;
      root.setProperty("--accent", b.accent);
      root.setProperty("--accent-hover", b.accent);
    }
  }

  function readToken() {
    let token = location.hash.slice(1);
    if (token) {
      try {
        token = decodeURIComponent(token);
      } catch (_) {
        // keep it as written
      }
      try {
        sessionStorage.setItem(TOKEN_KEY, token);
      } catch (_) {
        // storage refused (private mode): the token lives in memory only
      }
      history.replaceState(null, "", location.pathname);
      return token;
    }
    try {
      return sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (_) {
      return "";
    }
  }

  function showExpired() {
    state.expired = true;
    clearInterval(state.timer);
    clearTimeout(state.noticeTimer);
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch (_) {
      // nothing to remove
    }
    const app = $("#app");
    if (app) app.remove();
    const box = $("#expired");
    box.textContent = EXPIRED_TEXT;
    box.hidden = false;
  }

  function applyCapabilities() {
    for (const node of document.querySelectorAll("[data-cap]")) {
      const needs = node.getAttribute("data-cap").split(/\s+/).filter(Boolean);
      if (!needs.every(has)) node.remove();
    }
  }

  function renderSession() {
    const me = state.me;
    const ws = me.workspace && typeof me.workspace === "object" ? me.workspace.name || me.workspace.id : me.workspace;
    $("#session").textContent = ws ? String(ws) : "";
    const role = $("#role");
    role.textContent = me.role ? String(me.role) : "";
    role.hidden = !me.role;
    if (me.expiresAt) {
      const t = $("#expires");
      t.textContent = localTime(me.expiresAt);
      t.setAttribute("datetime", String(me.expiresAt));
      $("#expires-wrap").hidden = false;
    }
  }

  function navigate(page) {
    if (!PAGES.includes(page) || !$("#page-" + page)) page = "subscriptions";
    // Another page starts at its top, without the last page's news.
    if (state.page !== page) {
      window.scrollTo(0, 0);
      notice("");
    }
    state.page = page;
    for (const p of PAGES) {
      const section = $("#page-" + p);
      if (section) section.hidden = p !== page;
    }
    for (const b of document.querySelectorAll("[data-nav]")) {
      const on = b.getAttribute("data-nav") === page;
      b.classList.toggle("active", on);
      if (on) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    }
    if (page === "subscriptions") loadSubscriptions().catch(report);
    if (page === "event-types" && !state.eventTypes) loadEventTypes().catch(report);
    if (page === "deliveries") refreshDeliveries().catch(report);
    if (page === "playground" && !state.pgLoaded) pg.loadPlayground().catch(report);
  }

  // ---------- subscriptions ----------

  async function loadSubscriptions() {
    const all = [];
    let after = null;
    for (let i = 0; i < 40; i++) {
      const q = new URLSearchParams({ limit: String(MAX_PAGE_SIZE) });
      if (after) q.set("after", after);
      const page = await api("GET", "/v1/subscriptions?" + q);
      all.push(...((page && page.data) || []));
      if (!page || !page.nextCursor) break;
      after = page.nextCursor;
    }
    state.subs = all;
    state.subsById = new Map(all.map((s) => [s.id, s]));
    state.subsVersion++;
    renderSubscriptions();
    fillSubscriptionSelects();
    if (state.page === "deliveries") renderDeliveries();
  }

  function subLabel(s) {
    const text = s.url + (s.description ? " — " + s.description : "");
    return text.length > 90 ? text.slice(0, 89) + "…" : text;
  }

  function fillSubscriptionSelects() {
    const selects = [
      ["#filter-subscription", "All subscriptions"],
      ["#pg-subscription", "None: unsigned"],
      ["#pg-attach-subscription", "Choose a subscription…"],
    ];
    for (const [selector, empty] of selects) {
      const select = $(selector);
      if (!select) continue;
      const current = select.value;
      setChildren(select, el("option", { value: "" }, empty),
        state.subs.map((s) => el("option", { value: s.id }, subLabel(s))));
      if (current && state.subsById.has(current)) select.value = current;
    }
  }

  function renderSubscriptions() {
    const body = $("#subscriptions-body");
    if (!body) return;
    if (!state.subs.length) {
      const text = has("manage-subscriptions") ? "No subscriptions yet. Create one to start receiving webhooks." : "No subscriptions yet.";
      setChildren(body, el("tr", { class: "empty" }, el("td", { colspan: "6" }, text)));
      return;
    }
    setChildren(body, ...state.subs.map(subscriptionRow));
  }

  function pluginName(id) {
    const p = state.plugins.find((x) => x.id === id);
    return p && p.name ? p.name + " (" + short(id) + ")" : short(id);
  }

  function subscriptionInfo(s) {
    const summary = (s.format === "plugin" && s.plugin ? "plugin: " + pluginName(s.plugin.id) : s.format || "basic") + (s.live === false ? " · test" : "");
    const signing = s.signing ? s.signing.scheme + (s.signing.header ? " (" + s.signing.header + ")" : "") : "";
    const meta = s.metadata && Object.keys(s.metadata).length ? el("pre", { class: "small" }, pretty(s.metadata)) : null;
    const rows = [
      ["Id", el("code", null, s.id)],
      ["Mode", s.live === false ? "test events only" : "live"],
      ["Signing", signing],
      ["Plugin", s.plugin ? el("code", { class: "plugin-id", title: s.plugin.id }, pluginName(s.plugin.id)) : "none"],
      ["Plugin config", s.plugin && s.plugin.config !== undefined ? el("pre", { class: "small plugin-config" }, pretty(s.plugin.config)) : null],
      ["Metadata", meta],
      ["Static headers", s.headers && s.headers.length ? s.headers.join(", ") : null],
      ["Fields", s.fields && s.fields.length ? s.fields.join(", ") : null],
      ["Batch", s.batch ? "up to " + s.batch.maxEvents + " events or " + s.batch.maxWaitMs + " ms" : null],
      ["Retries", !s.retry ? "the server's schedule" : s.retry.schedule.length ? "after " + s.retry.schedule.join(", ") : "none: a failed attempt fails the delivery"],
      ["Disabled because", s.disabledReason || null],
      ["Created", timeEl(s.created)],
      ["Updated", timeEl(s.updated)],
    ];
    return el("details", { class: "info" }, el("summary", null, summary), kv(rows));
  }

  function secretBox(out) {
    const previous = Array.isArray(out.previous) ? out.previous : [];
    return el("div", { class: "secret-box" },
      el("div", { class: "secret-label" }, "Signing secret"),
      el("div", { class: "secret-line" },
        el("code", { class: "secret" }, String(out.secret || "")),
        button("Copy", "link copy", () => copy(String(out.secret || "")))),
      previous.length
        ? el("ul", { class: "secret-previous" }, previous.map((p) =>
          el("li", null, "Previous, signs until ", timeEl(p.expires), ": ", el("code", { class: "secret-old" }, String(p.secret)))))
        : null);
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      notice("Copied to the clipboard.");
    } catch (_) {
      throw invalid("Copying was refused by the browser; select the text and copy it.");
    }
  }

  function subscriptionRow(s) {
    const enabled = s.status === "enabled";
    const buttons = [];
    // Each button says which subscription it acts on, for screen readers: "Edit https://…".
    const act = (label, cls, handler) => button(label, cls, handler, { "aria-label": label + " " + subLabel(s) });
    if (has("manage-subscriptions")) {
      buttons.push(act("Edit", "edit", () => openForm(s)));
      buttons.push(act(enabled ? "Disable" : "Enable", "toggle", () => toggleSubscription(s)));
      buttons.push(act("Send test", "send-test", () => sendTest(s)));
    }
    if (has("view-secret")) {
      buttons.push(act(state.secrets.has(s.id) ? "Hide secret" : "Show secret", "show-secret", () => showSecret(s)));
    }
    if (has("manage-secret")) buttons.push(act("Rotate secret", "rotate-secret", () => rotateSecret(s)));
    if (has("manage-subscriptions")) buttons.push(act("Delete", "delete danger", () => deleteSubscription(s)));
    const shown = state.secrets.get(s.id);
    return el("tr", { class: "subscription", "data-id": s.id },
      el("td", { class: "url", "data-label": "URL" }, s.url),
      el("td", { class: "events", "data-label": "Events" }, (s.events || []).join(", ")),
      el("td", { class: "status", "data-label": "Status" },
        el("span", { class: "badge st-" + cssToken(s.status), title: s.disabledReason || null }, String(s.status))),
      el("td", { class: "description", "data-label": "Description" }, s.description || ""),
      el("td", { class: "details", "data-label": "Details" }, subscriptionInfo(s)),
      el("td", { class: "actions", "data-label": "" },
        buttons.length ? el("div", { class: "buttons" }, buttons) : null,
        shown ? secretBox(shown) : null));
  }

  function openForm(sub) {
    state.editing = sub || null;
    const form = $("#subscription-form");
    form.reset();
    const f = form.elements;
    $("#subscription-form-title").textContent = sub ? "Edit subscription" : "New subscription";
    $("#save-subscription").textContent = sub ? "Save changes" : "Create subscription";
    if (sub) {
      f.namedItem("url").value = sub.url || "";
      f.namedItem("events").value = (sub.events || []).join(", ");
      f.namedItem("description").value = sub.description || "";
      f.namedItem("metadata").value = sub.metadata && Object.keys(sub.metadata).length ? pretty(sub.metadata) : "";
    }
    form.hidden = false;
    $("#sf-catalog-search").value = "";
    showCatalogPicks();
    form.scrollIntoView({ block: "nearest" });
    f.namedItem("url").focus();
  }

  // ---------- the catalog, to pick event types from ----------

  function formEvents() {
    return $("#sf-events").value.split(",").map((x) => x.trim()).filter(Boolean);
  }

  async function showCatalogPicks() {
    if (!state.eventTypes) {
      try {
        await loadEventTypes();
      } catch (_) {
        return; // Typing the types still works.
      }
    }
    renderCatalogPicks();
  }

  function renderCatalogPicks() {
    const box = $("#sf-catalog");
    const types = (state.eventTypes || []).filter((t) => !t.deprecated);
    box.hidden = !types.length;
    const query = $("#sf-catalog-search").value.trim().toLowerCase();
    const chosen = new Set(formEvents());
    const shown = types.filter((t) => !query || t.name.toLowerCase().includes(query) || String(t.description || "").toLowerCase().includes(query));
    setChildren($("#sf-catalog-list"), shown.length
      ? shown.map((t) => el("label", null,
        el("input", { type: "checkbox", value: t.name, checked: chosen.has(t.name), onchange: (ev) => pickEventType(t.name, ev.currentTarget.checked) }),
        el("code", null, t.name), t.description ? el("span", { class: "muted" }, t.description) : null))
      : el("p", { class: "muted" }, "No event type matches."));
  }

  function pickEventType(name, on) {
    const events = formEvents().filter((e) => e !== name);
    if (on) events.push(name);
    $("#sf-events").value = events.join(", ");
  }

  function syncCatalogPicks() {
    const chosen = new Set(formEvents());
    for (const box of document.querySelectorAll("#sf-catalog-list input[type=checkbox]")) box.checked = chosen.has(box.value);
  }

  function closeForm() {
    state.editing = null;
    const form = $("#subscription-form");
    if (form) {
      form.reset();
      form.hidden = true;
    }
  }

  function showWarnings(list) {
    const box = $("#warnings");
    const items = Array.isArray(list) ? list.filter((w) => w !== null && w !== undefined) : [];
    setChildren(box);
    box.hidden = !items.length;
    if (!items.length) return;
    box.append(el("p", { class: "notice-title" }, items.length === 1 ? "Warning" : "Warnings"),
      el("ul", null, items.map((w) => el("li", null, typeof w === "string" ? w : w.detail || w.message || pretty(w)))));
  }

  function showCreatedSecret(sub) {
    const box = $("#secret-notice");
    setChildren(box);
    if (!sub.secret) {
      box.hidden = true;
      return;
    }
    box.append(
      el("p", { class: "notice-title" }, "Subscription created"),
      el("p", null, "This is its signing secret. Copy it now: it is not shown here again",
        has("view-secret") ? " (you can reveal it later with Show secret)." : "."),
      el("div", { class: "secret-line" },
        el("code", { class: "secret" }, sub.secret),
        button("Copy", "link copy", () => copy(sub.secret))),
      el("div", { class: "form-actions" }, button("Dismiss", "secondary", () => {
        setChildren(box);
        box.hidden = true;
      })));
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  function readMetadata(text) {
    if (!text) return {};
    const value = parseJson(text, "Metadata");
    if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid("Metadata must be a JSON object.");
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string") throw invalid("Metadata values must be strings; `" + k + "` is not.");
    }
    return value;
  }

  function canonical(obj) {
    return JSON.stringify(Object.keys(obj || {}).sort().map((k) => [k, obj[k]]));
  }

  async function saveSubscription() {
    const f = $("#subscription-form").elements;
    const url = f.namedItem("url").value.trim();
    const events = f.namedItem("events").value.split(",").map((x) => x.trim()).filter(Boolean);
    const description = f.namedItem("description").value.trim();
    const metadata = readMetadata(f.namedItem("metadata").value.trim());
    if (!url) throw invalid("Give the endpoint URL.");
    if (!events.length) throw invalid("Give at least one event type or pattern.");
    const sub = state.editing;
    showWarnings([]);
    if (!sub) {
      const body = { url, events };
      if (description) body.description = description;
      if (Object.keys(metadata).length) body.metadata = metadata;
      const created = await api("POST", "/v1/subscriptions", { body });
      closeForm();
      showCreatedSecret(created || {});
      showWarnings(created && created.warnings);
      await loadSubscriptions();
      return;
    }
    const patch = {};
    if (url !== sub.url) patch.url = url;
    if (events.join(",") !== (sub.events || []).join(",")) patch.events = events;
    if ((description || null) !== (sub.description || null)) patch.description = description || null;
    if (canonical(metadata) !== canonical(sub.metadata)) patch.metadata = metadata;
    if (!Object.keys(patch).length) {
      closeForm();
      notice("Nothing changed.");
      return;
    }
    const headers = sub.etag ? { "If-Match": sub.etag } : {};
    const updated = await api("PATCH", "/v1/subscriptions/" + enc(sub.id), { body: patch, headers });
    closeForm();
    showWarnings(updated && updated.warnings);
    notice("Subscription saved.");
    await loadSubscriptions();
  }

  async function toggleSubscription(s) {
    const next = s.status === "enabled" ? "disabled" : "enabled";
    await api("PATCH", "/v1/subscriptions/" + enc(s.id), { body: { status: next } });
    notice("Subscription " + next + ".");
    await loadSubscriptions();
  }

  async function deleteSubscription(s) {
    if (!window.confirm("Delete the subscription to " + s.url + "? Its queued deliveries fail.")) return;
    await api("DELETE", "/v1/subscriptions/" + enc(s.id));
    state.secrets.delete(s.id);
    if (state.editing && state.editing.id === s.id) closeForm();
    notice("Subscription deleted.");
    await loadSubscriptions();
  }

  async function sendTest(s) {
    const attempt = await api("POST", "/v1/subscriptions/" + enc(s.id) + "/test", { body: {} });
    let text = "Test event sent";
    if (attempt && attempt.outcome) {
      text += ": " + attempt.outcome;
      if (attempt.response && attempt.response.status) text += ", HTTP " + attempt.response.status;
      else if (attempt.error && attempt.error.detail) text += " (" + attempt.error.detail + ")";
    }
    notice(text + ".");
    $("#filter-status").value = "";
    $("#filter-type").value = "";
    $("#filter-since").value = "";
    $("#filter-until").value = "";
    const select = $("#filter-subscription");
    if (![...select.options].some((o) => o.value === s.id)) select.append(el("option", { value: s.id }, subLabel(s)));
    select.value = s.id;
    navigate("deliveries");
  }

  async function showSecret(s) {
    if (state.secrets.has(s.id)) {
      state.secrets.delete(s.id);
      renderSubscriptions();
      return;
    }
    const out = await api("GET", "/v1/subscriptions/" + enc(s.id) + "/secret");
    state.secrets.set(s.id, out || {});
    renderSubscriptions();
  }

  async function rotateSecret(s) {
    const out = await api("POST", "/v1/subscriptions/" + enc(s.id) + "/secret/rotate", { body: {} });
    state.secrets.set(s.id, out || {});
    renderSubscriptions();
    const prev = out && Array.isArray(out.previous) && out.previous[0];
    notice("Secret rotated." + (prev ? " The previous one keeps signing until " + localTime(prev.expires) + "." : ""));
  }

  // ---------- event types ----------

  async function loadEventTypes() {
    const res = await api("GET", "/v1/event-types");
    state.eventTypes = Array.isArray(res && res.data) ? res.data : [];
    renderEventTypes();
    pg.fillPgEvents();
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
        el("td", { class: "docs-cell", "data-label": "Example" }, docs));
    }));
  }

  // ---------- deliveries ----------

  function readFilters() {
    return {
      status: $("#filter-status").value,
      type: $("#filter-type").value.trim(),
      since: localToRfc3339($("#filter-since").value),
      until: localToRfc3339($("#filter-until").value),
      subscription: $("#filter-subscription").value,
    };
  }

  async function fetchDeliveries(f, limit) {
    if (f.subscription) {
      // The per-subscription list takes status only; the other filters apply here.
      const q = new URLSearchParams({ limit: String(limit) });
      if (f.status) q.set("status", f.status);
      const page = await api("GET", "/v1/subscriptions/" + enc(f.subscription) + "/deliveries?" + q);
      const since = f.since ? Date.parse(f.since) : null;
      const until = f.until ? Date.parse(f.until) : null;
      const data = ((page && page.data) || []).filter((d) => {
        const t = Date.parse(d.created);
        return (!f.type || patternMatches(f.type, d.eventType)) && (since === null || t >= since) && (until === null || t <= until);
      });
      return { data, nextCursor: page && page.nextCursor };
    }
    const q = new URLSearchParams();
    if (f.status) q.set("status", f.status);
    if (f.type) q.set("type", f.type);
    if (f.since) q.set("since", f.since);
    if (f.until) q.set("until", f.until);
    q.set("limit", String(limit));
    return api("GET", "/v1/deliveries?" + q);
  }

  async function refreshDeliveries() {
    const dl = state.dl;
    if (dl.busy) {
      dl.again = true;
      return;
    }
    const filters = readFilters();
    const key = JSON.stringify(filters);
    if (key !== dl.key) {
      dl.key = key;
      dl.limit = PAGE_SIZE;
    }
    dl.busy = true;
    try {
      const page = await fetchDeliveries(filters, dl.limit);
      if (JSON.stringify(readFilters()) !== key) {
        dl.again = true;
        return;
      }
      dl.items = (page && page.data) || [];
      dl.more = Boolean(page && page.nextCursor);
      renderDeliveries();
      await refreshDetailIfChanged();
    } finally {
      dl.busy = false;
      if (dl.again) {
        dl.again = false;
        refreshDeliveries().catch(report);
      }
    }
  }

  function subscriptionText(id) {
    const s = state.subsById.get(id);
    return s ? s.url : id;
  }

  function renderDeliveries() {
    const dl = state.dl;
    const body = $("#deliveries-body");
    if (!body) return;
    const sig = JSON.stringify([dl.items, dl.detailId, dl.more, dl.limit, state.subsVersion]);
    if (sig === dl.sig) return;
    dl.sig = sig;
    if (!dl.items.length) {
      setChildren(body, el("tr", { class: "empty" }, el("td", { colspan: "6" }, "No deliveries match these filters.")));
    } else {
      setChildren(body, ...dl.items.map(deliveryRow));
    }
    $("#deliveries-count").textContent = dl.items.length ? dl.items.length + (dl.items.length === 1 ? " delivery" : " deliveries") + (dl.more ? " (newest first; more exist)" : "") : "";
    const more = $("#deliveries-more");
    more.hidden = !(dl.more && dl.limit < MAX_PAGE_SIZE);
  }

  function deliveryRow(d) {
    const selected = d.id === state.dl.detailId;
    const what = " delivery of " + d.eventType + " " + d.eventId;
    const actions = [button("Open", "open", () => openDelivery(d.id, true), { "aria-label": "Open" + what })];
    if (has("retry")) actions.push(button("Retry", "retry", () => retryDelivery(d.id), { "aria-label": "Retry" + what }));
    return el("tr", {
      class: "delivery clickable" + (selected ? " selected" : ""),
      "data-id": d.id,
      "aria-current": selected ? "true" : null,
      onclick: (ev) => {
        if (ev.target instanceof Element && ev.target.closest("button, a, input, select, textarea, summary")) return;
        action(() => openDelivery(d.id, true))(ev);
      },
    },
    el("td", { class: "status", "data-label": "Status" }, el("span", { class: "badge st-" + cssToken(d.status) }, String(d.status))),
    el("td", { class: "event-type", "data-label": "Event type" }, String(d.eventType)),
    el("td", { class: "subscription", "data-label": "Subscription", title: d.subscriptionId }, subscriptionText(d.subscriptionId)),
    el("td", { class: "created", "data-label": "Created" }, timeEl(d.created)),
    el("td", { class: "attempts", "data-label": "Attempts" }, String(d.attempts)),
    el("td", { class: "actions", "data-label": "" }, el("div", { class: "buttons" }, actions)));
  }

  async function openDelivery(id, scroll) {
    const detail = await api("GET", "/v1/deliveries/" + enc(id));
    state.dl.detailId = id;
    state.dl.detail = detail;
    renderDetail(detail);
    renderDeliveries();
    if (scroll) $("#delivery-detail").scrollIntoView({ block: "start" });
  }

  async function refreshDetailIfChanged() {
    const dl = state.dl;
    if (!dl.detailId || !dl.detail) return;
    const row = dl.items.find((d) => d.id === dl.detailId);
    if (!row) return;
    const old = dl.detail;
    if (row.updated === old.updated && row.status === old.status && row.attempts === old.attempts) return;
    const fresh = await api("GET", "/v1/deliveries/" + enc(dl.detailId));
    if (dl.detailId !== fresh.id) return;
    dl.detail = fresh;
    renderDetail(fresh);
  }

  function closeDetail() {
    state.dl.detailId = null;
    state.dl.detail = null;
    const box = $("#delivery-detail");
    setChildren(box);
    box.hidden = true;
    renderDeliveries();
  }

  function renderDetail(d) {
    const box = $("#delivery-detail");
    const attempts = Array.isArray(d.attemptLog) ? d.attemptLog.slice().sort((a, b) => b.number - a.number) : [];
    const actions = [];
    if (has("retry")) actions.push(button("Retry now", "retry primary", () => retryDelivery(d.id)));
    actions.push(button("Close", "secondary close-detail", () => closeDetail()));
    setChildren(box,
      el("div", { class: "detail-head" },
        el("h3", null, "Delivery ", el("code", null, d.id)),
        el("div", { class: "buttons" }, actions)),
      kv([
        ["Status", el("span", { class: "status badge st-" + cssToken(d.status) }, String(d.status))],
        ["Event type", String(d.eventType)],
        ["Event", el("code", null, String(d.eventId))],
        ["Batch", Array.isArray(d.events) && d.events.length ? d.events.length + " events: " + d.events.join(", ") : null],
        ["Subscription", el("span", { title: d.subscriptionId }, subscriptionText(d.subscriptionId))],
        ["Created", timeEl(d.created)],
        ["Updated", timeEl(d.updated)],
        ["Attempts", String(d.attempts)],
        ["Next attempt", d.nextAttempt ? timeEl(d.nextAttempt) : null],
        ["Last error", d.lastError || null],
      ]),
      el("h4", null, "Attempts"),
      attempts.length ? attempts.map(attemptView) : el("p", { class: "muted" }, "No attempts yet."));
    box.hidden = false;
  }

  function attemptView(a) {
    const req = a.request;
    const res = a.response;
    return el("div", { class: "attempt", "data-number": a.number },
      el("div", { class: "attempt-head" },
        el("strong", { class: "attempt-number" }, "Attempt " + a.number),
        el("span", { class: "attempt-outcome outcome badge st-" + cssToken(a.outcome) }, String(a.outcome)),
        el("span", { class: "attempt-time" }, timeEl(a.started)),
        el("span", { class: "attempt-duration muted" }, a.durationMs + " ms")),
      kv([
        ["Request id", a.requestId ? el("code", null, a.requestId) : null],
        ["Plugin", a.pluginId ? el("code", { title: a.pluginId }, pluginName(a.pluginId)) : null],
      ]),
      el("div", { class: "exchange" },
        el("div", { class: "exchange-part" },
          el("h5", null, "Request"),
          req
            ? [el("p", { class: "request-url" }, el("code", null, req.url)),
              headersTable(req.headers, "request-headers"),
              el("pre", { class: "request-body" }, req.body ? prettyText(req.body) : "(empty body)")]
            : el("p", { class: "muted" }, "Nothing was sent.")),
        el("div", { class: "exchange-part" },
          el("h5", null, "Response"),
          res
            ? [el("p", null, "Status ", el("span", { class: "response-status badge " + (res.status < 300 ? "st-succeeded" : "st-failed") }, String(res.status))),
              headersTable(res.headers, "response-headers"),
              el("pre", { class: "response-body" }, res.body ? prettyText(res.body) : "(empty body)"),
              res.truncated ? el("p", { class: "hint" }, "The body was truncated.") : null]
            : el("p", { class: "muted" }, "No response."))),
      a.error
        ? el("p", { class: "attempt-error" }, el("span", { class: "error-code" }, String(a.error.code)), " ", String(a.error.detail))
        : null,
      Array.isArray(a.pluginLogs) && a.pluginLogs.length ? [el("h5", null, "Plugin logs"), logsList(a.pluginLogs, "plugin-logs")] : null);
  }

  async function retryDelivery(id) {
    const attempt = await api("POST", "/v1/deliveries/" + enc(id) + "/retry", { body: {} });
    notice("Retried" + (attempt && attempt.outcome ? ": " + attempt.outcome : "") + ".");
    state.dl.sig = "";
    await refreshDeliveries();
    if (state.dl.detailId === id) await openDelivery(id, false);
  }

  async function recover() {
    const since = localToRfc3339($("#recover-since").value);
    if (!since) throw invalid("Choose from when to recover failed deliveries.");
    const until = localToRfc3339($("#recover-until").value) || new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    if (Date.parse(until) < Date.parse(since)) throw invalid("The end of the window is before its start.");
    const res = await api("POST", "/v1/deliveries/recover", { body: { since, until } });
    const n = res && typeof res.queued === "number" ? res.queued : 0;
    const out = $("#recover-result");
    out.textContent = n + " failed deliveries queued again";
    out.hidden = false;
    await refreshDeliveries();
  }

  // The playground's page, with what it needs from here.
  const pg = window.HookshapePages.playground({ state, api, clearError, report, loadSubscriptions, renderSubscriptions, loadEventTypes });

  // ---------- wiring ----------

  function on(selector, type, handler) {
    const node = $(selector);
    if (node) node.addEventListener(type, handler);
  }

  function bind() {
    for (const b of document.querySelectorAll("[data-nav]")) {
      b.addEventListener("click", () => {
        clearError();
        navigate(b.getAttribute("data-nav"));
      });
    }
    on("#error", "click", clearError);

    on("#refresh-subscriptions", "click", action(loadSubscriptions));
    on("#new-subscription", "click", action(async () => openForm(null)));
    on("#cancel-subscription", "click", action(async () => closeForm()));
    on("#subscription-form", "submit", (ev) => {
      ev.preventDefault();
      action(saveSubscription, "#sf-error")({ currentTarget: $("#save-subscription") });
    });

    on("#refresh-event-types", "click", action(loadEventTypes));

    const refilter = () => {
      clearError();
      state.dl.sig = "";
      refreshDeliveries().catch(report);
    };
    for (const id of ["#filter-status", "#filter-type", "#filter-since", "#filter-until", "#filter-subscription"]) on(id, "change", refilter);
    on("#filter-type", "keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        refilter();
      }
    });
    on("#delivery-filters", "submit", (ev) => {
      ev.preventDefault();
      refilter();
    });
    on("#clear-filters", "click", () => {
      $("#delivery-filters").reset();
      refilter();
    });
    on("#refresh-deliveries", "click", action(refreshDeliveries));
    on("#deliveries-more", "click", action(async () => {
      state.dl.limit = Math.min(MAX_PAGE_SIZE, state.dl.limit + PAGE_SIZE);
      await refreshDeliveries();
    }));
    on("#recover", "click", action(recover));
    const since = $("#recover-since");
    if (since) since.value = toLocalInput(new Date(Date.now() - 24 * 3600 * 1000));

    on("#pg-upload", "change", action(pg.uploadPlugin));
    on("#pg-event", "change", pg.pickPgEvent);
    on("#pg-reload-events", "click", action(pg.loadRecentEvents));
    on("#pg-run", "click", action(pg.runPlugin, "#pg-run-error"));
    on("#pg-plugin", "change", pg.syncConfigEditor);
    on("#pg-source", "input", pg.schedulePreview);
    on("#pg-source", "keydown", pg.indentSource);
    on("#pg-attach", "click", action(pg.attachPlugin, "#pg-attach-error"));
    on("#sf-events", "input", syncCatalogPicks);
    on("#sf-catalog-search", "input", renderCatalogPicks);

    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && state.page === "deliveries") refreshDeliveries().catch(report);
    });
  }

  function tick() {
    if (state.expired) return;
    if (state.page === "deliveries" && document.visibilityState === "visible") refreshDeliveries().catch(report);
  }

  async function init() {
    // A new link opened in this tab changes only the fragment: start over with its token.
    window.addEventListener("hashchange", () => {
      if (location.hash.length > 1) {
        readToken();
        location.reload();
      }
    });
    state.token = readToken();
    if (!state.token) {
      showExpired();
      return;
    }
    let me;
    try {
      me = await api("GET", "/v1/me");
    } catch (e) {
      if (e.status === 401 || state.expired) return;
      $("#app").hidden = false;
      const nav = $(".nav");
      if (nav) nav.hidden = true;
      report(e);
      return;
    }
    state.me = me || {};
    state.caps = new Set(Array.isArray(state.me.capabilities) ? state.me.capabilities : []);
    applyBranding(state.me.branding);
    applyCapabilities();
    renderSession();
    bind();
    $("#app").hidden = false;
    navigate("subscriptions");
    state.timer = setInterval(tick, REFRESH_MS);
  }

  init();
})();
