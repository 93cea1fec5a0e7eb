// Famly's envelope, in JavaScript: `{requestId, eventId, siteSetId, eventTime, operation,
// objectType, data}`. `requestId` is the attempt id, new on every attempt (retries included);
// `eventId` never changes; `siteSetId` is the event's tenant.
//
// Config (optional): `{"objectTypes": {"child": "Child", "billpayer": "BillPayer"}}` maps the
// event's root resource to Famly's `objectType`; unmapped resources are capitalised.

import { plugin, deliverJson, PluginError } from './hookshape.js';

const capitalise = (s) => (s ? s[0].toUpperCase() + s.slice(1) : '');

const OPERATION = { created: 'Created', updated: 'Updated', deleted: 'Deleted' };

export const { configure, transform } = plugin((config) => {
  for (const key of Object.keys(config)) {
    if (key !== 'objectTypes') throw new PluginError(`invalid config: unknown field \`${key}\``);
  }
  const objectTypes = config.objectTypes ?? {};
  return {
    transform(event) {
      const operation = OPERATION[event.operation] ?? capitalise(event.type.split('.').pop());
      const resource = event.rootResource;
      return deliverJson({
        requestId: event.attemptId,
        eventId: event.id,
        siteSetId: event.tenant,
        eventTime: event.occurredAtSeconds(),
        operation,
        objectType: Object.hasOwn(objectTypes, resource) ? objectTypes[resource] : capitalise(resource),
        data: event.object,
      });
    },
  };
});
