//! One live instance: its store (limits, captured output, log buffer) and the calls into it.
//! Calls are async: a wall-clock deadline covers the whole call, host calls included (a WASI
//! sleep or poll is dropped where it waits), and running wasm yields at every epoch tick.

use std::time::{Duration, Instant};

use wasmtime::component::{HasSelf, ResourceTable};
use wasmtime::{Store, Trap, UpdateDeadline};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::hookshape::plugin::{host, types};
use super::bindings::{Transformer, TransformerPre};
use super::capture::Capture;
use super::error::bounded;
use super::limits::{LOG_LINE_OVERHEAD, LogLimitHit, MemoryLimitHit, MemoryLimiter};
use super::{Event, Failure, Level, Limits, LogLine, Outcome};
use crate::http_header;

/// How much guest stdout/stderr an instance keeps (enough for a panic message).
const CAPTURE_BYTES: usize = 16 << 10;
/// Time the epoch trap gets to stop running wasm before the call is dropped from outside.
const DEADLINE_GRACE: Duration = Duration::from_millis(5);
/// Headers a plugin may not set beyond those hookshape owns: a plugin does not speak for the
/// receiver's credentials (static headers of the subscription do).
const PLUGIN_REFUSED: &[&str] = &["authorization", "cookie"];

/// Everything a store holds for one instance.
pub(crate) struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: MemoryLimiter,
    output: Capture,
    log: Vec<LogLine>,
    log_bytes: u64,
    log_limit: u64,
    /// When the current call must stop (checked at every epoch tick).
    deadline: Instant,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for State {}

impl host::Host for State {
    fn log(&mut self, level: types::Level, message: String) -> wasmtime::Result<()> {
        self.log_bytes = self
            .log_bytes
            .saturating_add(message.len() as u64 + LOG_LINE_OVERHEAD);
        if self.log_bytes > self.log_limit {
            return Err(LogLimitHit.into());
        }
        let level = match level {
            types::Level::Trace => Level::Trace,
            types::Level::Debug => Level::Debug,
            types::Level::Info => Level::Info,
            types::Level::Warn => Level::Warn,
            types::Level::Error => Level::Error,
        };
        self.log.push(LogLine { level, message });
        Ok(())
    }
}

pub(crate) fn add_host_to_linker(
    linker: &mut wasmtime::component::Linker<State>,
) -> wasmtime::Result<()> {
    wasmtime_wasi::p2::add_to_linker_async(linker)?;
    Transformer::add_to_linker::<_, HasSelf<State>>(linker, |s| s)
}

/// A configured instance, ready for `transform` calls.
pub(crate) struct Instance {
    store: Store<State>,
    bindings: Transformer,
    pub calls: u64,
    _alive: super::Alive,
}

/// The outcome of one call on an instance, with whether the instance is still usable.
pub(crate) struct Called {
    pub result: Result<Outcome, Failure>,
    pub logs: Vec<LogLine>,
    /// What the call printed to stdout and stderr (bounded).
    pub output: String,
    pub memory_bytes: u64,
    /// False after a trap: the instance may be in any state and must be dropped.
    pub healthy: bool,
}

impl Instance {
    /// Instantiates the component and runs `configure`, all within the time limit.
    pub async fn new(
        pre: &TransformerPre<State>,
        config: &str,
        limits: &Limits,
        alive: super::Alive,
    ) -> Result<Self, Failure> {
        let output = Capture::new(CAPTURE_BYTES);
        // No preopened directory, no environment, no network: the WASI interfaces that
        // toolchains link are present but reach nothing (wit/wasi-imports.txt).
        let wasi = WasiCtx::builder()
            .stdout(output.clone())
            .stderr(output.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        let deadline = deadline_after(limits);
        let state = State {
            wasi,
            table: ResourceTable::new(),
            limiter: MemoryLimiter {
                cap: limits.memory_bytes,
                total: 0,
                hit: false,
            },
            output,
            log: Vec::new(),
            log_bytes: 0,
            log_limit: limits.log_bytes,
            deadline,
        };
        let mut store = Store::new(pre.engine(), state);
        store.limiter(|s| &mut s.limiter);
        // Every tick: stop once past the deadline, else let other calls run.
        store.epoch_deadline_callback(|ctx| {
            Ok(if Instant::now() >= ctx.data().deadline {
                UpdateDeadline::Interrupt
            } else {
                UpdateDeadline::Yield(1)
            })
        });
        store.set_epoch_deadline(1);
        let outer = tokio::time::Instant::from_std(deadline + DEADLINE_GRACE);
        let started = tokio::time::timeout_at(outer, pre.instantiate_async(&mut store)).await;
        let bindings = match started {
            Err(_) => return Err(timeout_or_memory(&store, limits)),
            Ok(Err(e)) => {
                return Err(
                    classify(&e, &store, limits).unwrap_or_else(|| Failure::Instantiate {
                        detail: bounded(format!("{e:#}")),
                    }),
                );
            }
            Ok(Ok(b)) => b,
        };
        let configured =
            tokio::time::timeout_at(outer, bindings.call_configure(&mut store, config)).await;
        match configured {
            Ok(Ok(Ok(()))) => Ok(Instance {
                store,
                bindings,
                calls: 0,
                _alive: alive,
            }),
            Ok(Ok(Err(message))) => Err(Failure::Config {
                message: bounded(message),
            }),
            Ok(Err(e)) => Err(
                classify(&e, &store, limits).unwrap_or_else(|| Failure::Trap {
                    message: bounded(format!("in configure: {e}")),
                }),
            ),
            Err(_) => Err(timeout_or_memory(&store, limits)),
        }
    }

    /// Linear memory (and tables) the instance has grown to: what it may keep resident.
    pub fn memory_bytes(&self) -> u64 {
        self.store.data().limiter.total
    }

    /// Runs `transform` on one event within the limits.
    pub async fn transform(&mut self, event: &Event<'_>, limits: &Limits) -> Called {
        self.calls += 1;
        let deadline = deadline_after(limits);
        let state = self.store.data_mut();
        state.log_bytes = 0;
        state.log_limit = limits.log_bytes;
        state.limiter.cap = limits.memory_bytes;
        state.limiter.hit = false;
        state.deadline = deadline;
        // What an earlier call printed is not this call's.
        drop(state.output.take());
        self.store.set_epoch_deadline(1);
        let wit_event = types::Event {
            id: event.id.to_owned(),
            event_type: event.event_type.to_owned(),
            occurred_at: event.occurred_at.to_owned(),
            tenant: event.tenant.map(str::to_owned),
            object: event.object.to_owned(),
            previous: event.previous.map(str::to_owned),
            changed_fields: event.changed_fields.to_vec(),
            attempt_id: event.attempt_id.to_owned(),
            attempt: event.attempt,
        };
        let outer = tokio::time::Instant::from_std(deadline + DEADLINE_GRACE);
        let called = tokio::time::timeout_at(
            outer,
            self.bindings.call_transform(&mut self.store, &wit_event),
        )
        .await;
        let (result, healthy) = match called {
            Ok(Ok(Ok(outcome))) => (check_output(outcome, limits), true),
            Ok(Ok(Err(message))) => (
                Err(Failure::PluginError {
                    message: bounded(message),
                }),
                true,
            ),
            Ok(Err(e)) => {
                let failure = classify(&e, &self.store, limits).unwrap_or_else(|| Failure::Trap {
                    message: bounded(format!("{e}")),
                });
                (Err(failure), false)
            }
            // Dropped where it waited (a host call past the deadline): the instance is done.
            Err(_) => (Err(timeout_or_memory(&self.store, limits)), false),
        };
        let state = self.store.data_mut();
        Called {
            result,
            logs: std::mem::take(&mut state.log),
            output: state.output.take(),
            memory_bytes: state.limiter.total,
            healthy,
        }
    }
}

fn deadline_after(limits: &Limits) -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_millis(limits.timeout_ms.max(1)))
        .unwrap_or(now + Duration::from_secs(3600))
}

