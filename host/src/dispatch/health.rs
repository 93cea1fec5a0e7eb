//! An endpoint's recent health as its owner reads it: over the last hour and day, how many
//! attempts reached it, the share it answered with a 2xx, how long they took, and the last
//! failure in words. Counted per minute in memory by the node that made the attempts, since it
//! started (with several nodes, each counts its own).

use std::collections::VecDeque;
use std::sync::Mutex;

const MINUTE_MS: u64 = 60_000;
/// A day of minutes.
const KEPT: usize = 24 * 60;

#[derive(Debug, Clone, Copy, Default)]
struct Minute {
    at: u64,
    attempts: u32,
    succeeded: u32,
    total_ms: u64,
    max_ms: u64,
}

/// Attempts in one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub attempts: u32,
    pub succeeded: u32,
    pub average_ms: u64,
    pub max_ms: u64,
}

/// What [`Health::view`] shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthView {
    pub hour: Window,
    pub day: Window,
    /// When the endpoint last failed (ms), and how.
    pub last_failure: Option<(u64, String)>,
}

#[derive(Debug, Default)]
struct Inner {
    minutes: VecDeque<Minute>,
    last_failure: Option<(u64, String)>,
}

/// One subscription's counts. Cheap: a lock held for a few additions per attempt.
#[derive(Debug, Default)]
pub struct Health {
    inner: Mutex<Inner>,
}

impl Health {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts an attempt that reached for the endpoint: `failure` says how it failed.
    pub fn record(&self, now_ms: u64, duration_ms: u64, failure: Option<&str>) {
        let minute = now_ms / MINUTE_MS;
        let mut inner = self.lock();
        if inner.minutes.back().is_none_or(|m| m.at != minute) {
            inner.minutes.push_back(Minute {
                at: minute,
                ..Minute::default()
            });
            if inner.minutes.len() > KEPT {
                inner.minutes.pop_front();
            }
        }
        if let Some(m) = inner.minutes.back_mut() {
            m.attempts += 1;
            m.succeeded += u32::from(failure.is_none());
            m.total_ms += duration_ms;
            m.max_ms = m.max_ms.max(duration_ms);
        }
        if let Some(why) = failure {
            inner.last_failure = Some((now_ms, why.to_owned()));
        }
    }

    pub fn view(&self, now_ms: u64) -> HealthView {
        let now = now_ms / MINUTE_MS;
        let inner = self.lock();
        let window = |minutes: u64| {
            let mut w = Window::default();
            let mut total = 0;
            for m in inner.minutes.iter().filter(|m| m.at + minutes > now) {
                w.attempts += m.attempts;
                w.succeeded += m.succeeded;
                w.max_ms = w.max_ms.max(m.max_ms);
                total += m.total_ms;
            }
            w.average_ms = total.checked_div(u64::from(w.attempts)).unwrap_or(0);
            w
        };
        HealthView {
            hour: window(60),
            day: window(KEPT as u64),
            last_failure: inner.last_failure.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_their_own_minutes_only() {
        let h = Health::default();
        let t0 = 1_000 * MINUTE_MS;
        h.record(t0, 100, None);
        h.record(t0 + 1, 300, Some("connection refused by a:443"));
        // Two hours later.
        let t1 = t0 + 120 * MINUTE_MS;
        h.record(t1, 20, None);
        let v = h.view(t1);
        assert_eq!(
            v.hour,
            Window {
                attempts: 1,
                succeeded: 1,
                average_ms: 20,
                max_ms: 20
            }
        );
        assert_eq!(
            v.day,
            Window {
                attempts: 3,
                succeeded: 2,
                average_ms: 140,
                max_ms: 300
            }
        );
        assert_eq!(
            v.last_failure,
            Some((t0 + 1, "connection refused by a:443".to_owned()))
        );
        // A day on, nothing is left in either window.
        let later = h.view(t1 + 25 * 60 * MINUTE_MS);
        assert_eq!(later.day, Window::default());
    }
}
