//! A test plugin that breaks one runtime limit, chosen by its config
//! `{"mode": "loop" | "memory" | "recursion" | "panic" | "big-output" | "log-flood" |
//! "bad-header" | "error" | "panic-if-flagged" | "count" | "sleep" | "big-error" |
//! "control-header" | "set-header" | "print", "configure"?: "print" | "sleep" | "big-error" |
//! "panic-after", "sleepMs"?, "after"?, "header"?}`.
//! `panic-if-flagged` panics only for objects with `"explode": true` and passes the rest;
//! `count` reports how many calls this instance has served (to observe instance reuse);
//! `sleep` sleeps `sleepMs` (default 60 s) in a host call; `set-header` sets the header named
//! by `header`. `configure` misbehaves in `configure` instead: `panic-after` panics once the
//! wall clock is past `after` (Unix ms), so a subscription saved before then fails later.

use hookshape_sdk::json::{Value, json};
use hookshape_sdk::{Delivery, Event, Level, Outcome, Plugin, log};
use serde::Deserialize;
use std::cell::Cell;
use std::hint::black_box;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Mode {
    Loop,
    Memory,
    Recursion,
    Panic,
    BigOutput,
    LogFlood,
    BadHeader,
    Error,
    PanicIfFlagged,
    Count,
    Sleep,
    BigError,
    ControlHeader,
    SetHeader,
    Print,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum InConfigure {
    Print,
    Sleep,
    BigError,
    PanicAfter,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    mode: Mode,
    configure: Option<InConfigure>,
    sleep_ms: Option<u64>,
    after: Option<u64>,
    header: Option<String>,
}

pub struct Misbehave {
    mode: Mode,
    sleep_ms: u64,
    header: String,
    calls: Cell<u64>,
}

fn sleep(ms: u64) {
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Recursion with scalar frames only, so it exhausts wasm's own call stack. (Frames with
/// arrays live on the shadow stack in linear memory, whose overflow traps as an out-of-bounds
/// access instead.)
#[allow(unconditional_recursion)] // the point: exhaust the stack
fn recurse(depth: u64) -> u64 {
    black_box(recurse(black_box(depth + 1))) ^ depth
}

impl Plugin for Misbehave {
    fn configure(config: Value) -> Result<Self, String> {
        let config: Config =
            serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        let sleep_ms = config.sleep_ms.unwrap_or(60_000);
        match config.configure {
            None => {}
            Some(InConfigure::Print) => {
                println!("misbehave: printing in configure");
                eprintln!("misbehave: and to stderr");
            }
            Some(InConfigure::Sleep) => sleep(sleep_ms),
            Some(InConfigure::BigError) => return Err("e".repeat(5 << 20)),
            Some(InConfigure::PanicAfter) if now_ms() > config.after.unwrap_or(0) => {
                panic!("misbehave: too late to configure");
            }
            Some(InConfigure::PanicAfter) => {}
        }
        Ok(Misbehave {
            mode: config.mode,
            sleep_ms,
            header: config.header.unwrap_or_default(),
            calls: Cell::new(0),
        })
    }

    fn transform(&self, event: Event) -> Result<Outcome, String> {
        self.calls.set(self.calls.get() + 1);
        match self.mode {
            Mode::Loop => {
                let mut n = 0u64;
                loop {
                    n = black_box(n.wrapping_add(1));
                }
            }
            Mode::Memory => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 1 << 20]);
                    black_box(&hoard);
                }
            }
            Mode::Recursion => Ok(Outcome::json(&json!(recurse(0)))),
            Mode::Panic => panic!("misbehave: deliberate panic"),
            Mode::BigOutput => Ok(Outcome::Deliver(Delivery {
                body: "x".repeat(10 << 20),
                headers: Vec::new(),
            })),
            Mode::LogFlood => {
                for i in 0..1_000_000u32 {
                    log(Level::Info, &format!("line {i}: the quick brown fox"));
                }
                Ok(Outcome::Drop)
            }
            Mode::BadHeader => Ok(Delivery::json(&json!({}))
                .header("bad header\r\nx", "v")
                .into()),
            Mode::Error => Err("misbehave: deliberate error".into()),
            Mode::PanicIfFlagged => {
                if event.object.get("explode") == Some(&Value::Bool(true)) {
                    panic!("misbehave: flagged object");
                }
                Ok(Outcome::json(&event.object))
            }
            Mode::Count => Ok(Outcome::json(&json!({"calls": self.calls.get()}))),
            Mode::Sleep => {
                sleep(self.sleep_ms);
                Ok(Outcome::json(&event.object))
            }
            Mode::BigError => Err("e".repeat(5 << 20)),
            Mode::ControlHeader => Ok(Delivery::json(&json!({}))
                .header("x-note", "a\u{1}b")
                .into()),
            Mode::SetHeader => Ok(Delivery::json(&json!({}))
                .header(&self.header, "plugin-value")
                .into()),
            Mode::Print => {
                println!("misbehave: printed during transform");
                Ok(Outcome::json(&event.object))
            }
        }
    }
}

hookshape_sdk::export_plugin!(Misbehave);
