//! `hookshape tokens create|list|revoke`.

use std::process::ExitCode;

use serde_json::json;

use super::client::Target;

#[derive(Debug, clap::Subcommand)]
pub enum TokensCommand {
    /// Make a token; it is printed once (admin token).
    Create {
        /// What it is for.
        #[arg(long)]
        name: String,
        /// admin, publisher, manager or viewer.
        #[arg(long, value_parser = ["admin", "publisher", "manager", "viewer"])]
        role: String,
        /// The one workspace it reaches (needed for manager and viewer).
        #[arg(long)]
        workspace: Option<String>,
        /// When it stops working (RFC 3339).
        #[arg(long)]
        expires_at: Option<String>,
    },
    /// List tokens, without the tokens themselves (admin token).
    List,
    /// Revoke a token by id: its next request is refused (admin token).
    Revoke {
        /// The token's id (`tok_…`).
        id: String,
    },
}

pub fn run(target: &Target, command: &TokensCommand) -> ExitCode {
    let result = match command {
        TokensCommand::Create {
            name,
            role,
            workspace,
            expires_at,
        } => target.call(
            "POST",
            "/v1/tokens",
            Some(&json!({"name": name, "role": role, "workspace": workspace, "expiresAt": expires_at})),
        ),
        TokensCommand::List => target.call("GET", "/v1/tokens", None),
        TokensCommand::Revoke { id } => target
            .call("DELETE", &format!("/v1/tokens/{id}"), None)
            .map(|_| json!({"id": id, "revoked": true})),
    };
    let columns: &[&str] = match command {
        TokensCommand::Create { .. } => &["id", "role", "workspace", "token"],
        TokensCommand::List => &["id", "name", "role", "workspace", "expiresAt", "lastUsed"],
        TokensCommand::Revoke { .. } => &["id", "revoked"],
    };
    super::finish(target, result, columns)
}
