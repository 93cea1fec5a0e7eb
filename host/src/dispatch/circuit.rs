//! A subscription's circuit breaker and pacing: whether attempts may start now, and how many.
//!
//! After `failures` consecutive failed attempts the circuit opens: due jobs wait in their
//! queue (their retry schedule is not used up) until a cool-down passes; then one probe goes
//! out (half-open). A success closes the circuit and the backlog drains at the subscription's
//! own pace; a failed probe opens it again for twice as long (up to `max_cooldown`). A
//! receiver's `Retry-After` (429, 503) pauses the subscription, and a `rateLimit` spaces its
//! attempts; waiting jobs are never failed for it. The state lives in memory: a restart starts
//! closed.

use std::sync::Mutex;
use std::time::Duration;

/// When circuits open and how long they stay open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitConfig {
    /// Consecutive failed attempts that open the circuit.
    pub failures: u32,
    /// The first wait before a probe.
    pub cooldown: Duration,
    /// The longest wait between probes.
    pub max_cooldown: Duration,
    /// A subscription whose circuit has been open this long is disabled; `None`: never.
    pub disable_after: Option<Duration>,
}

impl Default for CircuitConfig {
    fn default() -> Self {
        CircuitConfig {
            failures: 5,
            cooldown: Duration::from_secs(30),
            max_cooldown: Duration::from_secs(600),
            disable_after: Some(Duration::from_secs(5 * 24 * 3600)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Closed,
    Open,
    HalfOpen,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Closed => "closed",
            Phase::Open => "open",
            Phase::HalfOpen => "half-open",
        }
    }
}

/// What the API shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitView {
    pub phase: Phase,
    /// When it entered this phase (ms); 0 for a circuit closed since start.
    pub since_ms: u64,
    /// Consecutive failed attempts.
    pub failures: u32,
    /// When the next probe may go (open circuits).
    pub retry_at_ms: Option<u64>,
}

/// What an attempt's end changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    None,
    Opened,
    Closed,
    /// Open for longer than `disable_after`: the subscription must be disabled.
    Disable,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    since_ms: u64,
    failures: u32,
    cooldown_ms: u64,
    /// Open: no attempt before this. Half-open: when the probe went out.
    open_until_ms: u64,
    probing: bool,
    /// When the current outage began (the circuit first opened), for `disable_after`.
    outage_since_ms: Option<u64>,
    /// A receiver's `Retry-After`: no attempt before this.
    paused_until_ms: u64,
    /// Rate limit: tokens now, refilled at `per_second` up to `burst`.
    tokens: f64,
    refilled_ms: u64,
}

/// One subscription's circuit.
#[derive(Debug)]
pub struct Circuit {
    state: Mutex<State>,
}

impl Default for Circuit {
    fn default() -> Self {
        Circuit {
            state: Mutex::new(State {
                phase: Phase::Closed,
                since_ms: 0,
                failures: 0,
                cooldown_ms: 0,
                open_until_ms: 0,
                probing: false,
                outage_since_ms: None,
                paused_until_ms: 0,
                tokens: f64::MAX,
                refilled_ms: 0,
            }),
        }
    }
}

/// A subscription's pace: at most `per_second` attempts a second, in bursts of `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub per_second: f64,
    pub burst: f64,
}

impl Circuit {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many attempts may start now (at most `want`), and when to look again if fewer
    /// than `want` may. Nothing is taken until [`Circuit::started`].
    pub fn admit(&self, now: u64, want: usize, pace: Option<Pace>) -> (usize, Option<u64>) {
        let mut s = self.lock();
        if s.paused_until_ms > now {
            return (0, Some(s.paused_until_ms));
        }
        let mut allowed = want;
        match s.phase {
            Phase::Closed => {}
            Phase::Open if now < s.open_until_ms => return (0, Some(s.open_until_ms)),
            Phase::Open => {
                s.phase = Phase::HalfOpen;
                s.since_ms = now;
                s.probing = false;
                allowed = 1;
            }
            Phase::HalfOpen if s.probing => return (0, None),
            Phase::HalfOpen => allowed = 1,
        }
        let allowed = allowed.min(want);
        if let Some(p) = pace {
            refill(&mut s, now, p);
            if s.tokens < 1.0 {
                let wait = ((1.0 - s.tokens) / p.per_second * 1000.0).ceil() as u64;
                return (0, Some(now + wait.max(1)));
            }
            let whole = s.tokens.floor() as usize;
            if whole < allowed {
                let next = (1000.0 / p.per_second).ceil() as u64;
                return (whole, Some(now + next.max(1)));
            }
        }
        (allowed, None)
    }

    /// `n` attempts started (after [`Circuit::admit`]).
    pub fn started(&self, n: usize, pace: Option<Pace>) {
        if n == 0 {
            return;
        }
        let mut s = self.lock();
        if s.phase == Phase::HalfOpen {
            s.probing = true;
        }
        if pace.is_some() {
            s.tokens -= n as f64;
        }
    }

