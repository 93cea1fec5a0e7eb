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
    /// How the portal looks to this workspace's customers.
    #[serde(default)]
    pub branding: Branding,
    pub created_ms: u64,
    pub updated_ms: u64,
}

/// A SaaS's name, logo and colour on the portal page its customers see. A site without its
/// own shows its organisation's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub name: Option<String>,
    /// An `https://` URL, or a `data:image/…;base64,` URL of at most 64 KiB.
    pub logo: Option<String>,
    /// `#rrggbb`: buttons, links and the selection.
    pub accent: Option<String>,
}

impl Branding {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.logo.is_none() && self.accent.is_none()
    }

    /// Why it may not be shown, if it may not.
    pub fn check(&self) -> Result<(), String> {
        if let Some(name) = &self.name
            && (name.trim().is_empty() || name.chars().count() > 100)
        {
            return Err("`branding.name` must be 1 to 100 characters".into());
        }
        if let Some(logo) = &self.logo {
            let image = ["png", "jpeg", "gif", "webp", "svg+xml"]
                .iter()
                .any(|t| logo.starts_with(&format!("data:image/{t};base64,")));
            if logo.len() > 64 * 1024 {
                return Err("`branding.logo` is longer than 64 KiB".into());
            }
            let https = logo.starts_with("https://")
                && !logo
                    .contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')'));
            if !image && !https {
                return Err(
                    "`branding.logo` must be an https:// URL or a data:image/…;base64, URL".into(),
                );
            }
        }
        if let Some(accent) = &self.accent {
            let hex = accent.len() == 7
                && accent.starts_with('#')
                && accent[1..].bytes().all(|b| b.is_ascii_hexdigit());
            if !hex {
                return Err("`branding.accent` must be a colour as #rrggbb".into());
            }
        }
        Ok(())
    }
}

impl Workspace {
    /// The `default` workspace, as it is before anyone changes it.
    pub fn default_one(now_ms: u64) -> Self {
        Workspace {
            id: DEFAULT_WORKSPACE.into(),
            name: "Default".into(),
            parent: None,
            metadata: BTreeMap::new(),
            branding: Branding::default(),
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
