//! Per-plugin limits and the store-side bookkeeping that enforces them.

use serde::{Deserialize, Serialize};

/// Limits for one plugin. Every one is on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Limits {
    /// Wall time per call, in milliseconds (enforced by epoch interruption).
    pub timeout_ms: u64,
    /// Linear memory per instance, in bytes.
    pub memory_bytes: u64,
    /// Body plus headers returned by one call, in bytes.
    pub output_bytes: u64,
    /// Log volume per call, in bytes (each line also counts a fixed overhead).
    pub log_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout_ms: 100,
            memory_bytes: 64 << 20,
            output_bytes: 1 << 20,
            log_bytes: 64 << 10,
        }
    }
}

/// The most an operator lets any subscription ask for (the runtime's ceilings), and the
/// least that makes sense. Limits outside are refused when a subscription is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ceilings {
    pub timeout_ms: u64,
    pub memory_bytes: u64,
    pub output_bytes: u64,
    pub log_bytes: u64,
}

impl Default for Ceilings {
    fn default() -> Self {
        Ceilings {
            timeout_ms: 1_000,
            memory_bytes: 256 << 20,
            output_bytes: 4 << 20,
            log_bytes: 256 << 10,
        }
    }
}

/// The smallest time limit (ms) and memory limit (bytes) a plugin may be given.
pub const MIN_TIMEOUT_MS: u64 = 1;
pub const MIN_MEMORY_BYTES: u64 = 1 << 20;

impl Limits {
    /// Checks every limit against the ceilings; the error names the allowed range.
    pub fn check(&self, ceilings: &Ceilings) -> Result<(), String> {
        let ranges = [
            (
                "timeoutMs",
                self.timeout_ms,
                MIN_TIMEOUT_MS,
                ceilings.timeout_ms,
            ),
            (
                "memoryBytes",
                self.memory_bytes,
                MIN_MEMORY_BYTES,
                ceilings.memory_bytes,
            ),
            ("outputBytes", self.output_bytes, 1, ceilings.output_bytes),
            ("logBytes", self.log_bytes, 0, ceilings.log_bytes),
        ];
        for (name, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(format!(
                    "`limits.{name}` is {value}; allowed: {min} to {max}"
                ));
            }
        }
        Ok(())
    }
}

/// What one log line costs beyond its text, so a flood of empty lines is bounded too.
pub(crate) const LOG_LINE_OVERHEAD: u64 = 32;

/// Raised from the memory limiter; recognised after the trap to report `Failure::Memory`.
#[derive(Debug, thiserror::Error)]
#[error("memory limit exceeded")]
pub(crate) struct MemoryLimitHit;

/// Raised from the `log` import; recognised after the trap to report `Failure::LogLimit`.
#[derive(Debug, thiserror::Error)]
#[error("log limit exceeded")]
pub(crate) struct LogLimitHit;

/// Tracks the linear memory of one store and refuses growth past the cap.
#[derive(Debug)]
pub(crate) struct MemoryLimiter {
    pub cap: u64,
    pub total: u64,
    /// Set when growth was refused, so the failure is reported as `memory` whatever the
    /// guest did next (it may trap otherwise, or run into its time limit).
    pub hit: bool,
}

impl wasmtime::ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let grown = desired.saturating_sub(current) as u64;
        if desired as u64 > self.cap || self.total.saturating_add(grown) > self.cap {
            self.hit = true;
            // An error (not `Ok(false)`) traps at once: a Rust guest would otherwise turn the
            // failed grow into an anonymous `unreachable`.
            return Err(MemoryLimitHit.into());
        }
        self.total += grown;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}
