//! The event-type catalog: what each event type means, an example, and optionally the JSON
//! Schema its `object` must match. Global entries (an operator's) are seen by every
//! workspace; a workspace's own entry of the same name takes their place there.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// A valid event type (`member.updated`).
    pub name: String,
    /// `None`: global, defined by an admin for every workspace.
    pub workspace: Option<String>,
    pub description: String,
    /// JSON Schema the event's `object` must match when published.
    pub schema: Option<serde_json::Value>,
    pub example: Option<serde_json::Value>,
    pub deprecated: bool,
    /// Remember the last published object of this type, so that an update published without
    /// `previous` gets it from the host.
    #[serde(default)]
    pub snapshot: bool,
    /// Where the object's id is (a dotted path); `id`, else `_id`, when absent.
    #[serde(default)]
    pub snapshot_key: Option<String>,
    pub created_ms: u64,
    pub updated_ms: u64,
}
