//! The publish rate of each workspace: a token bucket per workspace, so one noisy customer
//! cannot fill the disk or crowd out the others' deliveries.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::StatusCode;

use super::error::ApiError;

/// Events per second each workspace may publish, with a burst of two seconds' worth.
#[derive(Debug)]
pub struct PublishRate {
    per_second: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl PublishRate {
    /// `None` or 0: no limit.
    pub fn new(per_second: Option<u32>) -> Self {
        PublishRate {
            per_second: f64::from(per_second.unwrap_or(0)),
            buckets: Mutex::default(),
        }
    }

    /// Takes one event's worth from the workspace's bucket, or says when to come back.
    pub fn take(&self, workspace: &str) -> Result<(), ApiError> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let burst = self.per_second * 2.0;
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(workspace.to_owned()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0);
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "workspace `{workspace}` may publish {} events a second",
                self.per_second
            ),
        );
        error.retry_after = Some(wait as u64);
        Err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusals_per_workspace() {
        let rate = PublishRate::new(Some(5));
        let taken = (0..20).filter(|_| rate.take("a").is_ok()).count();
        assert_eq!(taken, 10, "a burst of two seconds' worth");
        let refused = rate.take("a").expect_err("empty");
        assert_eq!(refused.code, "rate_limited");
        assert_eq!(refused.retry_after, Some(1));
        assert!(
            rate.take("b").is_ok(),
            "another workspace has its own bucket"
        );
        assert!(PublishRate::new(None).take("a").is_ok());
    }
}
