//! The domain: events, subscriptions, deliveries and attempts. Plain data and rules; no I/O,
//! no storage, no HTTP.

mod batch;
mod catalog;
mod delivery;
mod event;
mod event_type;
mod plugin_record;
mod snapshot;
mod subscription;
pub mod time;
mod token;
mod workspace;

pub use batch::{AssembleError, Batch, assemble};
pub use catalog::CatalogEntry;
pub use delivery::{
    Attempt, AttemptError, AttemptOutcome, DELIVERY_PREFIX, Delivery, DeliveryStatus,
    ReceivedResponse, SentRequest,
};
pub use event::{Event, EventError, changed_fields};
pub use event_type::{EventPattern, EventType, EventTypeError};
pub use plugin_record::PluginRecord;
pub use snapshot::{ends_history, snapshot_key, snapshot_prefix};
pub use subscription::{
    Candidate, DeliveryOrder, PLUGIN_HISTORY, PluginChange, PluginRef, RateLimit, RetrySchedule,
    Secret, Status, Subscription,
};
pub use token::{Capability, Right, Role, TokenRecord};
pub use workspace::{Branding, DEFAULT_WORKSPACE, Workspace, event_key, valid_workspace_id};

/// A new id: a prefix and a ULID, sorting in creation order (within a process, ids made in
/// the same millisecond still sort in the order they were made).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", next_ulid())
}

/// The first id with `prefix` made at `ms` or later: ids sort by creation, so a time range
/// of records is a range of their ids.
pub fn first_id_at(prefix: &str, ms: u64) -> String {
    format!("{prefix}_{}", ulid::Ulid::from_parts(ms, 0))
}

/// A bare ULID, for attempt (request) ids.
pub fn new_ulid() -> String {
    next_ulid().to_string()
}

fn next_ulid() -> ulid::Ulid {
    static GENERATOR: std::sync::Mutex<ulid::Generator> =
        std::sync::Mutex::new(ulid::Generator::new());
    GENERATOR
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .generate()
        // 2^80 ids in one millisecond overflow the random part: fall back to a random one.
        .unwrap_or_else(|_| ulid::Ulid::new())
}
