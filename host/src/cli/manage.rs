//! `hookshape event-types|events|deliveries|portal-link`: thin clients of the API, acting
//! in `--workspace` (else the token's own, or `default`); the helpers every such command
//! shares.

use std::process::ExitCode;

use serde_json::{Value, json};

use super::client::Target;

/// The workspace a command acts in.
#[derive(Debug, Clone, clap::Args)]
pub struct In {
    /// The workspace to act in [default: the token's own, or `default`].
    #[arg(long, short = 'w', env = "HOOKSHAPE_WORKSPACE", global = true)]
    workspace: Option<String>,
}

impl In {
    /// The workspace named on the command line, if any.
    pub fn name(&self) -> Option<&str> {
        self.workspace.as_deref()
    }

    /// `/v1/{rest}`, or `/v1/workspaces/{ws}/{rest}` when a workspace was named.
    pub fn path(&self, rest: &str) -> String {
        match &self.workspace {
            Some(ws) => format!("/v1/workspaces/{ws}/{rest}"),
            None => format!("/v1/{rest}"),
        }
    }
}

/// A JSON argument: inline, `@file.json`, or `-` for standard input.
pub(super) fn json_arg(text: &str) -> Result<Value, String> {
    let raw = if text == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))?
    } else if let Some(path) = text.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
    } else {
        text.to_owned()
    };
    serde_json::from_str(&raw).map_err(|e| format!("not JSON ({e})"))
}

pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, clap::Subcommand)]
pub enum EventTypesCommand {
    /// Add an event type to the catalog.
    Create {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
        /// JSON Schema its objects must match: JSON, @file.json or -.
        #[arg(long)]
        schema: Option<String>,
        /// An example object: JSON, @file.json or -.
        #[arg(long)]
        example: Option<String>,
        /// Into the global catalog (admin token).
        #[arg(long)]
        global: bool,
        /// Keep each object's last version, so updates without `previous` get one.
        #[arg(long)]
        snapshot: bool,
        /// Where the object's id is, a dotted path [default: `id`, else `_id`].
        #[arg(long)]
        snapshot_key: Option<String>,
    },
    /// List the catalog.
    List,
    /// Show one event type.
    Get { name: String },
    /// Remove an event type.
    Delete {
        name: String,
        #[arg(long)]
        global: bool,
    },
    /// Import the `webhooks` of an OpenAPI document (a file, or - for standard input).
    Import {
        file: String,
        #[arg(long)]
        global: bool,
    },
}

pub fn event_types(target: &Target, ws: &In, command: &EventTypesCommand) -> ExitCode {
    use EventTypesCommand as C;
    let global = |g: bool| if g { "?global=true" } else { "" };
    let result = match command {
        C::Create {
            name,
            description,
            schema,
            example,
            global: g,
            snapshot,
            snapshot_key,
        } => (|| {
            let mut body = json!({"name": name, "description": description, "snapshot": snapshot});
            if let Some(k) = snapshot_key {
                body["snapshotKey"] = json!(k);
            }
            if let Some(s) = schema {
                body["schema"] = json_arg(s)?;
            }
            if let Some(e) = example {
                body["example"] = json_arg(e)?;
            }
            target.call(
                "POST",
                &format!("{}{}", ws.path("event-types"), global(*g)),
                Some(&body),
            )
        })(),
        C::List => target.call("GET", &ws.path("event-types"), None),
        C::Get { name } => target.call("GET", &ws.path(&format!("event-types/{name}")), None),
        C::Delete { name, global: g } => target
            .call(
                "DELETE",
                &format!("{}{}", ws.path(&format!("event-types/{name}")), global(*g)),
                None,
            )
            .map(|_| json!({"name": name, "deleted": true})),
        C::Import { file, global: g } => {
            let arg = if file == "-" {
                "-".to_owned()
            } else {
                format!("@{file}")
            };
            json_arg(&arg).and_then(|doc| {
                target.call(
                    "POST",
                    &format!("{}{}", ws.path("event-types/import"), global(*g)),
                    Some(&doc),
                )
            })
        }
    };
    let columns: &[&str] = match command {
        C::Delete { .. } => &["name", "deleted"],
        C::Import { .. } => &["created", "updated"],
        _ => &["name", "description", "deprecated", "global"],
    };
    super::finish(target, result, columns)
}

#[derive(Debug, clap::Subcommand)]
pub enum EventsCommand {
    /// Publish an event.
    Send {
        /// Its type (`member.updated`).
        #[arg(long = "type")]
        event_type: String,
        /// The object after the change: JSON, @file.json or -.
        #[arg(long)]
        object: String,
        /// The object before the change: JSON, @file.json or -.
        #[arg(long)]
        previous: Option<String>,
        /// Your id for it (a repeat is not delivered twice).
        #[arg(long)]
        id: Option<String>,
        /// Keep it as the object's last version, and fill in `previous` from the one before.
        #[arg(long)]
        snapshot: bool,
    },
    /// List recent events.
    List,
}

