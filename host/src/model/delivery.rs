//! Deliveries (one event to one subscription) and their attempts.

use serde::{Deserialize, Serialize};

use crate::plugin::LogLine;

/// The prefix of delivery ids (`dlv_{ulid}`).
pub const DELIVERY_PREFIX: &str = "dlv";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (first try or a retry).
    Pending,
    /// An endpoint answered 2xx.
    Succeeded,
    /// The plugin dropped the event; nothing was sent.
    Dropped,
    /// Retries exhausted (or the subscription is gone); waits for a manual retry.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Dropped => "dropped",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Succeeded,
            DeliveryStatus::Dropped,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: String,
    /// The workspace of its subscription: who may see and retry it.
    #[serde(default = "super::workspace::serde_default_workspace")]
    pub workspace: String,
    /// The workspace its event was published in, when not `workspace` (a site's event
    /// delivered to its organisation's subscription).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_workspace: Option<String>,
    /// The event; for a batch, its first event.
    pub event_id: String,
    /// The type of that event (`hookshape.test` for test sends), so lists tell them apart.
    #[serde(default)]
    pub event_type: String,
    /// For a batch: every event it holds, in arrival order (the first is `event_id`). A
    /// batch takes events until it is first attempted; retries resend the same events.
    #[serde(default)]
    pub batch: Option<Vec<String>>,
    pub subscription_id: String,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// Of those, manual retries (they do not count against the automatic schedule).
    #[serde(default)]
    pub manual_attempts: u32,
    /// When the next attempt is due (pending only).
    pub next_attempt_ms: Option<u64>,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// The reason of the last failed attempt.
    pub last_error: Option<String>,
    /// Its key, when its subscription orders deliveries by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordering_key: Option<String>,
}

impl Delivery {
    /// A new pending delivery of `event` to `subscription_id`, in the event's workspace,
    /// made at `created_ms` and due at `due_ms`.
    pub fn pending(
        event: &super::Event,
        subscription_id: &str,
        created_ms: u64,
        due_ms: u64,
    ) -> Delivery {
        Delivery {
            id: super::new_id(DELIVERY_PREFIX),
            workspace: event.workspace.clone(),
            event_workspace: None,
            event_id: event.id.clone(),
            event_type: event.event_type.clone(),
            batch: None,
            subscription_id: subscription_id.to_owned(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            manual_attempts: 0,
            next_attempt_ms: Some(due_ms),
            created_ms,
            updated_ms: created_ms,
            last_error: None,
            ordering_key: None,
        }
    }

    /// Whether this open batch still takes events: pending, never attempted (claiming it
    /// closes it; checked anyway), and with room for one more of `max_events`.
    pub fn takes_events(&self, max_events: u32) -> bool {
        self.status == DeliveryStatus::Pending
            && self.attempts == 0
            && self
                .batch
                .as_ref()
                .is_some_and(|b| b.len() < max_events as usize)
    }

    /// Adds `event` to this open batch at `now_ms`: by id when it is from the batch's home
    /// workspace, else by its key. Whether the batch is now full (it is then due at once,
    /// which the store records).
    pub fn join(&mut self, event: &super::Event, now_ms: u64, max_events: u32) -> bool {
        let same_home = event.workspace == self.event_home();
        let events = self.batch.get_or_insert_with(Vec::new);
        events.push(if same_home {
            event.id.clone()
        } else {
            event.key()
        });
        self.updated_ms = now_ms;
        events.len() >= max_events as usize
    }

    /// The events this delivery sends: its batch, or its one event.
    pub fn event_ids(&self) -> &[String] {
        self.batch
            .as_deref()
            .unwrap_or(std::slice::from_ref(&self.event_id))
    }

    /// Where its events are stored ([`super::event_key`]), in order. A batch entry from
    /// another workspace than the delivery's is kept as its key already (ids hold no `/`).
    pub fn event_keys(&self) -> Vec<String> {
        let home = self.event_home();
        self.event_ids()
            .iter()
            .map(|e| {
                if e.contains('/') {
                    e.clone()
                } else {
                    super::event_key(home, e)
                }
            })
            .collect()
    }

    /// Where its (first) event is stored.
    pub fn event_key(&self) -> String {
        super::event_key(self.event_home(), &self.event_id)
    }

    /// The workspace its events were published in.
    pub fn event_home(&self) -> &str {
        self.event_workspace.as_deref().unwrap_or(&self.workspace)
    }

    /// Where its job sits on its subscription's queue: its next attempt's time, if pending.
    pub fn queued_at(&self) -> Option<u64> {
        match (self.status, self.next_attempt_ms) {
            (DeliveryStatus::Pending, Some(t)) => Some(t),
            _ => None,
        }
    }
}

/// One try at a delivery: what was sent and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub delivery_id: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub number: u32,
    /// New for every attempt (the request id a plugin may put in its envelope).
    pub request_id: String,
    pub started_ms: u64,
    pub duration_ms: u64,
    pub plugin_id: Option<String>,
    pub plugin_logs: Vec<LogLine>,
    pub request: Option<SentRequest>,
    pub response: Option<ReceivedResponse>,
    pub outcome: AttemptOutcome,
    /// Why the attempt failed (plugin failure, connection error, non-2xx status, …).
    pub error: Option<AttemptError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttemptOutcome {
    Succeeded,
    Failed,
    Dropped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptError {
    /// A stable code: `http_status`, `timeout`, `connect`, `blocked_address`, `plugin_<kind>`…
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Stored without its body, which was the event's default body
    /// ([`super::Event::default_body`]): rebuilt from the event when read, so that a
    /// subscription without a plugin keeps its payload once, with the event.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub body_is_default: bool,
}

impl Attempt {
    /// The attempt as stored: when its request body is the event's default body
    /// (`default`), the body is left out.
    pub fn for_storage(&self, default: bool) -> std::borrow::Cow<'_, Attempt> {
        match &self.request {
            Some(r) if default && !r.body_is_default => {
                let mut stored = self.clone();
                if let Some(r) = stored.request.as_mut() {
                    r.body = String::new();
                    r.body_is_default = true;
                }
                std::borrow::Cow::Owned(stored)
            }
            _ => std::borrow::Cow::Borrowed(self),
        }
    }

    /// Puts back a body left out by [`Attempt::for_storage`].
    pub fn restore_body(&mut self, event: Option<&super::Event>) {
        if let (Some(r), Some(e)) = (self.request.as_mut(), event)
            && r.body_is_default
        {
            r.body = e.default_body();
            r.body_is_default = false;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body, cut at the response limit.
    pub body: String,
    pub truncated: bool,
}
