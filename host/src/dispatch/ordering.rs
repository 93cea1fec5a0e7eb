//! Ordered delivery per key (`ordering: {key: "object.id"}`): of a subscription's pending
//! deliveries with the same key, only the oldest (ids sort in publish order) may be
//! attempted. A failing one holds back its key only; other keys go on.
//!
//! The pending deliveries of each key are kept in memory: added before a publish commits
//! (so the scheduler never sees a job it cannot place), dropped when a delivery finishes,
//! rebuilt from the store when a subscription is loaded.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use crate::model::Event;

#[derive(Debug, Default)]
struct Inner {
    by_key: HashMap<String, BTreeSet<String>>,
    key_of: HashMap<String, String>,
}

/// One subscription's pending deliveries, by key.
#[derive(Debug, Default)]
pub struct Ordered {
    inner: Mutex<Inner>,
}

impl Ordered {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn add(&self, key: &str, delivery: &str) {
        let mut inner = self.lock();
        inner
            .by_key
            .entry(key.to_owned())
            .or_default()
            .insert(delivery.to_owned());
        inner.key_of.insert(delivery.to_owned(), key.to_owned());
    }

    /// A delivery is no longer pending (delivered, dropped, failed, or never committed).
    pub fn finished(&self, delivery: &str) {
        let mut inner = self.lock();
        let Some(key) = inner.key_of.remove(delivery) else {
            return;
        };
        if let Some(set) = inner.by_key.get_mut(&key) {
            set.remove(delivery);
            if set.is_empty() {
                inner.by_key.remove(&key);
            }
        }
    }

    /// Whether a delivery may be attempted now: it has no key, or it is the oldest pending
    /// delivery of its key.
    pub fn may_go(&self, delivery: &str) -> bool {
        let inner = self.lock();
        match inner.key_of.get(delivery) {
            None => true,
            Some(key) => inner
                .by_key
                .get(key)
                .and_then(BTreeSet::first)
                .is_none_or(|head| head == delivery),
        }
    }
}

/// The key of an event under a dotted path: `object.id`, `previous.account.id`, `tenant`,
/// `type`. Strings are taken as they are, other values as JSON; a missing value gives no key
/// (the delivery is not ordered).
pub fn key_of(path: &str, event: &Event) -> Option<String> {
    let mut parts = path.split('.');
    let root = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let json = match root {
        "tenant" if rest.is_empty() => return event.tenant.clone(),
        "type" if rest.is_empty() => return Some(event.event_type.clone()),
        "object" => serde_json::from_str::<serde_json::Value>(&event.object).ok()?,
        "previous" => serde_json::from_str::<serde_json::Value>(event.previous.as_deref()?).ok()?,
        _ => return None,
    };
    let mut value = &json;
    for part in rest {
        value = match value {
            serde_json::Value::Object(map) => map.get(part)?,
            serde_json::Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Whether a path can name a key (checked when a subscription is saved).
pub fn valid_path(path: &str) -> bool {
    let mut parts = path.split('.');
    let root = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    path.len() <= 256
        && match root {
            "tenant" | "type" => rest.is_empty(),
            "object" | "previous" => !rest.is_empty() && rest.iter().all(|p| !p.is_empty()),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_oldest_pending_delivery_of_a_key_may_go() {
        let o = Ordered::default();
        o.add("a", "dlv_1");
        o.add("a", "dlv_3");
        o.add("b", "dlv_2");
        assert!(o.may_go("dlv_1") && o.may_go("dlv_2") && !o.may_go("dlv_3"));
        assert!(o.may_go("dlv_unordered"));
        o.finished("dlv_1");
        assert!(o.may_go("dlv_3"));
    }

    #[test]
    fn keys_come_from_dotted_paths() {
        let event = Event::new(
            "member.updated",
            &serde_json::json!({"id": "m_1", "n": 7, "tags": ["x", "y"]}),
            None,
            Some("site_1".into()),
            None,
            None,
        )
        .expect("event");
        assert_eq!(key_of("object.id", &event).as_deref(), Some("m_1"));
        assert_eq!(key_of("object.n", &event).as_deref(), Some("7"));
        assert_eq!(key_of("object.tags.1", &event).as_deref(), Some("y"));
        assert_eq!(key_of("tenant", &event).as_deref(), Some("site_1"));
        assert_eq!(key_of("object.missing", &event), None);
        assert_eq!(key_of("previous.id", &event), None);
        assert!(valid_path("object.id") && valid_path("tenant"));
        assert!(!valid_path("object") && !valid_path("id") && !valid_path("object..x"));
    }
}
