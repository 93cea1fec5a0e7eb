//! A test plugin that breaks one runtime limit, chosen by its config
//! `{"mode": "loop" | "memory" | "recursion" | "panic" | "big-output" | "log-flood" |
//! "bad-header" | "error" | "panic-if-flagged" | "count"}`.
//! `panic-if-flagged` panics only for objects with `"explode": true` and passes the rest;
//! `count` reports how many calls this instance has served (to observe instance reuse).

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
}

#[derive(Deserialize)]
struct Config {
    mode: Mode,
}

pub struct Misbehave {
    mode: Mode,
    calls: Cell<u64>,
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
        Ok(Misbehave {
            mode: config.mode,
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
        }
    }
}

hookshape_sdk::export_plugin!(Misbehave);
