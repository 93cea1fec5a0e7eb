//! `hookshape subscriptions`: a thin client of the API, acting in `--workspace`; plugins are
//! named by id or by the name they were uploaded under.

use std::process::ExitCode;

use serde_json::{Value, json};

use super::client::Target;
use super::manage::{In, json_arg, split_list};

/// A plugin's id from what the user typed: an id (`sha256` hex, `builtin:…`) as it is, else
/// the name it was uploaded under in the workspace.
fn plugin_id(target: &Target, ws: &In, reference: &str) -> Result<String, String> {
    let is_id = reference.len() == 64 && reference.bytes().all(|b| b.is_ascii_hexdigit());
    if is_id || reference.starts_with(crate::plugin::BUILTIN_PREFIX) {
        return Ok(reference.to_owned());
    }
    let listed = target.call("GET", &ws.path("plugins"), None)?;
    let ids: Vec<&str> = listed["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == reference)
        .filter_map(|p| p["id"].as_str())
        .collect();
    match ids.as_slice() {
        [id] => Ok((*id).to_owned()),
        [] => Err(format!(
            "no plugin named `{reference}` in this workspace (see `hookshape plugins list`)"
        )),
        _ => Err(format!(
            "several plugins are named `{reference}`: {}; give an id",
            ids.join(", ")
        )),
    }
}

/// A subscription's `plugin` field: the plugin (by id or name) with its config.
fn plugin_field(
    target: &Target,
    ws: &In,
    reference: &str,
    config: Option<&str>,
) -> Result<Value, String> {
    let config = config.map(json_arg).transpose()?;
    Ok(json!({"id": plugin_id(target, ws, reference)?, "config": config.unwrap_or(json!({}))}))
}

#[derive(Debug, clap::Subcommand)]
pub enum SubscriptionsCommand {
    /// Create a subscription; its signing secret is printed once.
    Create {
        /// Where deliveries go (https unless the server allows http).
        #[arg(long, value_name = "URL")]
        endpoint: String,
        /// Event types or patterns, comma-separated (`member.*,invoice.paid`).
        #[arg(long)]
        events: String,
        #[arg(long)]
        description: Option<String>,
        /// A plugin to shape the body: its id, its name, or `builtin:javascript`.
        #[arg(long)]
        plugin: Option<String>,
        /// The plugin's config: JSON, @file.json or -.
        #[arg(long, requires = "plugin")]
        config: Option<String>,
    },
    /// List subscriptions.
    List,
    /// Show one subscription.
    Get { id: String },
    /// Change a subscription: only the options given.
    Update {
        id: String,
        /// A new endpoint URL.
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        #[arg(long)]
        events: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Enable or disable it.
        #[arg(long, value_parser = ["enabled", "disabled"])]
        status: Option<String>,
        /// Attach a plugin, or replace the one it has: its id, its name, or
        /// `builtin:javascript`.
        #[arg(long, conflicts_with = "no_plugin")]
        plugin: Option<String>,
        /// The plugin's config (JSON, @file.json or -): with `--plugin`, or alone to change
        /// the config of the plugin it has.
        #[arg(long, conflicts_with = "no_plugin")]
        config: Option<String>,
        /// Remove its plugin: deliveries go out in the default envelope.
        #[arg(long)]
        no_plugin: bool,
    },
    /// Delete a subscription.
    Delete { id: String },
    /// Send a `hookshape.test` event to it now (or an event type's catalog example, through
    /// its plugin) and print the attempt.
    Test {
        id: String,
        /// Send this event type's example from the catalog.
        #[arg(long)]
        event_type: Option<String>,
    },
    /// Try a plugin (or another config) beside the current one, on live events: its output is
    /// compared, not sent (but for the `--percent` share).
    Try {
        id: String,
        /// The candidate plugin: its id, its name, or `builtin:javascript`.
        #[arg(long)]
        plugin: String,
        /// Its config: JSON, @file.json or -.
        #[arg(long)]
        config: Option<String>,
        /// The share of events (0–100) sent with the candidate's output: a canary.
        #[arg(long, default_value_t = 0)]
        percent: u8,
    },
    /// How the candidate's output compares: counts per outcome and the last differences.
    Compare { id: String },
    /// Make the candidate the current plugin (the old one is kept for a rollback).
    Promote { id: String },
    /// Go back to the plugin before the last promotion.
    Rollback { id: String },
    /// Stop trying the candidate.
    StopTrial { id: String },
}

pub fn run(target: &Target, ws: &In, command: &SubscriptionsCommand) -> ExitCode {
    use SubscriptionsCommand as C;
    let one = |id: &str| ws.path(&format!("subscriptions/{id}"));
    let result = match command {
        C::Create {
            endpoint,
            events,
            description,
            plugin,
            config,
        } => (|| {
            let mut body = json!({"url": endpoint, "events": split_list(events)});
            if let Some(d) = description {
                body["description"] = json!(d);
            }
            if let Some(p) = plugin {
                body["plugin"] = plugin_field(target, ws, p, config.as_deref())?;
            }
            target.call("POST", &ws.path("subscriptions"), Some(&body))
        })(),
        C::List => target.call("GET", &ws.path("subscriptions?limit=250"), None),
        C::Get { id } => target.call("GET", &one(id), None),
        C::Update {
            id,
            endpoint,
            events,
            description,
            status,
            plugin,
            config,
            no_plugin,
        } => (|| {
            let mut body = json!({});
            if let Some(u) = endpoint {
                body["url"] = json!(u);
            }
            if let Some(e) = events {
                body["events"] = json!(split_list(e));
            }
            if let Some(d) = description {
                body["description"] = json!(d);
            }
            if let Some(s) = status {
                body["status"] = json!(s);
            }
            match (plugin, config) {
                (Some(p), config) => {
                    body["plugin"] = plugin_field(target, ws, p, config.as_deref())?;
                }
                (None, Some(config)) => {
                    // A new config for the plugin it has.
                    let current = target.call("GET", &one(id), None)?;
                    let Some(p) = current["plugin"]["id"].as_str() else {
                        return Err(format!(
                            "subscription {id} has no plugin; give --plugin with --config"
                        ));
                    };
                    body["plugin"] = json!({"id": p, "config": json_arg(config)?});
                    if let Some(limits) = current["plugin"].get("limits") {
                        body["plugin"]["limits"] = limits.clone();
                    }
                }
                (None, None) if *no_plugin => body["plugin"] = Value::Null,
                (None, None) => {}
            }
            target.call("PATCH", &one(id), Some(&body))
        })(),
        C::Delete { id } => target
            .call("DELETE", &one(id), None)
            .map(|_| json!({"id": id, "deleted": true})),
        C::Test { id, event_type } => {
            let body = event_type.as_ref().map(|t| json!({"eventType": t}));
            target.call("POST", &format!("{}/test", one(id)), body.as_ref())
        }
        C::Try {
            id,
            plugin,
            config,
            percent,
        } => (|| {
            let body = json!({
                "plugin": plugin_field(target, ws, plugin, config.as_deref())?,
                "percent": percent,
            });
            target.call("PUT", &format!("{}/candidate", one(id)), Some(&body))
        })(),
        C::Compare { id } => target.call("GET", &format!("{}/candidate", one(id)), None),
        C::Promote { id } => target.call("POST", &format!("{}/candidate/promote", one(id)), None),
        C::Rollback { id } => target.call("POST", &format!("{}/rollback", one(id)), None),
        C::StopTrial { id } => target.call("DELETE", &format!("{}/candidate", one(id)), None),
    };
    let columns: &[&str] = match command {
        C::Create { .. } => &["id", "url", "events", "secret", "warnings"],
        C::List | C::Get { .. } | C::Update { .. } => {
            &["id", "url", "events", "status", "plugin.id", "description"]
        }
        C::Delete { .. } => &["id", "deleted"],
        C::Test { .. } => super::manage::ATTEMPT_COLUMNS,
        C::Try { .. } | C::StopTrial { .. } => &["id", "plugin.id", "candidate.plugin.id"],
        C::Compare { .. } => &["candidate", "counts"],
        C::Promote { .. } | C::Rollback { .. } => &["id", "plugin.id", "previousPlugin.id"],
    };
    super::finish(target, result, columns)
}
