//! Subscriptions: who wants which events, where, shaped by which plugin, signed how.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::EventPattern;
use crate::plugin::Limits;
use crate::sign::Scheme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Enabled,
    Disabled,
}

/// The plugin a subscription runs, with its config and limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginRef {
    pub id: String,
    pub config: Value,
    pub limits: Limits,
}

/// A plugin version on trial beside the current one: it runs on every event after the
/// delivery, and its output is compared, not sent (but for the `percent` of events it is
/// sent instead of the current one's: a canary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub plugin: PluginRef,
    #[serde(default)]
    pub percent: u8,
    pub started_ms: u64,
}

/// One change of a subscription's plugin: `candidate`, `stop`, `promote`, `rollback`, or
/// `update` (changed with PATCH).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginChange {
    pub at_ms: u64,
    pub action: String,
    /// The plugin current after the change.
    pub plugin_id: Option<String>,
    /// The candidate's plugin (for `candidate` and `stop`) or the one replaced.
    pub other_plugin_id: Option<String>,
}

/// Changes kept in a subscription's plugin history; older ones are dropped.
pub const PLUGIN_HISTORY: usize = 50;

/// A signing secret. The newest comes first; older ones keep signing until `expires_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    pub value: String,
    pub created_ms: u64,
    pub expires_ms: Option<u64>,
}

/// Ordered delivery: the dotted path of the key in the event (`object.id`, `tenant`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryOrder {
    pub key: String,
}

/// A subscription's own retry schedule: the delay before each retry, in milliseconds (its
/// length is the number of retries; empty: never retried). Without one, the server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetrySchedule {
    pub delays_ms: Vec<u64>,
}

impl RetrySchedule {
    /// The most retries a schedule may hold.
    pub const MAX_RETRIES: usize = 20;
    /// The longest delay before one retry: a week.
    pub const MAX_DELAY_MS: u64 = 7 * 24 * 3600 * 1000;
}

/// A subscription's pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    #[serde(default = "super::workspace::serde_default_workspace")]
    pub workspace: String,
    /// Live subscriptions get live events; test ones (`false`) get test events only.
    #[serde(default = "super::workspace::serde_true")]
    pub live: bool,
    pub created_ms: u64,
    pub updated_ms: u64,
    pub url: String,
    pub description: Option<String>,
    /// Event type patterns (`member.updated`, `invoice.*`, `*`).
    pub events: Vec<String>,
    pub status: Status,
    /// Why the host disabled it, if it did (e.g. the endpoint answered 410 Gone).
    pub disabled_reason: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub plugin: Option<PluginRef>,
    /// A plugin version being tried beside `plugin`.
    #[serde(default)]
    pub candidate: Option<Candidate>,
    /// The plugin before the last promotion, for a rollback.
    #[serde(default)]
    pub previous_plugin: Option<PluginRef>,
    /// Promotions, rollbacks and candidates, oldest first (at most `PLUGIN_HISTORY`).
    #[serde(default)]
    pub plugin_history: Vec<PluginChange>,
    pub signing: Scheme,
    /// Update events go out only when one of these top-level fields changed.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// Events within a window go out together, as one request.
    #[serde(default)]
    pub batch: Option<super::Batch>,
    /// At most this many attempts a second (in bursts); more wait, they do not fail.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
    /// Its own retry schedule instead of the server's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetrySchedule>,
    /// Deliveries with the same key go one at a time, in publish order.
    #[serde(default)]
    pub ordering: Option<DeliveryOrder>,
    pub secrets: Vec<Secret>,
    /// Headers sent with every request (receiver credentials): write-only, sealed at rest,
    /// never shown in reads or lists, redacted in attempt records.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Changes on every update; `If-Match` guards against lost updates.
    pub etag: String,
}

impl Subscription {
    /// Makes `plugin` current, keeping the one it replaces as `previous_plugin` (what a
    /// rollback goes back to), and records the change.
    pub fn replace_plugin(&mut self, plugin: Option<PluginRef>, at_ms: u64, action: &str) {
        self.previous_plugin = std::mem::replace(&mut self.plugin, plugin);
        let replaced = self.previous_plugin.as_ref().map(|p| p.id.clone());
        self.record_plugin_change(at_ms, action, replaced);
    }

    /// Records a change of plugin in the history, dropping the oldest beyond the bound.
    pub fn record_plugin_change(&mut self, at_ms: u64, action: &str, other: Option<String>) {
        self.plugin_history.push(PluginChange {
            at_ms,
            action: action.to_owned(),
            plugin_id: self.plugin.as_ref().map(|p| p.id.clone()),
            other_plugin_id: other,
        });
        let excess = self.plugin_history.len().saturating_sub(PLUGIN_HISTORY);
        self.plugin_history.drain(..excess);
    }

    /// Whether an event goes to this subscription: enabled, a matching type, and for updates
    /// with a field filter, a change in one of those fields (an update published without
    /// `previous` cannot be judged and goes out).
    pub fn wants(&self, event: &super::Event) -> bool {
        let typed = self.status == Status::Enabled
            && self.live == event.live
            && self
                .events
                .iter()
                .filter_map(|p| EventPattern::parse(p).ok())
                .any(|p| p.matches(&event.event_type));
        let fields_ok = match (&self.fields, event.is_update() && event.previous.is_some()) {
            (Some(fields), true) => event.changed_fields.iter().any(|c| fields.contains(c)),
            _ => true,
        };
        typed && fields_ok
    }

    /// The secrets that sign at `now_ms`, newest first.
    pub fn live_secrets(&self, now_ms: u64) -> Vec<&str> {
        self.secrets
            .iter()
            .filter(|s| s.expires_ms.is_none_or(|e| e > now_ms))
            .map(|s| s.value.as_str())
            .collect()
    }

    /// A fresh etag, derived from the id and the update time.
    pub fn new_etag(&self) -> String {
        let tag = ulid::Ulid::new().to_string();
        format!("W/\"{}\"", &tag[tag.len() - 12..])
    }
}
