//! `hookshape listen --forward-to URL`: real deliveries to an app on this machine, from a
//! server that cannot reach it. The command registers a temporary subscription whose URL is
//! `listen:<session>`, takes its deliveries from the server (a long poll), sends each to the
//! local app with the headers it was signed with, and tells the server what the app answered
//! (recorded as the attempt). The subscription is removed on exit, or at the next start when
//! the command was killed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use super::client::Target;
use super::manage::In;
use crate::deliver::{AddressGuard, Request, Sender, SenderConfig};
use crate::sign::{self, Scheme};

/// What to forward.
pub struct Forward<'a> {
    pub to: &'a str,
    pub events: &'a [String],
    pub live: bool,
    pub target: &'a Target,
    pub workspace: &'a In,
}

/// The file that remembers the subscription of a running `listen`, so that the next start
/// removes it when the command was killed.
fn state_file(workspace: &In) -> Option<PathBuf> {
    let name = workspace.name().unwrap_or("default");
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    super::cache_root().map(|d| d.join("listen").join(format!("{safe}.json")))
}

fn remove_subscription(target: &Target, workspace: &In, id: &str) -> Result<(), String> {
    match target.call(
        "DELETE",
        &workspace.path(&format!("subscriptions/{id}")),
        None,
    ) {
        Ok(_) => Ok(()),
        Err(e) if e.starts_with("not_found") => Ok(()),
        Err(e) => Err(e),
    }
}

/// Removes a subscription a killed `listen` left behind.
fn clean_up_previous(f: &Forward<'_>, state: Option<&PathBuf>) {
    let Some(path) = state else { return };
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let Some(id) = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["subscription"].as_str().map(str::to_owned))
    else {
        return;
    };
    match remove_subscription(f.target, f.workspace, &id) {
        Ok(()) => {
            eprintln!("removed subscription {id}, left by a listen that did not stop cleanly");
            let _ = std::fs::remove_file(path);
        }
        Err(e) => eprintln!("warning: cannot remove subscription {id} left by a listen: {e}"),
    }
}

/// Removes the subscription when the command is interrupted (Ctrl-C) or terminated.
fn remove_on_signal(target: Target, workspace: In, id: String, state: Option<PathBuf>) {
    std::thread::spawn(move || {
        let Ok(runtime) = super::runtime(false) else {
            return;
        };
        runtime.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                let Ok(mut term) = signal(SignalKind::terminate()) else {
                    return;
                };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            let _ = tokio::signal::ctrl_c().await;
        });
        drop(runtime);
        let code = match remove_subscription(&target, &workspace, &id) {
            Ok(()) => {
                eprintln!("removed subscription {id}");
                if let Some(path) = state {
                    let _ = std::fs::remove_file(path);
                }
                0
            }
            Err(e) => {
                eprintln!("error: cannot remove subscription {id}: {e}");
                1
            }
        };
        std::process::exit(code);
    });
}

