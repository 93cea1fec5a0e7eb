//! `POST /v1/plugins/{id}/run`: the playground's engine. Runs a workspace's plugin on an
//! event with a config, on the production runtime and limits, and answers what a delivery
//! would send — body, headers, and the signature when a subscription is named. Nothing is
//! delivered or stored.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path};
use super::wire::LogLineOut;
use crate::dispatch::PrepareError;
use crate::model::{Capability, changed_fields, new_id, new_ulid, time};
use crate::plugin::{Outcome, OwnedEvent, PluginOptions};
use crate::sign::{self, Message};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(run))
}

/// An event to run a plugin on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunEventIn {
    #[serde(rename = "type")]
    #[schema(example = "member.updated")]
    pub event_type: String,
    #[schema(value_type = Object)]
    pub object: Value,
    #[schema(value_type = Option<Object>)]
    pub previous: Option<Value>,
    pub id: Option<String>,
    pub tenant: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunIn {
    /// The plugin's configuration (`{}` when absent).
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
    pub event: RunEventIn,
    /// Sign the output as this subscription would (its scheme, secret and static headers).
    pub subscription_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunOut {
    /// `deliver`, `drop` or `error`.
    pub outcome: String,
    /// The body as it would be sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Headers as they would be sent: the plugin's, the subscription's static ones (values
    /// redacted) and the signature's.
    /// `[name, value]` pairs, in order.
    #[schema(value_type = Vec<Vec<String>>)]
    pub headers: Vec<(String, String)>,
    /// With `subscriptionId`, what the signature was made with: `subscription` (its secret),
    /// or `throwaway` (a secret made for this run and forgotten, for a caller without the
    /// `view-secret` right: a signature under the real secret would let it forge deliveries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_with: Option<String>,
    pub duration_us: u64,
    /// The instance's linear memory after the call.
    pub memory_bytes: u64,
    pub logs: Vec<LogLineOut>,
    /// What the plugin printed (bounded).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub output: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// Run a plugin on an event, as a delivery would, without delivering or storing anything.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/plugins/{id}/run", operation_id = "run_plugin", tag = "plugins",
    params(("id" = String, Path, description = "plugin id")),
    request_body = RunIn,
    responses(
        (status = 200, body = RunOut, description = "what the plugin did (also when it failed)"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_event, invalid_plugin_config"),
    ),
    security(("bearer" = [])))]
async fn run(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(input): Json<RunIn>,
) -> ApiResult<Json<RunOut>> {
    let store = state.dispatcher.store().clone();
    if !state
        .dispatcher
        .may_use_plugin(&scope.workspace, &id)
        .await?
    {
        return Err(ApiError::not_found("plugin"));
    }
    let subscription = match &input.subscription_id {
        Some(sid) => Some(
            store
                .subscription(&scope.workspace, sid)
                .await?
                .ok_or_else(|| ApiError::not_found("subscription"))?,
        ),
        None => None,
    };
    let event = input.event;
    crate::model::EventType::parse(&event.event_type)
        .map_err(|e| ApiError::invalid("invalid_event", e.to_string()))?;
    if !event.object.is_object() || event.previous.as_ref().is_some_and(|p| !p.is_object()) {
        return Err(ApiError::invalid(
            "invalid_event",
            "`object` (and `previous`, when given) must be JSON objects",
        ));
    }
    let code = match state.dispatcher.plugin_code(&scope.workspace, &id).await {
        Ok(Some(code)) => code,
        Ok(None) => return Err(ApiError::not_found("plugin")),
        // A built-in that does not load is the server's fault, not the caller's.
        Err(e) if id.starts_with(crate::plugin::BUILTIN_PREFIX) => {
            return Err(ApiError::internal(&e));
        }
        Err(PrepareError::Load(e)) => return Err(ApiError::invalid(e.code(), e.to_string())),
        Err(PrepareError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(ApiError::internal(&e)),
    };
    let config = input
        .config
        .unwrap_or_else(|| Value::Object(Default::default()));
    let options = PluginOptions {
        recycle_after: 1,
        max_idle: 0,
    };
    let limits = subscription
        .as_ref()
        .and_then(|s| s.plugin.as_ref().map(|p| p.limits))
        .unwrap_or(state.plugin_limits);
    let plugin = state
        .dispatcher
        .runtime()
        .prepare_async(code, &config.to_string(), limits, options)
        .await
        .map_err(|f| ApiError::invalid("invalid_plugin_config", f.to_string()))?;
    let event_id = event.id.unwrap_or_else(|| new_id("evt"));
    let owned = OwnedEvent {
        id: event_id.clone(),
        event_type: event.event_type,
        occurred_at: time::rfc3339_ms(time::now_ms()),
        tenant: event.tenant,
        changed_fields: event
            .previous
            .as_ref()
            .map(|p| changed_fields(&event.object, p))
            .unwrap_or_default(),
        object: event.object.to_string(),
        previous: event.previous.map(|p| p.to_string()),
        attempt_id: new_ulid(),
        attempt: 1,
    };
    let report = plugin.transform_async(owned).await;
    let mut out = RunOut {
        outcome: String::new(),
        body: None,
        headers: Vec::new(),
        signed_with: None,
        duration_us: u64::try_from(report.duration.as_micros()).unwrap_or(u64::MAX),
        memory_bytes: report.memory_bytes,
        logs: report.logs.into_iter().map(LogLineOut::from).collect(),
        output: report.output,
        error: None,
    };
    match report.result {
        Ok(Outcome::Drop) => out.outcome = "drop".into(),
        Err(failure) => {
            out.outcome = "error".into();
            out.error = Some(ErrorBody {
                code: failure.code().into(),
                detail: failure.to_string(),
            });
        }
        Ok(Outcome::Deliver { body, headers }) => {
            out.outcome = "deliver".into();
            out.headers = vec![("content-type".into(), "application/json".into())];
            out.headers.extend(headers);
            let mut body = body;
            if let Some(sub) = &subscription {
                out.headers
                    .extend(sub.headers.keys().map(|n| (n.clone(), "[redacted]".into())));
                let now = time::now_ms();
                let may_see_secret = scope
                    .caller
                    .capabilities
                    .as_ref()
                    .is_none_or(|c| c.contains(&Capability::ViewSecret));
                let throwaway = sign::generate_secret();
                let secrets = if may_see_secret {
                    sub.live_secrets(now)
                } else {
                    vec![throwaway.as_str()]
                };
                out.signed_with = Some(
                    if may_see_secret {
                        "subscription"
                    } else {
                        "throwaway"
                    }
                    .into(),
                );
                let signed = sign::sign(
                    &sub.signing,
                    &secrets,
                    &Message {
                        id: &event_id,
                        timestamp: now / 1000,
                        body: body.as_bytes(),
                    },
                )
                .map_err(|e| ApiError::invalid("signing_failed", e.to_string()))?;
                out.headers.extend(signed.headers);
                if let Some(b) = signed.body {
                    body = b;
                }
            }
            out.body = Some(body);
        }
    }
    Ok(Json(out))
}