pub fn events(target: &Target, ws: &In, command: &EventsCommand) -> ExitCode {
    let result = match command {
        EventsCommand::Send {
            event_type,
            object,
            previous,
            id,
            snapshot,
        } => (|| {
            let mut body = json!({"type": event_type, "object": json_arg(object)?});
            if *snapshot {
                body["snapshot"] = json!(true);
            }
            if let Some(p) = previous {
                body["previous"] = json_arg(p)?;
            }
            if let Some(i) = id {
                body["id"] = json!(i);
            }
            target.call("POST", &ws.path("events"), Some(&body))
        })(),
        EventsCommand::List => target.call("GET", &ws.path("events"), None),
    };
    let columns: &[&str] = match command {
        EventsCommand::Send { .. } => &["id", "workspace", "deliveries", "duplicate"],
        EventsCommand::List => &["id", "type", "received"],
    };
    super::finish(target, result, columns)
}

#[derive(Debug, clap::Subcommand)]
pub enum DeliveriesCommand {
    /// List deliveries, newest first.
    List {
        /// pending, succeeded, dropped or failed.
        #[arg(long)]
        status: Option<String>,
        /// Only events of this type or pattern.
        #[arg(long = "type")]
        event_type: Option<String>,
        /// Only this subscription's.
        #[arg(long)]
        subscription: Option<String>,
        /// Only those made at or after this time (RFC 3339).
        #[arg(long)]
        since: Option<String>,
    },
    /// Show a delivery with every attempt.
    Get { id: String },
    /// Attempt a delivery again now.
    Retry { id: String },
    /// Attempt again every failed delivery made since a time (and before --until).
    Replay {
        #[arg(long)]
        since: String,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        subscription: Option<String>,
    },
}

pub fn deliveries(target: &Target, ws: &In, command: &DeliveriesCommand) -> ExitCode {
    use DeliveriesCommand as C;
    let result = match command {
        C::List {
            status,
            event_type,
            subscription,
            since,
        } => {
            let params: Vec<String> = [
                ("status", status),
                ("type", event_type),
                ("subscription", subscription),
                ("since", since),
            ]
            .iter()
            .filter_map(|(k, v)| {
                v.as_ref().map(|v| {
                    format!(
                        "{k}={}",
                        url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
                    )
                })
            })
            .collect();
            let query = if params.is_empty() {
                String::new()
            } else {
                format!("?{}", params.join("&"))
            };
            target.call("GET", &ws.path(&format!("deliveries{query}")), None)
        }
        C::Get { id } => target.call("GET", &ws.path(&format!("deliveries/{id}")), None),
        C::Retry { id } => target.call("POST", &ws.path(&format!("deliveries/{id}/retry")), None),
        C::Replay {
            since,
            until,
            subscription,
        } => target.call(
            "POST",
            &ws.path("deliveries/recover"),
            Some(&json!({"since": since, "until": until, "subscriptionId": subscription})),
        ),
    };
    let columns: &[&str] = match command {
        C::List { .. } => &[
            "id",
            "status",
            "eventType",
            "subscriptionId",
            "attempts",
            "created",
        ],
        C::Get { .. } => &["id", "status", "eventType", "subscriptionId", "attempts"],
        C::Retry { .. } => ATTEMPT_COLUMNS,
        C::Replay { .. } => &["queued"],
    };
    if let (C::Get { .. }, Ok(detail), false) = (command, &result, target.json) {
        // The delivery, then its attempts.
        target.print(detail, columns);
        println!();
        target.print(&json!({"data": detail["attemptLog"]}), ATTEMPT_COLUMNS);
        return ExitCode::SUCCESS;
    }
    super::finish(target, result, columns)
}

/// An attempt's row: what it got back and why it failed, in words.
pub(super) const ATTEMPT_COLUMNS: &[&str] = &[
    "number",
    "started",
    "outcome",
    "response.status",
    "durationMs",
    "error.detail",
];

/// Options of `hookshape portal-link`.
#[derive(Debug, clap::Args)]
pub struct PortalLinkArgs {
    /// The workspace whose portal it opens.
    #[arg(long, short = 'w', env = "HOOKSHAPE_WORKSPACE")]
    workspace: String,
    /// Comma-separated: view, view-secret, manage-secret, manage-subscriptions,
    /// manage-plugins, retry [default: all].
    #[arg(long)]
    capabilities: Option<String>,
    /// Seconds it works (1 to 604800) [default: 3600].
    #[arg(long)]
    expires_in: Option<u64>,
    /// Your id for the session, to end it later.
    #[arg(long)]
    session_id: Option<String>,
}

pub fn portal_link(target: &Target, args: &PortalLinkArgs) -> ExitCode {
    let mut body = json!({});
    if let Some(c) = &args.capabilities {
        body["capabilities"] = json!(split_list(c));
    }
    if let Some(e) = args.expires_in {
        body["expiresIn"] = json!(e);
    }
    if let Some(s) = &args.session_id {
        body["sessionId"] = json!(s);
    }
    let result = target.call(
        "POST",
        &format!("/v1/workspaces/{}/portal-links", args.workspace),
        Some(&body),
    );
    super::finish(target, result, &["url", "expiresAt", "capabilities"])
}
