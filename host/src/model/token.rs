//! API tokens and what each role may do. Only a token's hash is stored.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, in every workspace.
    Admin,
    /// Publishes events (into one workspace when scoped, else any); nothing else.
    Publisher,
    /// Full management of one workspace.
    Manager,
    /// Reads one workspace; reveals no secret.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Publisher => "publisher",
            Role::Manager => "manager",
            Role::Viewer => "viewer",
        }
    }

    /// Whether the role may do `right` (within the workspaces it reaches).
    pub fn may(self, right: Right) -> bool {
        match self {
            Role::Admin => true,
            Role::Publisher => right == Right::Publish,
            Role::Manager => matches!(right, Right::Read | Right::Manage),
            Role::Viewer => right == Right::Read,
        }
    }

    /// Whether tokens of this role must name a workspace.
    pub fn needs_workspace(self) -> bool {
        matches!(self, Role::Manager | Role::Viewer)
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    /// Read a workspace's resources (no secrets).
    Read,
    /// Change a workspace's resources, reveal and rotate secrets, retry, test.
    Manage,
    /// Publish events.
    Publish,
    /// Workspaces and tokens themselves.
    Administer,
}

impl Right {
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Read => "read",
            Right::Manage => "manage",
            Right::Publish => "publish",
            Right::Administer => "administer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The one workspace it reaches; `None`: every workspace (admin, unscoped publisher).
    pub workspace: Option<String>,
    pub created_ms: u64,
    pub expires_ms: Option<u64>,
    pub last_used_ms: Option<u64>,
    /// sha256 of the token, hex.
    pub hash: String,
    /// A portal session's capabilities (`None`: an API token, limited by its role only).
    #[serde(default)]
    pub capabilities: Option<Vec<Capability>>,
    /// A portal session's id, given by the SaaS to end its sessions together.
    #[serde(default)]
    pub session_id: Option<String>,
}

/// What a portal session may do, beyond reading (`view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// See subscriptions, deliveries, attempts, plugins and the catalog.
    View,
    /// Reveal a subscription's signing secret.
    ViewSecret,
    /// Rotate a subscription's signing secret.
    ManageSecret,
    /// Create, change, disable, delete and test subscriptions.
    ManageSubscriptions,
    /// Upload, run and attach plugins.
    ManagePlugins,
    /// Retry and recover deliveries.
    Retry,
}

impl Capability {
    pub const ALL: [Capability; 6] = [
        Capability::View,
        Capability::ViewSecret,
        Capability::ManageSecret,
        Capability::ManageSubscriptions,
        Capability::ManagePlugins,
        Capability::Retry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::View => "view",
            Capability::ViewSecret => "view-secret",
            Capability::ManageSecret => "manage-secret",
            Capability::ManageSubscriptions => "manage-subscriptions",
            Capability::ManagePlugins => "manage-plugins",
            Capability::Retry => "retry",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_they_say() {
        assert!(Role::Admin.may(Right::Administer));
        assert!(!Role::Manager.may(Right::Administer));
        assert!(!Role::Manager.may(Right::Publish));
        assert!(Role::Manager.may(Right::Manage));
        assert!(Role::Viewer.may(Right::Read));
        assert!(!Role::Viewer.may(Right::Manage));
        assert!(Role::Publisher.may(Right::Publish));
        assert!(!Role::Publisher.may(Right::Read));
    }
}