/// The reason for a call stopped from outside: memory when growth was refused (the guest
/// may have spun on the failure), else time.
fn timeout_or_memory(store: &Store<State>, limits: &Limits) -> Failure {
    if store.data().limiter.hit {
        Failure::Memory {
            limit_bytes: limits.memory_bytes,
        }
    } else {
        Failure::Timeout {
            limit_ms: limits.timeout_ms,
        }
    }
}

/// Maps a trap to its typed reason; `None` when it is none of the known kinds.
fn classify(e: &wasmtime::Error, store: &Store<State>, limits: &Limits) -> Option<Failure> {
    if e.downcast_ref::<MemoryLimitHit>().is_some() || store.data().limiter.hit {
        return Some(Failure::Memory {
            limit_bytes: limits.memory_bytes,
        });
    }
    if e.downcast_ref::<LogLimitHit>().is_some() {
        return Some(Failure::LogLimit {
            limit_bytes: limits.log_bytes,
        });
    }
    match e.downcast_ref::<Trap>()? {
        Trap::Interrupt => Some(Failure::Timeout {
            limit_ms: limits.timeout_ms,
        }),
        Trap::StackOverflow => Some(Failure::StackOverflow),
        trap => {
            let text = store.data().output.peek();
            let message = match panic_message(&text) {
                Some(panic) => panic,
                None => trap.to_string(),
            };
            Some(Failure::Trap { message })
        }
    }
}

/// The last Rust panic message in captured guest output, on one line.
fn panic_message(output: &str) -> Option<String> {
    let start = output.rfind("panicked at ")?;
    let text: Vec<&str> = output[start..]
        .lines()
        .take_while(|l| !l.starts_with("note:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut message = text.join(" ");
    message.truncate(message.floor_char_boundary(1024));
    Some(message)
}

fn check_output(outcome: types::Outcome, limits: &Limits) -> Result<Outcome, Failure> {
    let delivery = match outcome {
        types::Outcome::Drop => return Ok(Outcome::Drop),
        types::Outcome::Deliver(d) => d,
    };
    let size = delivery.body.len() as u64
        + delivery
            .headers
            .iter()
            .map(|(k, v)| (k.len() + v.len()) as u64)
            .sum::<u64>();
    if size > limits.output_bytes {
        return Err(Failure::OutputTooLarge {
            size,
            limit_bytes: limits.output_bytes,
        });
    }
    for (name, value) in &delivery.headers {
        if !http_header::valid_name(name) {
            return Err(Failure::BadOutput {
                detail: bounded(format!(
                    "invalid header name {name:?} (1 to 256 token characters)"
                )),
            });
        }
        if !http_header::valid_value(value) {
            return Err(Failure::BadOutput {
                detail: bounded(format!(
                    "the value of header {name:?} holds a control character"
                )),
            });
        }
        let lower = name.to_ascii_lowercase();
        if http_header::host_owned(name) || PLUGIN_REFUSED.contains(&lower.as_str()) {
            return Err(Failure::BadOutput {
                detail: format!(
                    "header {name:?} is set by the host or changes how the request is sent"
                ),
            });
        }
    }
    Ok(Outcome::Deliver {
        body: delivery.body,
        headers: delivery.headers,
    })
}
