//! The event as a plugin gets it: what both a delivery's attempt and a candidate's shadow
//! run hand to their plugin (a leaf, so neither needs the other).

use crate::model::Event;
use crate::plugin::OwnedEvent;

/// The event as a plugin gets it, for one attempt.
pub(super) fn plugin_event(event: &Event, attempt_id: &str, attempt: u32) -> OwnedEvent {
    OwnedEvent {
        id: event.id.clone(),
        event_type: event.event_type.clone(),
        occurred_at: event.occurred_at.clone(),
        tenant: event.tenant.clone(),
        object: event.object.clone(),
        previous: event.previous.clone(),
        changed_fields: event.changed_fields.clone(),
        attempt_id: attempt_id.to_owned(),
        attempt,
    }
}
