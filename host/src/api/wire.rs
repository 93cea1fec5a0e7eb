//! HTTP wire types (`XIn`, `XOut`, `XPatch`) and their conversions from the model. They never
//! leave this module tree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::model::{self, time};
use crate::plugin::Limits;
use crate::sign::Scheme;

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListOut<T> {
    pub data: Vec<T>,
    /// Pass as `after`/`before` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> ListOut<T> {
    /// A page of `limit` items from up to `limit + 1` read in order: an extra one means a
    /// next page, which starts after `cursor` of the page's last item.
    pub fn page<M>(
        mut items: Vec<M>,
        limit: usize,
        cursor: impl Fn(&M) -> String,
        out: impl Fn(&M) -> T,
    ) -> Self {
        let next_cursor = (items.len() > limit).then(|| {
            items.truncate(limit);
            items.last().map(&cursor).unwrap_or_default()
        });
        ListOut {
            data: items.iter().map(out).collect(),
            next_cursor,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PluginOut {
    /// sha256 of the wasm bytes, hex.
    pub id: String,
    /// The name given at upload (`?name=`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub size: u64,
    pub world: String,
    #[schema(format = DateTime)]
    pub created: String,
}

impl From<model::PluginRecord> for PluginOut {
    fn from(p: model::PluginRecord) -> Self {
        PluginOut {
            id: p.id,
            name: p.name,
            size: p.size,
            world: p.world,
            created: time::rfc3339_ms(p.created_ms),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusIo {
    Enabled,
    Disabled,
}

impl From<StatusIo> for model::Status {
    fn from(s: StatusIo) -> Self {
        match s {
            StatusIo::Enabled => model::Status::Enabled,
            StatusIo::Disabled => model::Status::Disabled,
        }
    }
}

impl From<model::Status> for StatusIo {
    fn from(s: model::Status) -> Self {
        match s {
            model::Status::Enabled => StatusIo::Enabled,
            model::Status::Disabled => StatusIo::Disabled,
        }
    }
}

/// Per-plugin limits; each defaults to the server's setting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitsIo {
    pub timeout_ms: Option<u64>,
    pub memory_bytes: Option<u64>,
    pub output_bytes: Option<u64>,
    pub log_bytes: Option<u64>,
}

impl LimitsIo {
    /// These limits, with those absent taken from `old`.
    pub fn or(self, old: &Limits) -> LimitsIo {
        LimitsIo {
            timeout_ms: self.timeout_ms.or(Some(old.timeout_ms)),
            memory_bytes: self.memory_bytes.or(Some(old.memory_bytes)),
            output_bytes: self.output_bytes.or(Some(old.output_bytes)),
            log_bytes: self.log_bytes.or(Some(old.log_bytes)),
        }
    }

    pub fn apply(&self, base: Limits) -> Limits {
        Limits {
            timeout_ms: self.timeout_ms.unwrap_or(base.timeout_ms),
            memory_bytes: self.memory_bytes.unwrap_or(base.memory_bytes),
            output_bytes: self.output_bytes.unwrap_or(base.output_bytes),
            log_bytes: self.log_bytes.unwrap_or(base.log_bytes),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PluginRefIo {
    /// The plugin id returned by `POST /v1/plugins`.
    pub id: String,
    /// The plugin's config (passed to its `configure`); `{}` when absent.
    #[serde(default)]
    pub config: Option<Value>,
    #[serde(default)]
    pub limits: Option<LimitsIo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SchemeIo {
    StandardWebhooks,
    HexHmac,
    TimestampedHmac,
    BodySignature,
}

/// How requests are signed: `standard-webhooks` (default), `hex-hmac` (header default
/// `X-Hookshape-Hmac`; Famly uses `X-Famly-Hmac`), `timestamped-hmac` (header default
/// `officernd-signature`) or `body-signature` (Firm App: `{"payload", "signature"}`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SigningIo {
    pub scheme: SchemeIo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

impl From<&Scheme> for SigningIo {
    fn from(s: &Scheme) -> Self {
        match s {
            Scheme::StandardWebhooks => SigningIo {
                scheme: SchemeIo::StandardWebhooks,
                header: None,
            },
            Scheme::HexHmac { header } => SigningIo {
                scheme: SchemeIo::HexHmac,
                header: Some(header.clone()),
            },
            Scheme::TimestampedHmac { header } => SigningIo {
                scheme: SchemeIo::TimestampedHmac,
                header: Some(header.clone()),
            },
            Scheme::BodySignature => SigningIo {
                scheme: SchemeIo::BodySignature,
                header: None,
            },
        }
    }
}

/// Batching: events of one subscription that arrive within a window go out as one request.
/// Each event is still shaped by the plugin on its own; with `itemsAt` the first event's body
/// is the envelope and the arrays at that JSON pointer are joined, otherwise the request body
/// is the JSON array of the events' bodies.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchIo {
    /// Send once a batch holds this many events (1 to 1000).
    #[schema(minimum = 1, maximum = 1000)]
    pub max_events: u32,
    /// …or this many milliseconds after its first event (0 to 3,600,000).
    #[schema(minimum = 0, maximum = 3_600_000)]
    pub max_wait_ms: u64,
    /// JSON pointer to the array that collects the events' items, e.g. `/events`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_at: Option<String>,
}

/// A subscription's pace: attempts above it wait (they do not fail).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimitIo {
    /// Attempts a second, 1 to 10,000.
    #[schema(minimum = 1, maximum = 10_000)]
    pub per_second: u32,
    /// Attempts that may go at once after a quiet spell (default: `perSecond`).
    #[serde(default)]
    pub burst: Option<u32>,
}

impl From<RateLimitIo> for model::RateLimit {
    fn from(r: RateLimitIo) -> Self {
        model::RateLimit {
            per_second: r.per_second,
            burst: r.burst.unwrap_or(r.per_second),
        }
    }
}

impl From<model::RateLimit> for RateLimitIo {
    fn from(r: model::RateLimit) -> Self {
        RateLimitIo {
            per_second: r.per_second,
            burst: Some(r.burst),
        }
    }
}

/// A subscription's own retry schedule, for receivers that want retries their way (or none).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryIo {
    /// The delay before each retry, e.g. `["10s", "1m", "10m"]` (at most 20, each at most
    /// a week); `[]` never retries: a failed attempt fails the delivery.
    pub schedule: Vec<String>,
}

impl RetryIo {
    /// The stored schedule; an error names the entry that is not a duration or is out of
    /// bounds.
    pub fn parse(&self) -> Result<model::RetrySchedule, String> {
        if self.schedule.len() > model::RetrySchedule::MAX_RETRIES {
            return Err(format!(
                "`retry.schedule` holds at most {} delays",
                model::RetrySchedule::MAX_RETRIES
            ));
        }
        let delays_ms = self
            .schedule
            .iter()
            .map(|text| {
                let delay = humantime::parse_duration(text)
                    .map_err(|e| format!("`retry.schedule`: `{text}` is not a duration ({e})"))?;
                u64::try_from(delay.as_millis())
                    .ok()
                    .filter(|ms| *ms <= model::RetrySchedule::MAX_DELAY_MS)
                    .ok_or_else(|| format!("`retry.schedule`: `{text}` is longer than a week"))
            })
            .collect::<Result<_, _>>()?;
        Ok(model::RetrySchedule { delays_ms })
    }
}

impl From<&model::RetrySchedule> for RetryIo {
    fn from(r: &model::RetrySchedule) -> Self {
        RetryIo {
            schedule: r
                .delays_ms
                .iter()
                .map(|ms| {
                    humantime::format_duration(std::time::Duration::from_millis(*ms)).to_string()
                })
                .collect(),
        }
    }
}

/// Ordered delivery: deliveries with the same key reach the endpoint one at a time, in
/// publish order; a failing one holds back its key only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderingIo {
    /// The key's dotted path in the event: `object.id`, `object.account.id`, `tenant`.
    #[schema(example = "object.id")]
    pub key: String,
}

/// The state of a subscription's circuit breaker.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CircuitOut {
    /// `closed` (attempts flow), `open` (attempts wait for a probe), `half-open` (a probe
    /// is out).
    pub state: String,
    #[schema(format = DateTime)]
    pub since: Option<String>,
    /// Consecutive failed attempts.
    pub failures: u32,
    /// When the next probe goes (open circuits).
    #[schema(format = DateTime)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe_at: Option<String>,
}

impl From<crate::dispatch::CircuitView> for CircuitOut {
    fn from(v: crate::dispatch::CircuitView) -> Self {
        CircuitOut {
            state: v.phase.as_str().to_owned(),
            since: (v.since_ms > 0).then(|| time::rfc3339_ms(v.since_ms)),
            failures: v.failures,
            probe_at: v.retry_at_ms.map(time::rfc3339_ms),
        }
    }
}

impl From<BatchIo> for model::Batch {
    fn from(b: BatchIo) -> Self {
        model::Batch {
            max_events: b.max_events,
            max_wait_ms: b.max_wait_ms,
            items_at: b.items_at,
        }
    }
}

impl From<&model::Batch> for BatchIo {
    fn from(b: &model::Batch) -> Self {
        BatchIo {
            max_events: b.max_events,
            max_wait_ms: b.max_wait_ms,
            items_at: b.items_at.clone(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionIn {
    pub url: String,
    pub description: Option<String>,
    /// Event types or patterns: `member.updated`, `invoice.*`, `*.updated`, `*`.
    pub events: Vec<String>,
    #[serde(default)]
    pub status: Option<StatusIo>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    pub plugin: Option<PluginRefIo>,
    pub signing: Option<SigningIo>,
    /// Live (default) subscriptions get live events; test ones (`false`) test events only.
    pub live: Option<bool>,
    /// Deliver update events only when one of these top-level fields changed (creates and
    /// deletes always go out). Needs `previous` on published updates.
    pub fields: Option<Vec<String>>,
    pub batch: Option<BatchIo>,
    /// At most this many attempts a second; more wait.
    pub rate_limit: Option<RateLimitIo>,
    /// Its own retry schedule instead of the server's (`{"schedule": []}`: no retries).
    pub retry: Option<RetryIo>,
    /// Deliver events with the same key one at a time, in publish order.
    pub ordering: Option<OrderingIo>,
    /// The signing secret; generated (`whsec_…`) when absent.
    pub secret: Option<String>,
    /// Headers sent with every request, e.g. `{"Authorization": "Bearer …"}` for the
    /// receiver: write-only (reads show their names only) and redacted in attempt records.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// Fields to change; absent fields stay. `description` and `plugin` may be `null` to clear.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionPatch {
    pub url: Option<String>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub events: Option<Vec<String>>,
    pub status: Option<StatusIo>,
    pub metadata: Option<BTreeMap<String, String>>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<PluginRefIo>)]
    pub plugin: Option<Option<PluginRefIo>>,
    pub signing: Option<SigningIo>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<Vec<String>>)]
    pub fields: Option<Option<Vec<String>>>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<BatchIo>)]
    pub batch: Option<Option<BatchIo>>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<RateLimitIo>)]
    pub rate_limit: Option<Option<RateLimitIo>>,
    /// `null` goes back to the server's schedule.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<RetryIo>)]
    pub retry: Option<Option<RetryIo>>,
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<OrderingIo>)]
    pub ordering: Option<Option<OrderingIo>>,
    /// Replaces all static headers (`{}` removes them).
    pub headers: Option<BTreeMap<String, String>>,
}

