// hookshape portal: helpers that hold no state — building DOM (user text only through
// textContent), formatting, API errors, the source editor's keys. app.js takes them from
// `window.HookshapeLib`.
"use strict";

window.HookshapeLib = (function () {
  const $ = (selector, root) => (root || document).querySelector(selector);

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = String(value);
        else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
        else if (value === true) node.setAttribute(key, "");
        else node.setAttribute(key, String(value));
      }
    }
    appendAll(node, children);
    return node;
  }

  // Appends children, flattening arrays and skipping null, undefined and false.
  function appendAll(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function setChildren(node, ...children) {
    node.replaceChildren();
    appendAll(node, children);
  }


  const enc = encodeURIComponent;

  function cssToken(text) {
    return String(text || "").toLowerCase().replace(/[^a-z0-9-]/g, "");
  }

  // ---------- formatting ----------

  function relative(date) {
    const secs = Math.round((Date.now() - date.getTime()) / 1000);
    const abs = Math.abs(secs);
    let text;
    if (abs < 10) return "just now";
    if (abs < 60) text = abs + " s";
    else if (abs < 3600) text = Math.round(abs / 60) + " min";
    else if (abs < 86400) text = Math.round(abs / 3600) + " h";
    else text = Math.round(abs / 86400) + " d";
    return secs >= 0 ? text + " ago" : "in " + text;
  }

  function localTime(iso) {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }

  function timeEl(iso) {
    if (!iso) return el("span", { class: "muted" }, "—");
    const d = new Date(iso);
    if (isNaN(d.getTime())) return el("span", null, String(iso));
    return el("time", { datetime: iso, title: relative(d) + " · " + iso }, d.toLocaleString());
  }

  function fmtBytes(n) {
    if (typeof n !== "number" || !isFinite(n)) return "—";
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
    return (n / (1024 * 1024)).toFixed(1) + " MiB";
  }

  function fmtMicros(us) {
    if (typeof us !== "number" || !isFinite(us)) return "—";
    if (us < 1000) return us + " µs";
    if (us < 1e6) return (us / 1000).toFixed(2) + " ms";
    return (us / 1e6).toFixed(2) + " s";
  }

  function pretty(value) {
    try {
      return JSON.stringify(value, null, 2);
    } catch (_) {
      return String(value);
    }
  }

  // A body as text: JSON pretty-printed, unless that could change it (very long numbers).
  function prettyText(text) {
    if (text === null || text === undefined) return "";
    if (typeof text !== "string") return pretty(text);
    const trimmed = text.trim();
    if (!/^[[{]/.test(trimmed) || /\d{16,}/.test(trimmed)) return text;
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch (_) {
      return text;
    }
  }

  function short(id) {
    id = String(id || "");
    return id.length > 14 ? id.slice(0, 12) + "…" : id;
  }

  function headerPairs(headers) {
    if (!headers) return [];
    if (Array.isArray(headers)) {
      return headers.map((h) => (Array.isArray(h) ? [String(h[0]), String(h[1])] : [String(h.name), String(h.value)]));
    }
    return Object.entries(headers).map(([k, v]) => [k, String(v)]);
  }

  function headersTable(headers, cls) {
    const pairs = headerPairs(headers);
    const body = el("tbody", null,
      pairs.length
        ? pairs.map(([name, value]) => el("tr", null, el("th", { scope: "row" }, name), el("td", null, value)))
        : el("tr", null, el("td", { colspan: "2", class: "muted" }, "No headers")));
    return el("div", { class: "table-wrap" }, el("table", { class: "headers " + cls }, body));
  }

  function kv(rows) {
    const list = el("dl", { class: "kv" });
    for (const [label, value] of rows) {
      if (value === null || value === undefined || value === "") continue;
      list.append(el("dt", null, label), el("dd", null, value));
    }
    return list;
  }

  function badge(text, kind) {
    return el("span", { class: "badge" + (kind ? " " + kind : "") }, text);
  }

  function logsList(logs, cls) {
    return el("ul", { class: "logs " + cls },
      logs.map((l) => el("li", { class: "log-" + cssToken(l.level) },
        el("span", { class: "log-level" }, String(l.level || "")), " ", String(l.message || ""))));
  }

  // ---------- times for inputs ----------

  // A datetime-local value (local time) as RFC 3339 UTC, or "" when empty or invalid.
  function localToRfc3339(value) {
    if (!value) return "";
    const d = new Date(value);
    if (isNaN(d.getTime())) return "";
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function toLocalInput(date) {
    const p = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + p(date.getMonth() + 1) + "-" + p(date.getDate()) + "T" + p(date.getHours()) + ":" + p(date.getMinutes());
  }

  // Port of the server's EventPattern::matches (used when filtering client-side).
  function patternMatches(pattern, type) {
    if (pattern === "*") return true;
    const pat = pattern.split(".");
    const typ = String(type).split(".");
    for (let i = 0; i < pat.length; i++) {
      if (i >= typ.length) return false;
      if (pat[i] === "*" && i === pat.length - 1) return true;
      if (pat[i] !== "*" && pat[i] !== typ[i]) return false;
    }
    return typ.length === pat.length;
  }

  // ---------- errors, notices, API ----------

  class ApiError extends Error {
    constructor(status, code, detail) {
      super(detail);
      this.status = status;
      this.code = code;
      this.detail = detail;
    }
  }

  function invalid(detail) {
    return new ApiError(0, "invalid_input", detail);
  }

  function parseJson(text, what) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw invalid(what + " is not valid JSON: " + e.message);
    }
  }

  // ---------- the source editor ----------

  // A tab indents instead of leaving the field; true when it did.
  function indent(ev) {
    if (ev.key !== "Tab" || ev.shiftKey || ev.ctrlKey || ev.metaKey || ev.altKey) return false;
    ev.preventDefault();
    const box = ev.currentTarget;
    box.setRangeText("  ", box.selectionStart, box.selectionEnd, "end");
    return true;
  }

  // `line N` in an error's detail, or null.
  function lineOf(detail) {
    const m = /\bline (\d+)\b/.exec(String(detail || ""));
    return m ? Number(m[1]) : null;
  }

  // Selects line `n` of a text field.
  function selectLine(box, n) {
    const lines = box.value.split("\n");
    if (n < 1 || n > lines.length) return;
    const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
    box.focus();
    box.setSelectionRange(start, start + lines[n - 1].length);
  }

  return { $, el, appendAll, setChildren, enc, cssToken, relative, localTime, timeEl, fmtBytes, fmtMicros, pretty, prettyText, short, headerPairs, headersTable, kv, badge, logsList, localToRfc3339, toLocalInput, patternMatches, ApiError, invalid, parseJson, indent, lineOf, selectLine };
})();
