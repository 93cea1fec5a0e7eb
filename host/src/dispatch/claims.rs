//! Deliveries being attempted by this process.
//!
//! A job stays on its queue until its attempt is recorded (one atomic batch then takes it off
//! and queues any retry), so a crash mid-attempt leaves it to be attempted again. While it
//! runs, its claim here keeps the scheduler and manual retries from starting it twice —
//! without a write to the store per attempt.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Default)]
pub(super) struct Claims(Mutex<HashSet<String>>);

/// A held claim; dropping it (the attempt ended, failed or was cancelled) releases it.
pub(super) struct Claim {
    claims: Arc<Claims>,
    id: String,
}

impl Claims {
    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn contains(&self, delivery_id: &str) -> bool {
        self.set().contains(delivery_id)
    }

    /// Claims a delivery; `None` when it is being attempted already.
    pub fn claim(self: &Arc<Self>, delivery_id: &str) -> Option<Claim> {
        self.set().insert(delivery_id.to_owned()).then(|| Claim {
            claims: self.clone(),
            id: delivery_id.to_owned(),
        })
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.claims.set().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_is_claimed_once_until_released() {
        let claims = Arc::new(Claims::default());
        let first = claims.claim("d1");
        assert!(first.is_some());
        assert!(claims.claim("d1").is_none());
        assert!(claims.contains("d1"));
        drop(first);
        assert!(!claims.contains("d1"));
        assert!(claims.claim("d1").is_some());
    }
}
