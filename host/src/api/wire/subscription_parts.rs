//! A subscription's parts on the wire: plugin reference and limits, signing, batching, pace,
//! retry schedule, ordering, and its circuit as shown.

use super::*;

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

/// Its endpoint's recent attempts, counted by the node that answers since it started.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthOut {
    pub last_hour: WindowOut,
    pub last_day: WindowOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<FailureOut>,
}

/// Attempts that reached for the endpoint in a window.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowOut {
    pub attempts: u32,
    pub succeeded: u32,
    /// `succeeded / attempts`, absent without attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<f64>,
    pub average_ms: u64,
    pub max_ms: u64,
}

/// The endpoint's last failure, in words ("connection refused by hooks.example.com:443").
#[derive(Debug, Serialize, ToSchema)]
pub struct FailureOut {
    #[schema(format = DateTime)]
    pub at: String,
    pub error: String,
}

impl From<crate::dispatch::health::HealthView> for HealthOut {
    fn from(v: crate::dispatch::health::HealthView) -> Self {
        let window = |w: crate::dispatch::health::Window| WindowOut {
            attempts: w.attempts,
            succeeded: w.succeeded,
            success_rate: (w.attempts > 0).then(|| f64::from(w.succeeded) / f64::from(w.attempts)),
            average_ms: w.average_ms,
            max_ms: w.max_ms,
        };
        HealthOut {
            last_hour: window(v.hour),
            last_day: window(v.day),
            last_failure: v.last_failure.map(|(at, error)| FailureOut {
                at: time::rfc3339_ms(at),
                error,
            }),
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
