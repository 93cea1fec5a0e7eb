//! Events, deliveries and attempts on the wire.

use super::*;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventIn {
    /// `resource.subresource.operation`, e.g. `member.updated`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The resource after the change.
    pub object: Value,
    /// The resource before the change (updates, deletions).
    pub previous: Option<Value>,
    /// The workspace it happens in (for tokens that publish to several); the token's or the
    /// route's workspace otherwise, else `default`. An unknown workspace is refused.
    pub workspace: Option<String>,
    /// The customer's site or organisation, handed to plugins (Famly's `siteSetId`). When it
    /// names an existing workspace and `workspace` is absent, it is the workspace.
    pub tenant: Option<String>,
    /// Live traffic (default) or test traffic (`false`), which reaches test subscriptions only.
    pub live: Option<bool>,
    /// Your id for the event: re-posting it returns the same event and creates nothing.
    pub id: Option<String>,
    /// When it happened (RFC 3339); now when absent.
    pub occurred_at: Option<String>,
    /// Keep this object as the last published version of it, and fill in `previous` from the
    /// version before when it is absent [default: the event type's `snapshot` in the
    /// catalog, else false].
    pub snapshot: Option<bool>,
}

/// An event as it was published.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventOut {
    pub id: String,
    pub workspace: String,
    #[serde(rename = "type")]
    pub event_type: String,
    #[schema(format = DateTime)]
    pub occurred_at: String,
    pub tenant: Option<String>,
    pub live: bool,
    pub object: Value,
    pub previous: Option<Value>,
    pub changed_fields: Vec<String>,
    /// When hookshape accepted it.
    #[schema(format = DateTime)]
    pub received: String,
}

impl From<&model::Event> for EventOut {
    fn from(e: &model::Event) -> Self {
        let parse = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
        EventOut {
            id: e.id.clone(),
            workspace: e.workspace.clone(),
            event_type: e.event_type.clone(),
            occurred_at: e.occurred_at.clone(),
            tenant: e.tenant.clone(),
            live: e.live,
            object: parse(&e.object),
            previous: e.previous.as_deref().map(parse),
            changed_fields: e.changed_fields.clone(),
            received: time::rfc3339_ms(e.received_ms),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventAccepted {
    pub id: String,
    pub workspace: String,
    /// Deliveries created (for a repeated id: the ones created the first time).
    pub deliveries: usize,
    /// True when an event with this id existed and nothing new was created.
    pub duplicate: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryOut {
    pub id: String,
    /// The event; for a batch, its first event.
    pub event_id: String,
    /// That event's type (`hookshape.test` for test sends).
    pub event_type: String,
    /// The workspace the event was published in, when it is not the delivery's (a site's
    /// event delivered to its organisation's subscription).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_workspace: Option<String>,
    /// For a batch: the events it holds, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    pub subscription_id: String,
    /// `pending`, `succeeded`, `dropped` or `failed`.
    #[schema(value_type = DeliveryStatusIo)]
    pub status: String,
    pub attempts: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub next_attempt: Option<String>,
    #[schema(format = DateTime)]
    pub created: String,
    #[schema(format = DateTime)]
    pub updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl From<&model::Delivery> for DeliveryOut {
    fn from(d: &model::Delivery) -> Self {
        DeliveryOut {
            id: d.id.clone(),
            event_id: d.event_id.clone(),
            event_type: d.event_type.clone(),
            event_workspace: d.event_workspace.clone(),
            events: d.batch.clone(),
            subscription_id: d.subscription_id.clone(),
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            next_attempt: d.next_attempt_ms.map(time::rfc3339_ms),
            created: time::rfc3339_ms(d.created_ms),
            updated: time::rfc3339_ms(d.updated_ms),
            last_error: d.last_error.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDetailOut {
    #[serde(flatten)]
    pub delivery: DeliveryOut,
    pub attempt_log: Vec<AttemptOut>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestOut {
    pub url: String,
    /// `[name, value]` pairs, in order.
    #[schema(value_type = Vec<Vec<String>>)]
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResponseOut {
    pub status: u16,
    /// `[name, value]` pairs, in order.
    #[schema(value_type = Vec<Vec<String>>)]
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub truncated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptErrorOut {
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogLineOut {
    pub level: String,
    pub message: String,
}

impl From<crate::plugin::LogLine> for LogLineOut {
    fn from(l: crate::plugin::LogLine) -> Self {
        LogLineOut {
            level: format!("{:?}", l.level).to_lowercase(),
            message: l.message,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttemptOut {
    pub number: u32,
    /// New on every attempt.
    pub request_id: String,
    #[schema(format = DateTime)]
    pub started: String,
    pub duration_ms: u64,
    /// `succeeded`, `failed` or `dropped`.
    #[schema(value_type = AttemptOutcomeIo)]
    pub outcome: String,
    pub plugin_id: Option<String>,
    pub plugin_logs: Vec<LogLineOut>,
    /// The request as sent (absent when nothing was sent).
    pub request: Option<RequestOut>,
    pub response: Option<ResponseOut>,
    pub error: Option<AttemptErrorOut>,
}

impl From<model::Attempt> for AttemptOut {
    fn from(a: model::Attempt) -> Self {
        let outcome = match a.outcome {
            model::AttemptOutcome::Succeeded => "succeeded",
            model::AttemptOutcome::Failed => "failed",
            model::AttemptOutcome::Dropped => "dropped",
        };
        AttemptOut {
            number: a.number,
            request_id: a.request_id,
            started: time::rfc3339_ms(a.started_ms),
            duration_ms: a.duration_ms,
            outcome: outcome.to_owned(),
            plugin_id: a.plugin_id,
            plugin_logs: a.plugin_logs.into_iter().map(LogLineOut::from).collect(),
            request: a.request.map(|r| RequestOut {
                url: r.url,
                headers: r.headers,
                body: r.body,
            }),
            response: a.response.map(|r| ResponseOut {
                status: r.status,
                headers: r.headers,
                body: r.body,
                truncated: r.truncated,
            }),
            error: a.error.map(|e| AttemptErrorOut {
                code: e.code,
                detail: e.detail,
            }),
        }
    }
}

/// Where a delivery stands (documentation of `DeliveryOut.status`).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "lowercase")]
#[expect(dead_code, reason = "only its schema is used")]
pub enum DeliveryStatusIo {
    Pending,
    Succeeded,
    Dropped,
    Failed,
}

/// How an attempt ended (documentation of `AttemptOut.outcome`).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "lowercase")]
#[expect(dead_code, reason = "only its schema is used")]
pub enum AttemptOutcomeIo {
    Succeeded,
    Failed,
    Dropped,
}