/// Tells a missing field (`None`) from an explicit `null` (`Some(None)`).
pub(super) mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// A subscription (modelled on Falu's endpoint object).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionOut {
    pub id: String,
    pub workspace: String,
    pub live: bool,
    /// What shapes the body: `basic` (hookshape's own envelope) or `plugin`.
    pub format: String,
    #[schema(format = DateTime)]
    pub created: String,
    #[schema(format = DateTime)]
    pub updated: String,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<String>,
    pub status: StatusIo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub plugin: Option<PluginRefIo>,
    pub signing: SigningIo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchIo>,
    pub etag: String,
    /// The names of its static headers (their values are write-only).
    pub headers: Vec<String>,
    /// Only in the response that created the subscription; later see `/secret`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitIo>,
    /// Its own retry schedule (absent: the server's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryIo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordering: Option<OrderingIo>,
    /// A plugin version on trial beside `plugin` (see `/candidate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<CandidateOut>,
    /// The plugin before the last promotion: what a rollback goes back to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_plugin: Option<PluginRefIo>,
    /// Candidates, promotions and rollbacks, oldest first (the last 50).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plugin_history: Vec<PluginChangeOut>,
    /// Its circuit breaker (absent for a subscription not in service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circuit: Option<CircuitOut>,
    /// Event types it names that the catalog does not list (in create and update answers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A subscription's candidate plugin.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateOut {
    pub plugin: PluginRefIo,
    /// The share of events sent with the candidate's output (0: none, shadow only).
    pub percent: u8,
    #[schema(format = DateTime)]
    pub started: String,
}

