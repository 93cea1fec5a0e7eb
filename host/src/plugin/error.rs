//! Why a plugin could not be loaded, and why a call failed.

use serde::Serialize;

/// A wasm upload the runtime refuses. Each variant has its own stable `code()`.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("not a WebAssembly binary (no `\\0asm` header)")]
    NotWasm,
    #[error("a core WebAssembly module, not a component: build for wasm32-wasip2")]
    CoreModule,
    #[error("not a valid component: {0}")]
    Invalid(String),
    #[error("imports `{import}`, which plugins are not granted ({why})")]
    ForbiddenImport { import: String, why: &'static str },
    #[error("does not implement the hookshape:plugin/transformer@0.1.0 world: {0}")]
    WrongWorld(String),
    #[error("plugin cache: {0}")]
    Cache(String),
}

impl LoadError {
    /// A stable machine-readable code for API errors.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::NotWasm => "not_wasm",
            LoadError::CoreModule => "core_module",
            LoadError::Invalid(_) => "invalid_component",
            LoadError::ForbiddenImport { .. } => "forbidden_import",
            LoadError::WrongWorld(_) => "wrong_world",
            LoadError::Cache(_) => "plugin_cache",
        }
    }
}

/// Why one plugin call failed. Recorded with the delivery attempt; never fatal to the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    #[error("plugin ran past its time limit of {limit_ms} ms")]
    Timeout { limit_ms: u64 },
    #[error("plugin tried to grow its memory past the limit of {limit_bytes} bytes")]
    Memory { limit_bytes: u64 },
    #[error("plugin overflowed its stack")]
    StackOverflow,
    #[error("plugin trapped: {message}")]
    Trap { message: String },
    #[error("plugin output of {size} bytes exceeds the limit of {limit_bytes} bytes")]
    OutputTooLarge { size: u64, limit_bytes: u64 },
    #[error("plugin output rejected: {detail}")]
    BadOutput { detail: String },
    #[error("plugin logged more than its limit of {limit_bytes} bytes in one call")]
    LogLimit { limit_bytes: u64 },
    #[error("plugin returned an error: {message}")]
    PluginError { message: String },
    #[error("plugin rejected its config: {message}")]
    Config { message: String },
    #[error("plugin could not be instantiated: {detail}")]
    Instantiate { detail: String },
    #[error("plugin limits out of range: {detail}")]
    Limits { detail: String },
}

impl Failure {
    /// A stable machine-readable code, the same as the serialized `kind`.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Timeout { .. } => "timeout",
            Failure::Memory { .. } => "memory",
            Failure::StackOverflow => "stack_overflow",
            Failure::Trap { .. } => "trap",
            Failure::OutputTooLarge { .. } => "output_too_large",
            Failure::BadOutput { .. } => "bad_output",
            Failure::LogLimit { .. } => "log_limit",
            Failure::PluginError { .. } => "plugin_error",
            Failure::Config { .. } => "config",
            Failure::Instantiate { .. } => "instantiate",
            Failure::Limits { .. } => "limits",
        }
    }
}

/// The most bytes of any string a plugin hands back (an error, a header name in a rejection,
/// a panic message) that the host keeps; the rest is cut, so that a plugin cannot make an
/// attempt record or an API answer grow with its output.
pub const MESSAGE_BYTES: usize = 2048;

/// `text` cut at [`MESSAGE_BYTES`] on a character boundary, saying how much was cut.
pub(crate) fn bounded(text: String) -> String {
    cut(text, MESSAGE_BYTES)
}

/// `text` cut to `limit` bytes (on a character boundary), saying how much was cut.
pub fn cut(mut text: String, limit: usize) -> String {
    if text.len() > limit {
        let cut = text.len() - limit;
        text.truncate(text.floor_char_boundary(limit));
        text.push_str(&format!("… ({cut} more bytes cut)"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let long = "é".repeat(MESSAGE_BYTES);
        let cut = bounded(long);
        assert!(cut.len() < MESSAGE_BYTES + 64, "{}", cut.len());
        assert!(cut.ends_with("more bytes cut)"));
        assert_eq!(bounded("short".into()), "short");
    }
}
