//! The domain: events, subscriptions, deliveries and attempts. Plain data and rules; no I/O,
//! no storage, no HTTP.

mod batch;
mod delivery;
mod event;
mod event_type;
mod plugin_record;
mod subscription;
pub mod time;

pub use batch::{AssembleError, Batch, assemble};
pub use delivery::{
    Attempt, AttemptError, AttemptOutcome, Delivery, DeliveryStatus, ReceivedResponse, SentRequest,
};
pub use event::{Event, EventError, changed_fields};
pub use event_type::{EventPattern, EventType, EventTypeError};
pub use plugin_record::PluginRecord;
pub use subscription::{PluginRef, Secret, Status, Subscription};

/// A new id: a prefix and a ULID (sortable by creation time).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", ulid::Ulid::new())
}

/// A bare ULID, for attempt (request) ids.
pub fn new_ulid() -> String {
    ulid::Ulid::new().to_string()
}
