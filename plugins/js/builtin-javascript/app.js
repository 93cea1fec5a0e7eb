// The built-in JavaScript transform (`builtin:javascript`): the integrator's source is its
// config, run inside this component's sandbox like any plugin.
//
// Config: `{"source": "function transform(event) { return {...}; }"}`. The source defines
// `transform(event)`, where `event` has `type`, `object`, `previous`, `changedFields`, `id`,
// `occurredAt`, `tenant`, `attempt` and the SDK's helpers (`envelope(data)`, `operation`, …).
// It returns the request body (any JSON value, sent as compact JSON) or `null` to drop the
// event; `withHeaders(body, {name: value})` adds headers. Also in scope: `diff`,
// `previousAttributes`, `changedFields`, `get`, `same`, and `log(level, message)` with
// `debug`, `info`, `warn`, `error`.

import {
  plugin, deliverJson, DROP, PluginError,
  get, same, diff, previousAttributes, changedFields, log, trace, debug, info, warn, error,
} from './hookshape.js';

/** The longest source taken, in characters. */
const MAX_SOURCE = 65536;

class WithHeaders {
  constructor(body, headers) {
    this.body = body;
    this.headers = headers;
  }
}

/** A body to send with extra headers: `withHeaders(body, {"x-kind": "member"})`. */
function withHeaders(body, headers = {}) {
  if (headers === null || typeof headers !== 'object') throw new PluginError('withHeaders: headers must be an object or a list of pairs');
  return new WithHeaders(body, headers);
}

Object.assign(globalThis, {
  withHeaders, get, same, diff, previousAttributes, changedFields, log, trace, debug, info, warn, error,
});

/** `line N: message` for an error thrown by the source (its lines are the source's own). */
function located(e) {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return e instanceof Error && Number.isInteger(e.lineNumber) && e.lineNumber > 0 ? `line ${e.lineNumber}: ${message}` : message;
}

export const { configure, transform } = plugin((config) => {
  const source = config.source;
  if (typeof source !== 'string' || source.trim() === '') throw new PluginError('invalid config: `source` (JavaScript defining `transform(event)`) is required');
  if (source.length > MAX_SOURCE) throw new PluginError(`invalid config: \`source\` is ${source.length} characters; at most ${MAX_SOURCE}`);
  const keys = Object.keys(config).filter((k) => k !== 'source');
  if (keys.length > 0) throw new PluginError(`invalid config: unknown field \`${keys[0]}\` (only \`source\`)`);
  delete globalThis.transform;
  try {
    // Indirect eval: the source runs as a script of its own, so its line numbers are the
    // ones the integrator wrote, and it sees only globals.
    (0, eval)(source);
  } catch (e) {
    throw new PluginError(`the source does not run: ${located(e)}`);
  }
  const fn = globalThis.transform;
  if (typeof fn !== 'function') throw new PluginError('the source must define a function `transform(event)`');
  return {
    transform(event) {
      let out;
      try {
        out = fn(event);
      } catch (e) {
        throw new PluginError(located(e));
      }
      if (out === null || out === undefined) return DROP;
      if (out instanceof WithHeaders) return deliverJson(out.body, out.headers);
      return deliverJson(out);
    },
  };
});
