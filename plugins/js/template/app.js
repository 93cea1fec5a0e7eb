// A plugin to start from: edit `transform`, then `hookshape plugin build`.
//
// This one adds a configurable `source` field and the event id to the object, and drops
// events whose object is marked `"internal": true`.

import { plugin, deliverJson, info, DROP, PluginError } from './hookshape.js';

export const { configure, transform } = plugin((config) => {
  for (const key of Object.keys(config)) {
    if (key !== 'source') throw new PluginError(`invalid config: unknown field \`${key}\``);
  }
  const source = config.source ?? 'hookshape';
  return {
    transform(event) {
      if (event.object?.internal === true) {
        info('internal object: dropped');
        return DROP;
      }
      return deliverJson({ id: event.id, type: event.type, source, data: event.object });
    },
  };
});
