//! What the host keeps about an uploaded plugin.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginRecord {
    /// sha256 of the wasm bytes, hex.
    pub id: String,
    pub size: u64,
    pub world: String,
    pub created_ms: u64,
    /// A name its uploader gave it, shown in lists.
    #[serde(default)]
    pub name: Option<String>,
}
