//! Group commit: writers that need durability wait for one shared fsync instead of paying
//! one each. A flusher thread flushes whenever someone waits, covering every write applied
//! before that flush began: one fdatasync of the keyspace's journal.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use tokio::sync::watch;

use super::kv::Kv;

const MIN_INTERVAL: std::time::Duration = std::time::Duration::from_millis(1);
/// The goal for a flush; longer ones are logged.
const SLOW_FLUSH: std::time::Duration = std::time::Duration::from_millis(50);
/// Writes nobody waits for (attempts, rescheduling) are flushed at least this often. This
/// thread is the only one that flushes (fjall's own periodic fsync is off), so a publisher
/// never waits behind a second, overlapping flush.
const PERIODIC: std::time::Duration = std::time::Duration::from_millis(20);

pub(super) struct GroupCommit {
    kv: Kv,
    applied: AtomicU64,
    wanted: Mutex<bool>,
    wake: Condvar,
    stop: AtomicBool,
    flushed: watch::Sender<Result<u64, String>>,
    /// The flusher thread, joined on stop: it holds the database open until it ends.
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Flushes made, their total time and the longest (ns), for metrics.
    flushes: AtomicU64,
    flush_nanos: AtomicU64,
    flush_max_nanos: AtomicU64,
}

impl GroupCommit {
    pub fn start(kv: Kv) -> Arc<Self> {
        let gc = Arc::new(GroupCommit {
            kv,
            applied: AtomicU64::new(0),
            wanted: Mutex::new(false),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            flushed: watch::channel(Ok(0)).0,
            thread: Mutex::new(None),
            flushes: AtomicU64::new(0),
            flush_nanos: AtomicU64::new(0),
            flush_max_nanos: AtomicU64::new(0),
        });
        let flusher = gc.clone();
        match std::thread::Builder::new()
            .name("store-flush".into())
            .spawn(move || flusher.run())
        {
            Ok(handle) => *gc.thread.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle),
            Err(e) => tracing::error!(error = %e, "cannot start the flush thread"),
        }
        gc
    }

    /// The sync that makes every write so far durable. Callers outside the flusher thread
    /// (rare writes: subscriptions, plugins) use it directly.
    pub fn flush_now(&self) -> Result<(), String> {
        let start = std::time::Instant::now();
        self.kv.sync().map_err(|e| format!("sync: {e}"))?;
        let took = start.elapsed();
        if took > SLOW_FLUSH {
            tracing::warn!(ms = took.as_millis(), "slow storage flush");
        }
        Ok(())
    }

    fn run(&self) {
        let mut last = std::time::Instant::now();
        loop {
            {
                let mut wanted = self.wanted.lock().unwrap_or_else(|p| p.into_inner());
                while !*wanted && !self.stop.load(Ordering::Acquire) {
                    let (guard, waited) = self
                        .wake
                        .wait_timeout(wanted, PERIODIC)
                        .unwrap_or_else(|p| p.into_inner());
                    wanted = guard;
                    if waited.timed_out() {
                        break;
                    }
                }
                if self.stop.load(Ordering::Acquire) {
                    return;
                }
                *wanted = false;
            }
            // At most one flush a millisecond: under load, more publishers share each fsync.
            let since = last.elapsed();
            if since < MIN_INTERVAL {
                std::thread::sleep(MIN_INTERVAL - since);
            }
            last = std::time::Instant::now();
            let target = self.applied.load(Ordering::Acquire);
            let result = self.flush_now().map(|()| target);
            // Publishers wait for this: a slow disk shows up as publish latency.
            let took = last.elapsed();
            let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
            self.flushes.fetch_add(1, Ordering::Relaxed);
            self.flush_nanos.fetch_add(nanos, Ordering::Relaxed);
            self.flush_max_nanos.fetch_max(nanos, Ordering::Relaxed);
            let _previous = self.flushed.send_replace(result);
        }
    }

    /// How the last flush went: a disk that refuses writes shows here.
    pub fn last_flush(&self) -> Result<(), String> {
        self.flushed
            .borrow()
            .as_ref()
            .map(|_| ())
            .map_err(Clone::clone)
    }

    /// Flushes made, their total time and the longest, in nanoseconds.
    pub fn stats(&self) -> (u64, u64, u64) {
        (
            self.flushes.load(Ordering::Relaxed),
            self.flush_nanos.load(Ordering::Relaxed),
            self.flush_max_nanos.load(Ordering::Relaxed),
        )
    }

    /// Waits until every write this caller applied before calling is on disk.
    pub async fn durable(&self) -> Result<(), String> {
        let seq = self.applied.fetch_add(1, Ordering::AcqRel) + 1;
        let mut rx = self.flushed.subscribe();
        {
            let mut wanted = self.wanted.lock().unwrap_or_else(|p| p.into_inner());
            *wanted = true;
            self.wake.notify_one();
        }
        loop {
            match &*rx.borrow_and_update() {
                Ok(done) if *done >= seq => return Ok(()),
                Err(e) => return Err(e.clone()),
                Ok(_) => {}
            }
            rx.changed()
                .await
                .map_err(|_| "flush thread stopped".to_owned())?;
        }
    }

    /// Stops the flusher and waits for it, so that the database is closed when this returns
    /// (a restart in the same process can open it again).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        {
            let _guard = self.wanted.lock().unwrap_or_else(|p| p.into_inner());
            self.wake.notify_one();
        }
        let handle = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = handle
            && handle.thread().id() != std::thread::current().id()
        {
            let _ = handle.join();
        }
    }
}
