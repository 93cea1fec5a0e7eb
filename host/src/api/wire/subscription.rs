//! A subscription on the wire: what creates it, what changes it, how it is shown; its
//! candidate, plugin history and secrets.

use super::*;

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
    /// Its endpoint's recent attempts (absent for a subscription not in service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<HealthOut>,
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
            health: None,
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
