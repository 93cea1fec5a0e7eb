// Drops every event unless a field of its object has one of the configured values; what
// passes goes out unchanged in the default envelope.
//
// Config: `{"field": "status", "equals": "active"}` or `{"field": "status", "in": ["a", "b"]}`.

import { plugin, deliverJson, get, same, validPath, DROP, PluginError } from './hookshape.js';

export const { configure, transform } = plugin((config) => {
  if (typeof config.field !== 'string') throw new PluginError('invalid config: `field` (a string) is required');
  if (!validPath(config.field)) throw new PluginError(`invalid config: field path \`${config.field}\` has an empty segment`);
  if (('equals' in config) === ('in' in config)) throw new PluginError('invalid config: give one of `equals` and `in`');
  const anyOf = 'equals' in config ? [config.equals] : config.in;
  if (!Array.isArray(anyOf) || anyOf.length === 0) throw new PluginError('invalid config: `in` must be a non-empty list');
  return {
    transform(event) {
      const value = get(event.object, config.field);
      if (value === undefined || !anyOf.some((v) => same(value, v))) return DROP;
      return deliverJson(event.envelope(event.object));
    },
  };
});
