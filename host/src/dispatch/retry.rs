//! When to try again.

use std::time::Duration;

use rand::Rng;

/// Retry policy: the delay before each retry (its length is the number of retries), with
/// ±`jitter` spread so that many failures do not retry in lock-step.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub schedule: Vec<Duration>,
    /// Fraction of each delay to spread by, 0.0 to 1.0.
    pub jitter: f64,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            // Five retries, exponential: 5 s, 30 s, 2 min 30 s, 12 min 30 s, 1 h 2 min 30 s.
            schedule: [5, 30, 150, 750, 3750]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            jitter: 0.2,
            max_retry_after: Duration::from_secs(24 * 3600),
        }
    }
}

impl RetryPolicy {
    /// The delay before the next try after `attempts_made` attempts, or `None` when the
    /// retries are used up. A `Retry-After` the endpoint sent wins when it is longer.
    pub fn next_delay(
        &self,
        attempts_made: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        self.next_delay_on(&self.schedule, attempts_made, retry_after)
    }

    /// [`RetryPolicy::next_delay`] on a subscription's own schedule (with this jitter and
    /// `Retry-After` bound): `None` takes the server's.
    pub fn next_delay_for(
        &self,
        own: Option<&crate::model::RetrySchedule>,
        attempts_made: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        match own {
            Some(own) => {
                let schedule: Vec<Duration> = own
                    .delays_ms
                    .iter()
                    .map(|ms| Duration::from_millis(*ms))
                    .collect();
                self.next_delay_on(&schedule, attempts_made, retry_after)
            }
            None => self.next_delay(attempts_made, retry_after),
        }
    }

    fn next_delay_on(
        &self,
        schedule: &[Duration],
        attempts_made: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let index = usize::try_from(attempts_made).ok()?.checked_sub(1)?;
        let base = *schedule.get(index)?;
        let spread = base.as_secs_f64() * self.jitter.clamp(0.0, 1.0);
        let jittered = if spread > 0.0 {
            let offset = rand::thread_rng().gen_range(-spread..=spread);
            Duration::from_secs_f64((base.as_secs_f64() + offset).max(0.0))
        } else {
            base
        };
        let asked = retry_after.map(|d| d.min(self.max_retry_after));
        Some(asked.map_or(jittered, |a| a.max(jittered)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_schedule_then_stops() {
        let p = RetryPolicy {
            jitter: 0.0,
            ..RetryPolicy::default()
        };
        assert_eq!(p.next_delay(1, None), Some(Duration::from_secs(5)));
        assert_eq!(p.next_delay(5, None), Some(Duration::from_secs(3750)));
        assert_eq!(p.next_delay(6, None), None);
        assert_eq!(p.next_delay(0, None), None);
    }

    #[test]
    fn a_subscriptions_own_schedule_replaces_the_servers() {
        let p = RetryPolicy {
            jitter: 0.0,
            ..RetryPolicy::default()
        };
        let none = crate::model::RetrySchedule { delays_ms: vec![] };
        assert_eq!(p.next_delay_for(Some(&none), 1, None), None);
        assert_eq!(
            p.next_delay_for(Some(&none), 1, Some(Duration::from_secs(9))),
            None,
            "Retry-After does not bring back retries a receiver turned off"
        );
        let two = crate::model::RetrySchedule {
            delays_ms: vec![1_000, 60_000],
        };
        assert_eq!(
            p.next_delay_for(Some(&two), 2, None),
            Some(Duration::from_secs(60))
        );
        assert_eq!(p.next_delay_for(Some(&two), 3, None), None);
        assert_eq!(
            p.next_delay_for(None, 1, None),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn jitter_stays_in_bounds_and_retry_after_wins_when_longer() {
        let p = RetryPolicy::default();
        for _ in 0..100 {
            let d = p.next_delay(2, None).expect("delay");
            assert!(
                d >= Duration::from_secs(24) && d <= Duration::from_secs(36),
                "{d:?}"
            );
        }
        let d = p
            .next_delay(1, Some(Duration::from_secs(60)))
            .expect("delay");
        assert_eq!(d, Duration::from_secs(60));
        let capped = p
            .next_delay(1, Some(Duration::from_secs(10 * 24 * 3600)))
            .expect("delay");
        assert_eq!(capped, Duration::from_secs(24 * 3600));
    }
}
