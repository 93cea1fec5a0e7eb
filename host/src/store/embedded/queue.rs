//! The job queues in memory: a copy of the `q/` keys, loaded when the store opens and changed
//! with them, so that finding due jobs reads no tree. The keys stay the durable truth.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::store::engine::DueJobs;

#[derive(Default)]
pub(super) struct Queues(Mutex<HashMap<String, BTreeSet<(u64, String)>>>);

impl Queues {
    fn map(&self) -> MutexGuard<'_, HashMap<String, BTreeSet<(u64, String)>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn add(&self, sub: &str, due_ms: u64, delivery: &str) {
        self.map()
            .entry(sub.to_owned())
            .or_default()
            .insert((due_ms, delivery.to_owned()));
    }

    pub fn remove(&self, sub: &str, due_ms: u64, delivery: &str) {
        let mut map = self.map();
        if let Some(queue) = map.get_mut(sub) {
            queue.remove(&(due_ms, delivery.to_owned()));
            if queue.is_empty() {
                map.remove(sub);
            }
        }
    }

    pub fn clear(&self, sub: &str) {
        self.map().remove(sub);
    }

    /// Each subscription's queued jobs: how many, and the earliest due time.
    pub fn depths(&self) -> Vec<(String, u64, u64)> {
        self.map()
            .iter()
            .filter_map(|(sub, q)| {
                q.first()
                    .map(|(due, _)| (sub.clone(), q.len() as u64, *due))
            })
            .collect()
    }

    /// The deliveries a subscription has queued, with ids in `[from, before)`, newest first,
    /// at most `limit`.
    pub fn queued_ids(
        &self,
        sub: &str,
        from: Option<&str>,
        before: Option<&str>,
        limit: usize,
    ) -> Vec<String> {
        let map = self.map();
        let Some(queue) = map.get(sub) else {
            return Vec::new();
        };
        let mut ids: Vec<&String> = queue
            .iter()
            .map(|(_, id)| id)
            .filter(|id| from.is_none_or(|f| id.as_str() >= f))
            .filter(|id| before.is_none_or(|b| id.as_str() < b))
            .collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        ids.into_iter().take(limit).cloned().collect()
    }

    /// Jobs due at or before `now_ms`, oldest first, at most `limit`, leaving out those
    /// `claimed` says are being attempted; and the time the next later one is due.
    pub fn due(
        &self,
        sub: &str,
        now_ms: u64,
        limit: usize,
        claimed: impl Fn(&str) -> bool,
    ) -> DueJobs {
        let map = self.map();
        let mut out = Vec::new();
        let Some(queue) = map.get(sub) else {
            return (out, None);
        };
        for (due, id) in queue {
            if *due > now_ms || out.len() >= limit {
                return (out, Some(*due));
            }
            if !claimed(id) {
                out.push((*due, id.clone()));
            }
        }
        (out, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_jobs_come_oldest_first_without_claimed_ones() {
        let q = Queues::default();
        q.add("s", 30, "c");
        q.add("s", 10, "a");
        q.add("s", 20, "b");
        q.add("other", 5, "x");
        assert_eq!(
            q.due("s", 25, 10, |id| id == "a"),
            (vec![(20, "b".to_owned())], Some(30))
        );
        assert_eq!(
            q.due("s", 100, 1, |_| false),
            (vec![(10, "a".to_owned())], Some(20))
        );
        q.remove("s", 10, "a");
        q.remove("s", 20, "b");
        q.remove("s", 30, "c");
        assert_eq!(q.due("s", 100, 10, |_| false), (vec![], None));
        q.clear("other");
        assert_eq!(q.due("other", 100, 10, |_| false), (vec![], None));
    }

    #[test]
    fn queued_ids_come_newest_first_within_their_range_once_each() {
        let q = Queues::default();
        for (due, id) in [(5, "b"), (1, "d"), (9, "a"), (3, "c"), (7, "b")] {
            q.add("s", due, id);
        }
        assert_eq!(q.queued_ids("s", None, None, 10), ["d", "c", "b", "a"]);
        assert_eq!(q.queued_ids("s", Some("b"), Some("d"), 10), ["c", "b"]);
        assert_eq!(q.queued_ids("s", None, None, 2), ["d", "c"]);
        assert!(q.queued_ids("none", None, None, 10).is_empty());
    }
}
