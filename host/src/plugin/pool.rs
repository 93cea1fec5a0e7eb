//! The threads plugins run on: one small async runtime per process, apart from the one that
//! serves HTTP and delivers. Plugin calls are async (wasmtime fibers), so a plugin waiting in
//! a host call (a WASI sleep or poll) holds no thread, and its wall-clock deadline can drop the
//! call wherever it is. CPU-bound wasm yields to this runtime at every epoch tick, and never to
//! the one that answers requests.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle, Runtime};

fn runtime() -> Option<&'static Runtime> {
    static POOL: OnceLock<Option<Runtime>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("plugin")
            .enable_time()
            .build()
            .map_err(|e| tracing::error!(error = %e, "cannot start the plugin threads"))
            .ok()
    })
    .as_ref()
}

fn handle() -> Option<&'static Handle> {
    runtime().map(Runtime::handle)
}

/// Runs `work` on the plugin threads and waits for it without blocking the caller's thread.
/// `None` when it could not run (the threads are gone, or the task panicked).
pub(crate) async fn run<T: Send + 'static>(
    work: impl Future<Output = T> + Send + 'static,
) -> Option<T> {
    handle()?.spawn(work).await.ok()
}

/// Runs `work` on the plugin threads and blocks the calling thread until it is done. For
/// synchronous callers (the CLI, tests, benchmarks); never call it on an async worker.
pub(crate) fn run_blocking<T: Send + 'static>(
    work: impl Future<Output = T> + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    handle()?.spawn(async move {
        let _ = tx.send(work.await);
    });
    rx.recv().ok()
}
