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
