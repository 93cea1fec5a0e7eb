// hookshape integrator portal: deliveries. The list (filtered, refreshed while shown), one
// delivery with every attempt as sent and received, retry and recovery. Loaded before app.js,
// which calls it with what the page shares.
"use strict";

window.HookshapePages = window.HookshapePages || {};

window.HookshapePages.deliveries = function (ctx) {
  const { state, api, button, has, notice, action, pluginName, PAGE_SIZE, MAX_PAGE_SIZE } = ctx;
  const { $, el, setChildren, enc, cssToken, timeEl, prettyText, headersTable, kv, logsList, localToRfc3339, patternMatches, invalid } =
    window.HookshapeLib;

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

  return { refreshDeliveries, renderDeliveries, recover };
};
