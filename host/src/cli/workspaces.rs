//! `hookshape workspaces create|list`.

use std::process::ExitCode;

use serde_json::json;

use super::client::Target;

#[derive(Debug, clap::Subcommand)]
pub enum WorkspacesCommand {
    /// Make a workspace (admin token).
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// Its id (e.g. your own tenant id); generated when absent.
        #[arg(long)]
        id: Option<String>,
        /// A parent workspace, whose subscriptions also get this one's events.
        #[arg(long)]
        parent: Option<String>,
    },
    /// List workspaces (admin token).
    List,
}

pub fn run(target: &Target, command: &WorkspacesCommand) -> ExitCode {
    let result = match command {
        WorkspacesCommand::Create { name, id, parent } => target.call(
            "POST",
            "/v1/workspaces",
            Some(&json!({"id": id, "name": name, "parent": parent})),
        ),
        WorkspacesCommand::List => target.call("GET", "/v1/workspaces", None),
    };
    super::finish(target, result, &["id", "name", "parent", "created"])
}
