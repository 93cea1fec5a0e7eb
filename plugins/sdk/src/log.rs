use crate::__bindings::hookshape::plugin::{host, types};

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// Appends a line to the log of the current delivery attempt.
///
/// The host bounds the volume per call; a plugin that logs past the bound fails that call.
pub fn log(level: Level, message: &str) {
    let level = match level {
        Level::Trace => types::Level::Trace,
        Level::Debug => types::Level::Debug,
        Level::Info => types::Level::Info,
        Level::Warn => types::Level::Warn,
        Level::Error => types::Level::Error,
    };
    host::log(level, message);
}