/// One change of a subscription's plugin.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PluginChangeOut {
    #[schema(format = DateTime)]
    pub at: String,
    /// `candidate`, `stop`, `promote`, `rollback` or `update` (changed with PATCH).
    pub action: String,
    /// The current plugin after the change.
    pub plugin_id: Option<String>,
    /// The candidate (for `candidate` and `stop`), or the plugin it replaced.
    pub other_plugin_id: Option<String>,
}

/// A plugin reference as shown, with its config and full limits.
pub fn plugin_ref_out(p: &model::PluginRef) -> PluginRefIo {
    PluginRefIo {
        id: p.id.clone(),
        config: Some(p.config.clone()),
        limits: Some(LimitsIo {
            timeout_ms: Some(p.limits.timeout_ms),
            memory_bytes: Some(p.limits.memory_bytes),
            output_bytes: Some(p.limits.output_bytes),
            log_bytes: Some(p.limits.log_bytes),
        }),
    }
}

impl SubscriptionOut {
    pub fn from_model(s: &model::Subscription, with_secret: bool) -> Self {
        SubscriptionOut {
            id: s.id.clone(),
            workspace: s.workspace.clone(),
            live: s.live,
            format: if s.plugin.is_some() {
                "plugin"
            } else {
                "basic"
            }
            .to_owned(),
            created: time::rfc3339_ms(s.created_ms),
            updated: time::rfc3339_ms(s.updated_ms),
            url: s.url.clone(),
            description: s.description.clone(),
            events: s.events.clone(),
            status: s.status.into(),
            disabled_reason: s.disabled_reason.clone(),
            metadata: s.metadata.clone(),
            plugin: s.plugin.as_ref().map(plugin_ref_out),
            candidate: s.candidate.as_ref().map(|c| CandidateOut {
                plugin: plugin_ref_out(&c.plugin),
                percent: c.percent,
                started: time::rfc3339_ms(c.started_ms),
            }),
            previous_plugin: s.previous_plugin.as_ref().map(plugin_ref_out),
            plugin_history: s
                .plugin_history
                .iter()
                .map(|h| PluginChangeOut {
                    at: time::rfc3339_ms(h.at_ms),
                    action: h.action.clone(),
                    plugin_id: h.plugin_id.clone(),
                    other_plugin_id: h.other_plugin_id.clone(),
                })
                .collect(),
            signing: (&s.signing).into(),
            fields: s.fields.clone(),
            batch: s.batch.as_ref().map(Into::into),
            etag: s.etag.clone(),
            headers: s.headers.keys().cloned().collect(),
            secret: with_secret
                .then(|| s.secrets.first().map(|x| x.value.clone()))
                .flatten(),
            rate_limit: s.rate_limit.map(Into::into),
            retry: s.retry.as_ref().map(Into::into),
            ordering: s
                .ordering
                .as_ref()
                .map(|o| OrderingIo { key: o.key.clone() }),
            circuit: None,
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretOut {
    /// The secret that signs now.
    pub secret: String,
    /// Earlier secrets still signing during a rotation, with when they stop.
    pub previous: Vec<PreviousSecretOut>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviousSecretOut {
    pub secret: String,
    #[schema(format = DateTime)]
    pub expires: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateIn {
    /// The new secret; generated when absent.
    pub secret: Option<String>,
    /// How long the old secret keeps signing; the server default (24 h) when absent.
    pub overlap_seconds: Option<u64>,
}

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
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResponseOut {
    pub status: u16,
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

/// The bytes of a WebAssembly component (`application/wasm`).
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct WasmBytes(#[expect(dead_code, reason = "only its schema is used")] Vec<u8>);

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
