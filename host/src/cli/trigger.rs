//! `hookshape trigger <event-type>`: publishes the catalog's example of an event type, as a
//! test event unless `--live`, to see a subscription (or `hookshape listen --forward-to`) at
//! work without writing an event by hand.

use std::process::ExitCode;

use serde_json::json;

use super::client::Target;
use super::manage::{In, json_arg};

#[derive(Debug, clap::Args)]
pub struct TriggerArgs {
    /// The event type whose example to publish (`member.updated`).
    event_type: String,
    /// Publish it as live traffic (reaches live subscriptions) instead of test traffic.
    #[arg(long)]
    live: bool,
    /// An object to send instead of the catalog's example: JSON, @file.json or -.
    #[arg(long)]
    object: Option<String>,
}

pub fn trigger(target: &Target, ws: &In, args: &TriggerArgs) -> ExitCode {
    let result = (|| {
        let object = match &args.object {
            Some(text) => json_arg(text)?,
            None => {
                let entry = target
                    .call("GET", &ws.path(&format!("event-types/{}", args.event_type)), None)
                    .map_err(|e| {
                        if e.starts_with("not_found") {
                            format!(
                                "`{}` is not in the catalog (see `hookshape event-types list`); give --object to send it anyway",
                                args.event_type
                            )
                        } else {
                            e
                        }
                    })?;
                match &entry["example"] {
                    serde_json::Value::Null => {
                        return Err(format!(
                            "`{}` has no example in the catalog; send an object with --object",
                            args.event_type
                        ));
                    }
                    example => example.clone(),
                }
            }
        };
        let body = json!({"type": args.event_type, "object": object, "live": args.live});
        target.call("POST", &ws.path("events"), Some(&body))
    })();
    super::finish(
        target,
        result,
        &["id", "workspace", "deliveries", "duplicate"],
    )
}