pub fn forward(f: &Forward<'_>) -> ExitCode {
    match run(f) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(f: &Forward<'_>) -> Result<(), String> {
    let to = app_url(f.to)?;
    let runtime = super::runtime(false)?;
    let sender = Sender::new(SenderConfig {
        timeout: Duration::from_secs(30),
        // The app is on this machine: loopback is the point.
        guard: AddressGuard {
            allow_private: true,
            allow: Vec::new(),
        },
        response_limit: 64 * 1024,
        user_agent: format!("hookshape-listen/{}", env!("CARGO_PKG_VERSION")),
        proxy: None,
        max_idle_per_host: 4,
    })
    .map_err(|e| e.to_string())?;

    let state = state_file(f.workspace);
    clean_up_previous(f, state.as_ref());
    let session = crate::model::new_ulid().to_lowercase();
    let events: Vec<String> = if f.events.is_empty() {
        vec!["*".to_owned()]
    } else {
        f.events.to_vec()
    };
    let created = f.target.call(
        "POST",
        &f.workspace.path("subscriptions"),
        Some(&json!({
            "url": format!("{}{session}", crate::deliver::relay::SCHEME),
            "events": events,
            "live": f.live,
            "description": format!("hookshape listen --forward-to {to}"),
            "metadata": {"createdBy": "hookshape listen"},
        })),
    )?;
    let id = created["id"]
        .as_str()
        .ok_or("the server returned no subscription id")?
        .to_owned();
    let secret = created["secret"].as_str().unwrap_or_default().to_owned();
    if let Some(path) = &state {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(path, json!({"subscription": id}).to_string()));
        if let Err(e) = written {
            eprintln!(
                "warning: cannot remember the subscription in {}: {e}",
                path.display()
            );
        }
    }
    remove_on_signal(f.target.clone(), f.workspace.clone(), id.clone(), state);
    eprintln!(
        "forwarding {} {} events to {to}\nsubscription {id}, signing secret {secret}\nready (Ctrl-C to stop)",
        if f.live { "live" } else { "test" },
        events.join(", "),
    );

    let poll = f.workspace.path(&format!("listen/{session}?wait=20"));
    let mut down = false;
    loop {
        let taken = match f.target.call("GET", &poll, None) {
            Ok(v) => {
                if down {
                    eprintln!("connected again");
                    down = false;
                }
                v
            }
            Err(e) => {
                if !down {
                    eprintln!("error: {e}; trying again every 2 s");
                    down = true;
                }
                std::thread::sleep(Duration::from_secs(2));
                continue;
            }
        };
        for item in taken["data"].as_array().into_iter().flatten() {
            let answer = runtime.block_on(deliver_one(&sender, to, &secret, item, f.target.json));
            let rid = item["id"].as_str().unwrap_or_default();
            let path = f.workspace.path(&format!("listen/{session}/{rid}"));
            if let Err(e) = f.target.call("POST", &path, Some(&answer)) {
                eprintln!("warning: the server did not take the app's answer: {e}");
            }
        }
    }
}

/// A URL the app is at: http or https, with a host.
fn app_url(to: &str) -> Result<&str, String> {
    if super::is_http_url(to) {
        Ok(to)
    } else {
        Err(format!(
            "--forward-to {to}: give an http:// or https:// URL"
        ))
    }
}

/// Sends one relayed delivery to the app, prints it, and returns the answer for the server.
async fn deliver_one(
    sender: &Sender,
    to: &str,
    secret: &str,
    item: &Value,
    json_out: bool,
) -> Value {
    let headers: Vec<(String, String)> = item["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h[0].as_str()?.to_owned(), h[1].as_str()?.to_owned())))
        .collect();
    let body = base64::engine::general_purpose::STANDARD
        .decode(item["body"].as_str().unwrap_or_default())
        .unwrap_or_default();
    let now = crate::model::time::now_ms() / 1000;
    let verdict = match sign::verify(&Scheme::StandardWebhooks, secret, &headers, &body, now) {
        Ok(_) => "valid".to_owned(),
        Err(why) => format!("invalid: {why}"),
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("-", |(_, v)| v.as_str())
    };
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let event_type = ["type", "event", "eventType"]
        .iter()
        .find_map(|k| parsed[*k].as_str())
        .unwrap_or("-")
        .to_owned();
    let message_id = header("webhook-id").to_owned();
    let request = Request {
        url: to.to_owned(),
        headers,
        body,
    };
    let answer = match sender.send(&request).await {
        Ok(r) => json!({"status": r.status, "body": r.body, "elapsedMs": r.elapsed.as_millis()}),
        Err(e) => json!({"error": e.to_string()}),
    };
    // What is printed: the answer without the app's body.
    let mut outcome = answer.clone();
    if let Some(o) = outcome.as_object_mut() {
        o.remove("body");
    }
    if json_out {
        let mut line = json!({"id": message_id, "type": event_type, "signature": verdict});
        if let (Some(line), Some(o)) = (line.as_object_mut(), outcome.as_object()) {
            line.extend(o.clone());
        }
        println!("{line}");
    } else {
        let result = match (&outcome["status"], &outcome["error"]) {
            (Value::Number(s), _) => format!("{s} in {} ms", outcome["elapsedMs"]),
            (_, Value::String(e)) => format!("failed: {e}"),
            _ => "-".to_owned(),
        };
        println!("{event_type}  {message_id}  → {result}  (signature {verdict})");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    answer
}
