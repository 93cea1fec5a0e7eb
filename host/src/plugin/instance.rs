//! One live instance: its store (limits, captured output, log buffer) and the calls into it.

use std::time::Instant;

use wasmtime::component::{HasSelf, ResourceTable};
use wasmtime::{Store, Trap};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::hookshape::plugin::{host, types};
use super::bindings::{Transformer, TransformerPre};
use super::limits::{LOG_LINE_OVERHEAD, LogLimitHit, MemoryLimitHit, MemoryLimiter};
use super::{Event, Failure, Level, Limits, LogLine, Outcome};

/// How much guest stdout/stderr an instance keeps (enough for a panic message).
const CAPTURE_BYTES: usize = 16 << 10;
/// Header names the host owns; a plugin may not set them.
const RESERVED_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "host",
    "connection",
    "user-agent",
];

/// Everything a store holds for one instance.
pub(crate) struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: MemoryLimiter,
    output: MemoryOutputPipe,
    log: Vec<LogLine>,
    log_bytes: u64,
    log_limit: u64,
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
        self.log_bytes += message.len() as u64 + LOG_LINE_OVERHEAD;
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
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    Transformer::add_to_linker::<_, HasSelf<State>>(linker, |s| s)
}

/// A configured instance, ready for `transform` calls.
pub(crate) struct Instance {
    store: Store<State>,
    bindings: Transformer,
    pub calls: u64,
}

/// The outcome of one call on an instance, with whether the instance is still usable.
pub(crate) struct Called {
    pub result: Result<Outcome, Failure>,
    pub logs: Vec<LogLine>,
    pub memory_bytes: u64,
    /// False after a trap: the instance may be in any state and must be dropped.
    pub healthy: bool,
}

impl Instance {
    /// Instantiates the component and runs `configure` under the limits.
    pub fn new(
        pre: &TransformerPre<State>,
        config: &str,
        limits: &Limits,
    ) -> Result<Self, Failure> {
        let output = MemoryOutputPipe::new(CAPTURE_BYTES);
        let wasi = WasiCtx::builder()
            .stdout(output.clone())
            .stderr(output.clone())
            .build();
        let state = State {
            wasi,
            table: ResourceTable::new(),
            limiter: MemoryLimiter {
                cap: limits.memory_bytes,
                total: 0,
            },
            output,
            log: Vec::new(),
            log_bytes: 0,
            log_limit: limits.log_bytes,
        };
        let mut store = Store::new(pre.engine(), state);
        store.limiter(|s| &mut s.limiter);
        store.set_epoch_deadline(deadline_ticks(limits));
        let bindings = pre.instantiate(&mut store).map_err(|e| {
            classify(&e, &store, limits).unwrap_or_else(|| Failure::Instantiate {
                detail: format!("{e:#}"),
            })
        })?;
        let mut instance = Instance {
            store,
            bindings,
            calls: 0,
        };
        instance.store.set_epoch_deadline(deadline_ticks(limits));
        match instance
            .bindings
            .call_configure(&mut instance.store, config)
        {
            Ok(Ok(())) => Ok(instance),
            Ok(Err(message)) => Err(Failure::Config { message }),
            Err(e) => Err(
                classify(&e, &instance.store, limits).unwrap_or_else(|| Failure::Trap {
                    message: format!("in configure: {e}"),
                }),
            ),
        }
    }

    /// Runs `transform` on one event under the limits.
    pub fn transform(&mut self, event: &Event<'_>, limits: &Limits) -> Called {
        self.calls += 1;
        let state = self.store.data_mut();
        state.log_bytes = 0;
        state.log_limit = limits.log_bytes;
        state.limiter.cap = limits.memory_bytes;
        self.store.set_epoch_deadline(deadline_ticks(limits));
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
        let called = self.bindings.call_transform(&mut self.store, &wit_event);
        let (result, healthy) = match called {
            Ok(Ok(outcome)) => (check_output(outcome, limits), true),
            Ok(Err(message)) => (Err(Failure::PluginError { message }), true),
            Err(e) => {
                let failure = classify(&e, &self.store, limits).unwrap_or_else(|| Failure::Trap {
                    message: format!("{e}"),
                });
                (Err(failure), false)
            }
        };
        let state = self.store.data_mut();
        Called {
            result,
            logs: std::mem::take(&mut state.log),
            memory_bytes: state.limiter.total,
            healthy,
        }
    }
}

fn deadline_ticks(limits: &Limits) -> u64 {
    // The ticker advances once per millisecond; one extra tick because the current one may
    // end at any moment.
    limits.timeout_ms.max(1) + 1
}

/// Maps a trap to its typed reason; `None` when it is none of the known kinds.
fn classify(e: &wasmtime::Error, store: &Store<State>, limits: &Limits) -> Option<Failure> {
    if e.downcast_ref::<MemoryLimitHit>().is_some() {
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
            let captured = store.data().output.contents();
            let text = String::from_utf8_lossy(&captured);
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
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid_name {
            return Err(Failure::BadOutput {
                detail: format!("invalid header name {name:?}"),
            });
        }
        if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(Failure::BadOutput {
                detail: format!("invalid value for header {name:?}"),
            });
        }
        let lower = name.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) || lower.starts_with("webhook-") {
            return Err(Failure::BadOutput {
                detail: format!("header {name:?} is set by the host"),
            });
        }
    }
    Ok(Outcome::Deliver {
        body: delivery.body,
        headers: delivery.headers,
    })
}

/// Instant helper kept here so call timing wraps only the wasm work.
pub(crate) fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}
