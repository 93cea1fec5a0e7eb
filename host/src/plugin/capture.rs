//! A plugin's stdout and stderr: kept up to a bound, the rest counted and dropped. Writes
//! never fail, so a chatty plugin is not broken by its own printing (Rust's `println!` panics
//! when a write fails), and it cannot make the host hold more than the bound.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

#[derive(Default)]
struct Buffer {
    kept: Vec<u8>,
    dropped: u64,
}

/// Shared by the instance's stdout and stderr.
#[derive(Clone)]
pub(crate) struct Capture {
    limit: usize,
    buffer: Arc<Mutex<Buffer>>,
}

impl Capture {
    pub fn new(limit: usize) -> Self {
        Capture {
            limit,
            buffer: Arc::default(),
        }
    }

    /// What was written since the last `take`, as text, with a note of what was dropped.
    pub fn take(&self) -> String {
        let mut buffer = self.lock();
        let kept = std::mem::take(&mut buffer.kept);
        let dropped = std::mem::take(&mut buffer.dropped);
        let mut text = String::from_utf8_lossy(&kept).into_owned();
        if dropped > 0 {
            text.push_str(&format!("… ({dropped} more bytes dropped)"));
        }
        text
    }

    /// What was written since the last `take`, left in place.
    pub fn peek(&self) -> String {
        String::from_utf8_lossy(&self.lock().kept).into_owned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Buffer> {
        self.buffer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(tokio::io::sink())
    }
}

impl Pollable for Capture {
    fn ready<'a, 'b>(&'a mut self) -> Pin<Box<dyn Future<Output = ()> + Send + 'b>>
    where
        'a: 'b,
        Self: 'b,
    {
        Box::pin(std::future::ready(()))
    }
}

impl OutputStream for Capture {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        let mut buffer = self.lock();
        let room = self.limit.saturating_sub(buffer.kept.len());
        let keep = bytes.len().min(room);
        buffer.kept.extend_from_slice(&bytes[..keep]);
        buffer.dropped = buffer.dropped.saturating_add((bytes.len() - keep) as u64);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 << 10)
    }
}
