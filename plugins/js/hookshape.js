// hookshape's plugin SDK for JavaScript.
//
// A plugin module (`app.js`) exports `configure` and `transform` made by `plugin`:
//
//     import { plugin, deliverJson } from './hookshape.js';
//
//     export const { configure, transform } = plugin((config) => ({
//       transform(event) {
//         return deliverJson({ type: event.type, data: event.object });
//       },
//     }));
//
// `hookshape plugin build` writes this file beside `app.js` and builds the component with
// componentize-js; keep your edits out of it.

import { log as hostLog } from 'hookshape:plugin/host@0.1.0';

/** Throw it (or any error) to fail the attempt; its message is the recorded reason. */
export class PluginError extends Error {}

/** Compact JSON, as the Rust SDK writes it. */
export function dumps(value) {
  return JSON.stringify(value);
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a dotted path is well formed: not empty, no empty segment (`a..b`). */
export function validPath(path) {
  return path.length > 0 && path.split('.').every((s) => s.length > 0);
}

/** The value at a dotted path (`address.city`, `lines.0.amount`: a number indexes an array),
 * or `undefined` when a part is missing or the path is not well formed. */
export function get(value, path) {
  if (!validPath(path)) return undefined;
  for (const part of path.split('.')) {
    if (isObject(value) && Object.hasOwn(value, part)) {
      value = value[part];
    } else if (Array.isArray(value) && /^[0-9]+$/.test(part) && Number(part) < value.length) {
      value = value[Number(part)];
    } else {
      return undefined;
    }
  }
  return value;
}

/** JSON equality, as the host computes it, but for numbers: JavaScript has no integer type,
 * so `1` equals `1.0` here (the host tells them apart). */
export function same(a, b) {
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return a === b;
}

/** Top-level fields whose value differs: those of `object` in order, then those only
 * `previous` had. Empty unless both are objects. */
export function changedFields(object, previous) {
  if (!isObject(object) || !isObject(previous)) return [];
  const out = Object.keys(object).filter((k) => !Object.hasOwn(previous, k) || !same(previous[k], object[k]));
  for (const k of Object.keys(previous)) if (!Object.hasOwn(object, k)) out.push(k);
  return out;
}

/** The changed top-level fields with their new values (a removed field maps to null). */
export function diff(object, previous) {
  return Object.fromEntries(changedFields(object, previous).map((k) => [k, Object.hasOwn(object, k) ? object[k] : null]));
}

/** The changed top-level fields with their old values (a new field maps to null). */
export function previousAttributes(object, previous) {
  return Object.fromEntries(changedFields(object, previous).map((k) => [k, Object.hasOwn(previous, k) ? previous[k] : null]));
}

const OPERATIONS = {
  created: 'created', create: 'created', added: 'created',
  updated: 'updated', update: 'updated', changed: 'updated',
  deleted: 'deleted', delete: 'deleted', removed: 'deleted', remove: 'deleted',
};

function parse(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PluginError(`event ${what} is not valid JSON: ${e.message}`);
  }
}

/** One change event, for one delivery attempt. */
export class Event {
  constructor(e) {
    this.id = e.id;
    this.type = e.eventType;
    this.occurredAt = e.occurredAt;
    this.tenant = e.tenant ?? null;
    this.object = parse(e.object, 'object');
    this.previous = e.previous === undefined || e.previous === null ? null : parse(e.previous, 'previous');
    this.changedFields = e.changedFields;
    this.attemptId = e.attemptId;
    this.attempt = e.attempt;
  }

  /** `invoice.charge` for `invoice.charge.created`. */
  get resource() {
    const i = this.type.lastIndexOf('.');
    return i < 0 ? this.type : this.type.slice(0, i);
  }

  /** `invoice` for `invoice.charge.created`. */
  get rootResource() {
    return this.type.split('.')[0];
  }

  /** `created`, `updated`, `deleted` (synonyms included), else `other`. */
  get operation() {
    return OPERATIONS[this.type.split('.').pop()] ?? 'other';
  }

  /** The occurrence time to whole seconds (`2023-10-05T10:47:21Z`). */
  occurredAtSeconds() {
    const dot = this.occurredAt.indexOf('.');
    return dot >= 0 && this.occurredAt.endsWith('Z') ? this.occurredAt.slice(0, dot) + 'Z' : this.occurredAt;
  }

  /** The host's default envelope: `{type, timestamp, data}`. */
  envelope(data) {
    return { type: this.type, timestamp: this.occurredAt, data };
  }
}

/** Send nothing; the delivery is recorded as dropped. */
export const DROP = null;

/** Send this body (bytes as given; the host signs them) with these extra headers. */
export function deliver(body, headers = []) {
  const list = Array.isArray(headers) ? headers : Object.entries(headers);
  return { body: String(body), headers: list.map(([k, v]) => [String(k), String(v)]) };
}

export function deliverJson(value, headers = []) {
  return deliver(dumps(value), headers);
}

/** Appends a line to the attempt's log: level is trace, debug, info, warn or error. */
export function log(level, message) {
  hostLog(level, String(message));
}
export const trace = (m) => log('trace', m);
export const debug = (m) => log('debug', m);
export const info = (m) => log('info', m);
export const warn = (m) => log('warn', m);
export const error = (m) => log('error', m);

function reason(e) {
  if (e instanceof PluginError) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** The component's exports around a plugin factory: `factory(config)` returns an object
 * with `transform(event)`. */
export function plugin(factory) {
  let current = null;
  return {
    configure(config) {
      let parsed;
      try {
        parsed = config.trim() === '' ? {} : JSON.parse(config);
      } catch (e) {
        throw `config is not valid JSON: ${e.message}`;
      }
      try {
        current = factory(parsed);
      } catch (e) {
        throw reason(e);
      }
    },
    transform(event) {
      let out;
      try {
        out = current.transform(new Event(event));
      } catch (e) {
        throw reason(e);
      }
      if (out === null || out === undefined) return { tag: 'drop' };
      if (typeof out.body !== 'string') throw 'transform returned no body: use deliver() or deliverJson()';
      return { tag: 'deliver', val: { body: out.body, headers: out.headers ?? [] } };
    },
  };
}
