//! Workspaces: the isolation unit of a platform's customers (Famly's site or organisation,
//! OfficeRnD's account, Falu's `workspace`). Every subscription, plugin reference, event,
//! delivery and attempt belongs to exactly one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The workspace of everything made before workspaces existed, and of un-prefixed routes.
pub const DEFAULT_WORKSPACE: &str = "default";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    /// Its events also reach the parent's subscriptions (a site's reach its organisation's).
    pub parent: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

impl Workspace {
    /// The `default` workspace, as it is before anyone changes it.
    pub fn default_one(now_ms: u64) -> Self {
        Workspace {
            id: DEFAULT_WORKSPACE.into(),
            name: "Default".into(),
            parent: None,
            metadata: BTreeMap::new(),
            created_ms: now_ms,
            updated_ms: now_ms,
        }
    }
}

/// Workspace ids: 1 to 64 letters, digits, `_` or `-` (a source may choose them, e.g. its
/// own tenant id; generated ones are `wksp_…`).
pub fn valid_workspace_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Where an event is stored: event ids are chosen by publishers, so two workspaces may use
/// the same one; the key keeps them apart (`default` keeps the bare id it always had).
pub fn event_key(workspace: &str, event_id: &str) -> String {
    if workspace == DEFAULT_WORKSPACE {
        event_id.to_owned()
    } else {
        format!("{workspace}/{event_id}")
    }
}

fn default_workspace() -> String {
    DEFAULT_WORKSPACE.into()
}

/// For records written before workspaces: they belong to `default`.
pub(crate) fn serde_default_workspace() -> String {
    default_workspace()
}

/// For records written before test mode: they are live.
pub(crate) fn serde_true() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_keep_workspaces_apart() {
        assert_eq!(event_key("default", "evt_1"), "evt_1");
        assert_eq!(event_key("wksp_a", "evt_1"), "wksp_a/evt_1");
        assert_ne!(event_key("a", "evt_1"), event_key("b", "evt_1"));
        assert!(valid_workspace_id("wksp_01HBZ"));
        assert!(!valid_workspace_id("a/b"));
        assert!(!valid_workspace_id(""));
    }
}
