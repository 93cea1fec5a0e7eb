//! `hookshape plugin run PLUGIN.wasm --event EVENT [--config CONFIG] [--json]`, where EVENT and
//! CONFIG are inline JSON, a file, or `-` for stdin.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::model::{self, Event};
use crate::plugin::{self, Limits, Outcome, PluginOptions, Runtime, RuntimeConfig};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The plugin component (.wasm).
    plugin: PathBuf,
    /// The event, as published: {"type", "object", "previous"?, "tenant"?, "id"?,
    /// "occurredAt"?} — inline JSON, a file, or `-` for stdin.
    #[arg(long)]
    event: String,
    /// The plugin config — inline JSON, a file, or `-` for stdin; `{}` when omitted.
    #[arg(long)]
    config: Option<String>,
    /// Attempt number to present to the plugin.
    #[arg(long, default_value_t = 1)]
    attempt: u32,
    /// Wall-time limit per call, in milliseconds.
    #[arg(long, default_value_t = Limits::default().timeout_ms)]
    timeout_ms: u64,
    /// Linear memory limit, in bytes.
    #[arg(long, default_value_t = Limits::default().memory_bytes)]
    memory_bytes: u64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Where compiled plugins are kept between runs, so that a component already seen is
    /// not compiled again [default: $HOOKSHAPE_CACHE_DIR, else $XDG_CACHE_HOME/hookshape,
    /// else ~/.cache/hookshape].
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Compile the plugin afresh and keep nothing.
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
}

/// The default cache of compiled plugins, when the environment names a place for it.
fn default_cache_dir() -> Option<PathBuf> {
    super::cache_root().map(|d| d.join("plugins"))
}

/// The event file: the same fields as `POST /v1/events`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct EventFile {
    #[serde(rename = "type")]
    event_type: String,
    object: Value,
    previous: Option<Value>,
    tenant: Option<String>,
    id: Option<String>,
    occurred_at: Option<String>,
}

const EXIT_PLUGIN_FAILED: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;

pub fn run(args: &RunArgs) -> ExitCode {
    match execute(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn read(path: &PathBuf, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))
}

/// JSON given inline (it starts with `{` or `[`), as `-` (stdin), or as a file name.
fn json_arg(arg: &str, what: &str) -> Result<(Vec<u8>, String), String> {
    let trimmed = arg.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Ok((arg.as_bytes().to_vec(), format!("the {what}")));
    }
    if arg == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| format!("cannot read the {what} from stdin: {e}"))?;
        return Ok((bytes, format!("the {what} on stdin")));
    }
    let path = PathBuf::from(arg);
    Ok((read(&path, what)?, path.display().to_string()))
}

fn execute(args: &RunArgs) -> Result<ExitCode, String> {
    let wasm = read(&args.plugin, "plugin")?;
    if args.event == "-" && args.config.as_deref() == Some("-") {
        return Err("only one of --event and --config can come from stdin".into());
    }
    let (bytes, source) = json_arg(&args.event, "event")?;
    let event: EventFile =
        serde_json::from_slice(&bytes).map_err(|e| format!("{source}: not a valid event: {e}"))?;
    let config = match &args.config {
        Some(arg) => {
            let (bytes, source) = json_arg(arg, "config")?;
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{source}: not valid JSON: {e}"))?;
            value.to_string()
        }
        None => "{}".to_owned(),
    };
    let event = Event::new(
        &event.event_type,
        &event.object,
        event.previous.as_ref(),
        event.tenant,
        event.id,
        event.occurred_at.as_deref(),
    )
    .map_err(|e| format!("the event: {e}"))?;

    let mut cache_dir = match (&args.cache_dir, args.no_cache) {
        (_, true) => None,
        (Some(dir), false) => Some(dir.clone()),
        (None, false) => default_cache_dir(),
    };
    if let Some(dir) = &cache_dir
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        // A run needs no cache: without one it only compiles again.
        eprintln!(
            "warning: no cache of compiled plugins ({}: {e})",
            dir.display()
        );
        cache_dir = None;
    }
    let runtime = Runtime::new(&RuntimeConfig {
        cache_dir,
        max_instances: 4,
        ..RuntimeConfig::default()
    })
    .map_err(|e| e.to_string())?;
    let code = runtime
        .load(&wasm)
        .map_err(|e| format!("{}: {e} ({})", args.plugin.display(), e.code()))?;
    let limits = Limits {
        timeout_ms: args.timeout_ms,
        memory_bytes: args.memory_bytes,
        ..Limits::default()
    };
    let plugin = runtime
        .prepare(code, &config, limits, PluginOptions::default())
        .map_err(|e| format!("{e} ({})", e.code()))?;
    let attempt_id = model::new_ulid();
    let report = plugin.transform(&plugin::Event {
        id: &event.id,
        event_type: &event.event_type,
        occurred_at: &event.occurred_at,
        tenant: event.tenant.as_deref(),
        object: &event.object,
        previous: event.previous.as_deref(),
        changed_fields: &event.changed_fields,
        attempt_id: &attempt_id,
        attempt: args.attempt,
    });
    for line in &report.logs {
        eprintln!("plugin log [{:?}]: {}", line.level, line.message);
    }
    for line in report.output.lines() {
        eprintln!("plugin output: {line}");
    }
    let duration_us = u64::try_from(report.duration.as_micros()).unwrap_or(u64::MAX);
    let outcome = match report.result {
        Ok(outcome) => outcome,
        Err(failure) => {
            eprintln!("error: {failure} ({})", failure.code());
            return Ok(ExitCode::from(EXIT_PLUGIN_FAILED));
        }
    };
    if args.json {
        let (kind, body, headers) = match &outcome {
            Outcome::Drop => ("drop", Value::Null, json!([])),
            Outcome::Deliver { body, headers } => ("deliver", json!(body), json!(headers)),
        };
        println!(
            "{}",
            json!({
                "outcome": kind,
                "body": body,
                "headers": headers,
                "durationUs": duration_us,
                "memoryBytes": report.memory_bytes,
                "logs": report.logs,
                "output": report.output,
                // Whether the component came from the cache of compiled plugins.
                "cached": runtime.stats().deserialized > 0,
            })
        );
    } else {
        match &outcome {
            Outcome::Drop => println!("outcome: drop"),
            Outcome::Deliver { body, headers } => {
                println!("outcome: deliver");
                for (name, value) in headers {
                    println!("header: {name}: {value}");
                }
                println!("body: {body}");
            }
        }
        println!(
            "duration: {duration_us} µs, peak linear memory: {:.1} KiB",
            report.memory_bytes as f64 / 1024.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
