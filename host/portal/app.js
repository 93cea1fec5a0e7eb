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
    if (page === "event-types") {
      if (!state.eventTypes) et.loadEventTypes().catch(report);
      if (!state.subs.length) loadSubscriptions().catch(report);
    }
    if (page === "deliveries") dl.refreshDeliveries().catch(report);
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
    if (state.page === "deliveries") dl.renderDeliveries();
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
      ["#et-send-to", "Choose a subscription…"],
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

  // "97% of 120 ok · 45 ms": a window of the endpoint's recent attempts, in a line.
  function windowText(w) {
    if (!w || !w.attempts) return "no attempts";
    const rate = Math.floor((w.succeeded / w.attempts) * 1000) / 10;
    return rate + "% of " + w.attempts + " ok · " + w.averageMs + " ms on average, " + w.maxMs + " ms at most";
  }

  function healthLine(s) {
    const h = s.health;
    if (!h) return null;
    const w = h.lastHour;
    const text = w && w.attempts
      ? Math.floor((w.succeeded / w.attempts) * 100) + "% ok in the last hour · " + w.averageMs + " ms"
      : "no attempts in the last hour";
    const bad = w && w.attempts && w.succeeded < w.attempts;
    return el("div", { class: "health" + (bad ? " health-bad" : ""), title: h.lastFailure ? "Last failure: " + h.lastFailure.error : null }, text);
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
      ["Last hour", s.health ? windowText(s.health.lastHour) : null],
      ["Last day", s.health ? windowText(s.health.lastDay) : null],
      ["Last failure", s.health && s.health.lastFailure ? el("span", { class: "last-failure" }, s.health.lastFailure.error, " (", timeEl(s.health.lastFailure.at), ")") : null],
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
        el("span", { class: "badge st-" + cssToken(s.status), title: s.disabledReason || null }, String(s.status)),
        healthLine(s)),
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
        await et.loadEventTypes();
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

  // The other pages, with what they need from here.
  const et = window.HookshapePages.eventTypes({ state, api, button, has, pg: () => pg });
  const dl = window.HookshapePages.deliveries({ state, api, button, has, notice, action, pluginName, PAGE_SIZE, MAX_PAGE_SIZE });
  const pg = window.HookshapePages.playground({ state, api, clearError, report, loadSubscriptions, renderSubscriptions, loadEventTypes: et.loadEventTypes });

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

    on("#refresh-event-types", "click", action(et.loadEventTypes));

    const refilter = () => {
      clearError();
      state.dl.sig = "";
      dl.refreshDeliveries().catch(report);
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
    on("#refresh-deliveries", "click", action(dl.refreshDeliveries));
    on("#deliveries-more", "click", action(async () => {
      state.dl.limit = Math.min(MAX_PAGE_SIZE, state.dl.limit + PAGE_SIZE);
      await dl.refreshDeliveries();
    }));
    on("#recover", "click", action(dl.recover));
    const since = $("#recover-since");
    if (since) since.value = toLocalInput(new Date(Date.now() - 24 * 3600 * 1000));

    on("#pg-upload", "change", action(pg.uploadPlugin));
    on("#pg-event", "change", pg.pickPgEvent);
    on("#pg-reload-events", "click", action(pg.loadRecentEvents));
    on("#pg-run", "click", action(pg.runPlugin, "#pg-run-error"));
    on("#pg-plugin", "change", pg.syncConfigEditor);
    on("#pg-example", "change", pg.useExample);
    on("#pg-source", "input", pg.schedulePreview);
    on("#pg-source", "keydown", pg.indentSource);
    on("#pg-attach", "click", action(pg.attachPlugin, "#pg-attach-error"));
    on("#sf-events", "input", syncCatalogPicks);
    on("#sf-catalog-search", "input", renderCatalogPicks);

    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && state.page === "deliveries") dl.refreshDeliveries().catch(report);
    });
  }

  function tick() {
    if (state.expired) return;
    if (state.page === "deliveries" && document.visibilityState === "visible") dl.refreshDeliveries().catch(report);
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