    /// An attempt to the endpoint ended: `ok` when it answered 2xx. Failures of the plugin
    /// or the host are not the endpoint's and are not recorded here.
    pub fn record(&self, now: u64, ok: bool, config: &CircuitConfig) -> Change {
        let mut s = self.lock();
        if ok {
            s.failures = 0;
            s.probing = false;
            s.outage_since_ms = None;
            s.cooldown_ms = 0;
            if s.phase != Phase::Closed {
                s.phase = Phase::Closed;
                s.since_ms = now;
                return Change::Closed;
            }
            return Change::None;
        }
        s.failures = s.failures.saturating_add(1);
        let reopen = match s.phase {
            Phase::HalfOpen => true,
            Phase::Closed => s.failures >= config.failures.max(1),
            Phase::Open => false,
        };
        if !reopen {
            return Change::None;
        }
        let first = u64::try_from(config.cooldown.as_millis()).unwrap_or(u64::MAX);
        let max = u64::try_from(config.max_cooldown.as_millis()).unwrap_or(u64::MAX);
        s.cooldown_ms = if s.cooldown_ms == 0 {
            first
        } else {
            s.cooldown_ms.saturating_mul(2).min(max.max(first))
        };
        s.phase = Phase::Open;
        s.since_ms = now;
        s.probing = false;
        s.open_until_ms = now.saturating_add(s.cooldown_ms);
        let outage = *s.outage_since_ms.get_or_insert(now);
        let limit = config
            .disable_after
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        match limit {
            Some(l) if now.saturating_sub(outage) >= l => Change::Disable,
            _ => Change::Opened,
        }
    }

    /// The receiver asked to wait (`Retry-After` with 429 or 503).
    pub fn pause_until(&self, until_ms: u64) {
        let mut s = self.lock();
        s.paused_until_ms = s.paused_until_ms.max(until_ms);
    }

    /// Closed by hand: attempts resume at once.
    pub fn close(&self, now: u64) {
        let mut s = self.lock();
        s.phase = Phase::Closed;
        s.since_ms = now;
        s.failures = 0;
        s.cooldown_ms = 0;
        s.probing = false;
        s.outage_since_ms = None;
        s.paused_until_ms = 0;
    }

    pub fn view(&self) -> CircuitView {
        let s = self.lock();
        CircuitView {
            phase: s.phase,
            since_ms: s.since_ms,
            failures: s.failures,
            retry_at_ms: (s.phase == Phase::Open).then_some(s.open_until_ms),
        }
    }
}

fn refill(s: &mut State, now: u64, p: Pace) {
    let burst = p.burst.max(1.0);
    if s.tokens > burst {
        s.tokens = burst;
        s.refilled_ms = now;
        return;
    }
    let elapsed = now.saturating_sub(s.refilled_ms) as f64 / 1000.0;
    s.tokens = (s.tokens + elapsed * p.per_second).min(burst);
    s.refilled_ms = now;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> CircuitConfig {
        CircuitConfig {
            failures: 3,
            cooldown: Duration::from_millis(100),
            max_cooldown: Duration::from_millis(400),
            disable_after: Some(Duration::from_millis(1000)),
        }
    }

    #[test]
    fn opens_after_consecutive_failures_probes_once_and_closes_on_success() {
        let c = Circuit::default();
        let cfg = config();
        assert_eq!(c.admit(0, 8, None), (8, None));
        assert_eq!(c.record(1, false, &cfg), Change::None);
        assert_eq!(c.record(2, true, &cfg), Change::None);
        for t in 3..5 {
            assert_eq!(c.record(t, false, &cfg), Change::None);
        }
        assert_eq!(c.record(5, false, &cfg), Change::Opened);
        assert_eq!(c.admit(50, 8, None), (0, Some(105)));
        // Cool-down over: one probe, and no second while it runs.
        assert_eq!(c.admit(105, 8, None).0, 1);
        c.started(1, None);
        assert_eq!(c.admit(106, 8, None), (0, None));
        // The probe fails: open again for twice as long.
        assert_eq!(c.record(110, false, &cfg), Change::Opened);
        assert_eq!(c.view().retry_at_ms, Some(310));
        assert_eq!(c.admit(310, 8, None).0, 1);
        c.started(1, None);
        assert_eq!(c.record(320, true, &cfg), Change::Closed);
        assert_eq!(c.admit(321, 8, None), (8, None));
        assert_eq!(c.view().phase, Phase::Closed);
    }

    #[test]
    fn a_long_outage_asks_for_the_subscription_to_be_disabled() {
        let c = Circuit::default();
        let cfg = config();
        for t in 0..3 {
            c.record(t, false, &cfg);
        }
        let mut t = 0;
        let mut change = Change::Opened;
        while change != Change::Disable {
            t = c.view().retry_at_ms.expect("open");
            assert_eq!(c.admit(t, 1, None).0, 1);
            c.started(1, None);
            change = c.record(t, false, &cfg);
        }
        assert!(t >= 1000, "{t}");
    }

    #[test]
    fn pace_and_pauses_hold_attempts_back() {
        let c = Circuit::default();
        let pace = Some(Pace {
            per_second: 10.0,
            burst: 2.0,
        });
        let (n, _) = c.admit(1000, 5, pace);
        assert_eq!(n, 2);
        c.started(2, pace);
        let (n, later) = c.admit(1000, 5, pace);
        assert_eq!((n, later), (0, Some(1100)));
        assert_eq!(c.admit(1100, 5, pace).0, 1);
        c.pause_until(5000);
        assert_eq!(c.admit(1200, 5, None), (0, Some(5000)));
        c.close(1300);
        assert_eq!(c.admit(1300, 5, None), (5, None));
    }
}
