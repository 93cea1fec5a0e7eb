//! `/v1/subscriptions`: create, list, show, change, delete; secret reveal and rotation; test
//! delivery; the subscription's deliveries.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use super::query;
use super::wire::{
    AttemptOut, DeliveryOut, ListOut, PluginRefIo, PreviousSecretOut, RotateIn, SchemeIo,
    SecretOut, SigningIo, SubscriptionIn, SubscriptionOut, SubscriptionPatch,
};
use crate::dispatch::{DispatchError, PrepareError};
use crate::http_header;
use crate::model::{self, EventPattern, PluginRef, Secret, Subscription, time};
use crate::plugin::Failure;
use crate::sign::{self, Scheme};
use crate::store::Updated;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(show, patch, delete))
        .routes(routes!(secret))
        .routes(routes!(rotate))
        .routes(routes!(test))
        .routes(routes!(deliveries))
        .routes(routes!(close_circuit))
}

/// Close the subscription's circuit by hand: deliveries waiting for the endpoint go now.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/circuit/close", operation_id = "close_circuit", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn close_circuit(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let sub = load(&state, &scope.workspace, &id).await?;
    if !state.dispatcher.close_circuit(&scope.workspace, &id) {
        return Err(ApiError::not_found("subscription"));
    }
    Ok(with_etag(&state, &sub, StatusCode::OK, false))
}

pub(super) fn with_etag(
    state: &AppState,
    sub: &Subscription,
    status: StatusCode,
    with_secret: bool,
) -> Response {
    with_warnings(state, sub, status, with_secret, Vec::new())
}

fn with_warnings(
    state: &AppState,
    sub: &Subscription,
    status: StatusCode,
    with_secret: bool,
    warnings: Vec<String>,
) -> Response {
    let mut out = SubscriptionOut::from_model(sub, with_secret);
    out.circuit = state.dispatcher.circuit(&sub.id).map(Into::into);
    out.warnings = warnings;
    let mut response = (status, Json(out)).into_response();
    if let Ok(v) = HeaderValue::from_str(&sub.etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

fn scheme_from(io: Option<&SigningIo>) -> ApiResult<Scheme> {
    let Some(io) = io else {
        return Ok(Scheme::StandardWebhooks);
    };
    match (&io.scheme, &io.header) {
        (SchemeIo::StandardWebhooks, None) => Ok(Scheme::StandardWebhooks),
        (SchemeIo::StandardWebhooks, Some(_)) => Err(ApiError::invalid(
            "invalid_signing",
            "standard-webhooks uses fixed header names; remove `header`",
        )),
        (SchemeIo::BodySignature, None) => Ok(Scheme::BodySignature),
        (SchemeIo::BodySignature, Some(_)) => Err(ApiError::invalid(
            "invalid_signing",
            "body-signature signs inside the body; remove `header`",
        )),
        (scheme @ (SchemeIo::HexHmac | SchemeIo::TimestampedHmac), header) => {
            let hex = matches!(scheme, SchemeIo::HexHmac);
            let default = if hex {
                "X-Hookshape-Hmac"
            } else {
                "officernd-signature"
            };
            let header = header.clone().unwrap_or_else(|| default.into());
            let token = !header.is_empty()
                && header.len() <= 64
                && header
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            let lower = header.to_ascii_lowercase();
            let reserved = ["content-type", "content-length", "host", "user-agent"]
                .contains(&lower.as_str())
                || lower.starts_with("webhook-");
            if !token || reserved {
                return Err(ApiError::invalid(
                    "invalid_signing",
                    format!("`{header}` cannot be a signature header"),
                ));
            }
            Ok(if hex {
                Scheme::HexHmac { header }
            } else {
                Scheme::TimestampedHmac { header }
            })
        }
    }
}

pub(super) async fn plugin_from(
    state: &AppState,
    ws: &str,
    io: Option<&PluginRefIo>,
) -> ApiResult<Option<PluginRef>> {
    let Some(io) = io else { return Ok(None) };
    if state
        .dispatcher
        .store()
        .plugin_in(ws, &io.id)
        .await?
        .is_none()
    {
        return Err(ApiError::invalid(
            "unknown_plugin",
            format!("no plugin `{}`; upload it with POST /v1/plugins", io.id),
        ));
    }
    let config = io.config.clone().unwrap_or_else(|| serde_json::json!({}));
    let limits = io
        .limits
        .clone()
        .unwrap_or_default()
        .apply(state.plugin_limits);
    limits
        .check(state.dispatcher.runtime().ceilings())
        .map_err(|detail| ApiError::invalid("invalid_limits", detail))?;
    Ok(Some(PluginRef {
        id: io.id.clone(),
        config,
        limits,
    }))
}

fn retry_from(retry: &super::wire::RetryIo) -> ApiResult<model::RetrySchedule> {
    retry
        .parse()
        .map_err(|detail| ApiError::invalid("invalid_retry", detail))
}

/// The longest endpoint URL (browsers and proxies agree on about this much).
pub const MAX_URL_BYTES: usize = 2048;
/// The most event types or patterns one subscription may list.
pub const MAX_EVENT_PATTERNS: usize = 256;

/// Checks everything about a subscription before it is stored, its plugin's config included.
async fn validate(state: &AppState, sub: &Subscription) -> ApiResult<()> {
    // Checked before anything else looks at it: every attempt records the URL.
    if sub.url.len() > MAX_URL_BYTES {
        return Err(ApiError::invalid(
            "invalid_url",
            format!("`url` is longer than {MAX_URL_BYTES} bytes"),
        ));
    }
    if sub.events.len() > MAX_EVENT_PATTERNS {
        return Err(ApiError::invalid(
            "invalid_event_type",
            format!("`events` lists more than {MAX_EVENT_PATTERNS} event types or patterns"),
        ));
    }
    state
        .dispatcher
        .sender()
        .check_url(&sub.url, state.allow_http)
        .map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    state
        .dispatcher
        .sender()
        .check_url_resolves(&sub.url)
        .await
        .map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    if sub.events.is_empty() {
        return Err(ApiError::invalid(
            "invalid_event_type",
            "`events` must list at least one event type or pattern",
        ));
    }
    for pattern in &sub.events {
        EventPattern::parse(pattern)
            .map_err(|e| ApiError::invalid("invalid_event_type", e.to_string()))?;
    }
    if sub.description.as_ref().is_some_and(|d| d.len() > 1024) {
        return Err(ApiError::invalid(
            "invalid_body",
            "`description` is longer than 1024 bytes",
        ));
    }
    if sub.metadata.len() > 64
        || sub
            .metadata
            .iter()
            .any(|(k, v)| k.len() > 128 || v.len() > 1024)
    {
        return Err(ApiError::invalid(
            "invalid_body",
            "`metadata` allows 64 entries, keys up to 128 and values up to 1024 bytes",
        ));
    }
    if let Some(fields) = &sub.fields {
        let valid = !fields.is_empty()
            && fields.len() <= 256
            && fields.iter().all(|f| !f.is_empty() && f.len() <= 128);
        if !valid {
            return Err(ApiError::invalid(
                "invalid_fields",
                "`fields` lists 1 to 256 top-level field names of up to 128 bytes",
            ));
        }
    }
    if let Some(batch) = &sub.batch {
        let valid = (1..=1000).contains(&batch.max_events)
            && batch.max_wait_ms <= 3_600_000
            && batch
                .items_at
                .as_ref()
                .is_none_or(|p| p.starts_with('/') && p.len() <= 256);
        if !valid {
            return Err(ApiError::invalid(
                "invalid_batch",
                "`batch` needs `maxEvents` 1 to 1000, `maxWaitMs` 0 to 3600000 and an \
                 `itemsAt` JSON pointer such as `/events`",
            ));
        }
    }
    if let Some(rate) = &sub.rate_limit
        && !((1..=10_000).contains(&rate.per_second) && (1..=10_000).contains(&rate.burst))
    {
        return Err(ApiError::invalid(
            "invalid_rate_limit",
            "`rateLimit` needs `perSecond` and `burst` from 1 to 10000",
        ));
    }
    if let Some(order) = &sub.ordering {
        if !crate::dispatch::valid_ordering_key(&order.key) {
            return Err(ApiError::invalid(
                "invalid_ordering",
                "`ordering.key` is a dotted path in the event: `object.id`, \
                 `object.account.id`, `previous.id`, `tenant` or `type`",
            ));
        }
        if sub.batch.is_some() {
            return Err(ApiError::invalid(
                "invalid_ordering",
                "`ordering` and `batch` do not go together: a batch has no single key",
            ));
        }
    }
    check_headers(sub)?;
    for s in &sub.secrets {
        sub.signing
            .accepts_secret(&s.value)
            .map_err(|e| ApiError::invalid("invalid_secret", e.to_string()))?;
    }
    check_plugin(state, sub).await
}

/// Prepares the subscription's plugin once with its config: a refused config is a 422.
pub(super) async fn check_plugin(state: &AppState, sub: &Subscription) -> ApiResult<()> {
    match state.dispatcher.check_plugin(sub).await {
        Ok(()) => Ok(()),
        Err(PrepareError::Config(Failure::Config { message })) => {
            Err(ApiError::invalid("invalid_plugin_config", message))
        }
        Err(PrepareError::Config(Failure::Limits { detail })) => {
            Err(ApiError::invalid("invalid_limits", detail))
        }
        Err(PrepareError::Config(failure)) => Err(ApiError::invalid(
            "invalid_plugin_config",
            format!("the plugin failed while reading its config: {failure}"),
        )),
        Err(PrepareError::UnknownPlugin(id)) => Err(ApiError::invalid(
            "unknown_plugin",
            format!("no plugin `{id}`"),
        )),
        Err(PrepareError::Load(e)) => Err(ApiError::invalid(e.code(), e.to_string())),
        Err(PrepareError::Store(e)) => Err(e.into()),
    }
}

/// Static headers: at most 20, valid names, values without control characters (4 KiB at
/// most), none the host or the signature sets.
fn check_headers(sub: &Subscription) -> ApiResult<()> {
    let signing = sub.signing.header_names();
    if sub.headers.len() > 20 {
        return Err(ApiError::invalid("invalid_headers", "at most 20 `headers`"));
    }
    for (name, value) in &sub.headers {
        if !http_header::valid_name(name) || value.len() > 4096 || !http_header::valid_value(value)
        {
            return Err(ApiError::invalid(
                "invalid_headers",
                format!(
                    "header {name:?}: a token name and a value of up to 4096 bytes without \
                     control characters"
                ),
            ));
        }
        if http_header::host_owned(name) || signing.contains(&name.to_ascii_lowercase()) {
            return Err(ApiError::invalid(
                "invalid_headers",
                format!("header {name:?} is set by hookshape"),
            ));
        }
    }
    Ok(())
}

/// Puts a stored subscription into service (its plugin is prepared on the plugin threads).
pub(super) async fn activate(state: &AppState, sub: Subscription) -> ApiResult<()> {
    state.dispatcher.load(sub).await;
    Ok(())
}

/// Create a subscription. The secret is generated when absent and shown only here and at
/// `GET /v1/subscriptions/{id}/secret`.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions", operation_id = "create_subscription", tag = "subscriptions",
    request_body = SubscriptionIn,
    responses(
        (status = 201, body = SubscriptionOut),
        (status = 409, body = ErrorBody, description = "quota_exceeded"),
        (status = 422, body = ErrorBody, description = "invalid_url, https_required, blocked_address, invalid_event_type, unknown_plugin, invalid_plugin_config, invalid_limits, invalid_signing, invalid_secret, invalid_fields, invalid_batch, invalid_retry, invalid_body"),
    ),
    security(("bearer" = [])))]
async fn create(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Json(input): Json<SubscriptionIn>,
) -> ApiResult<Response> {
    let now = time::now_ms();
    let ws = scope.workspace;
    let quota = state.quotas.max_subscriptions;
    if state
        .dispatcher
        .store()
        .subscription_ids_in(&ws)
        .await?
        .len()
        >= quota
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "quota_exceeded",
            format!("the workspace holds its maximum of {quota} subscriptions"),
        ));
    }
    let signing = scheme_from(input.signing.as_ref())?;
    let plugin = plugin_from(&state, &ws, input.plugin.as_ref()).await?;
    let secret = input.secret.unwrap_or_else(sign::generate_secret);
    let mut sub = Subscription {
        id: model::new_id("sub"),
        workspace: ws,
        live: input.live.unwrap_or(true),
        created_ms: now,
        updated_ms: now,
        url: input.url,
        description: input.description,
        events: input.events,
        status: input.status.map_or(model::Status::Enabled, Into::into),
        disabled_reason: None,
        metadata: input.metadata,
        plugin,
        candidate: None,
        previous_plugin: None,
        plugin_history: Vec::new(),
        signing,
        fields: input.fields,
        batch: input.batch.map(Into::into),
        rate_limit: input.rate_limit.map(Into::into),
        retry: input.retry.as_ref().map(retry_from).transpose()?,
        ordering: input.ordering.map(|o| model::DeliveryOrder { key: o.key }),
        secrets: vec![Secret {
            value: secret,
            created_ms: now,
            expires_ms: None,
        }],
        headers: input.headers,
        etag: String::new(),
    };
    sub.etag = sub.new_etag();
    validate(&state, &sub).await?;
    state.dispatcher.store().put_subscription(&sub).await?;
    activate(&state, sub.clone()).await?;
    let warnings = catalog_warnings(&state, &sub).await?;
    Ok(with_warnings(
        &state,
        &sub,
        StatusCode::CREATED,
        true,
        warnings,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Page size, 1 to 250 (default 50).
    limit: Option<usize>,
    /// Cursor: the `nextCursor` of the previous page.
    after: Option<String>,
}

/// List subscriptions, oldest first.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/subscriptions", operation_id = "list_subscriptions", tag = "subscriptions", params(ListQuery),
    responses((status = 200, body = ListOut<SubscriptionOut>), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
async fn list(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<ListOut<SubscriptionOut>>> {
    let limit = query::limit(q.limit);
    let all = state
        .dispatcher
        .store()
        .subscriptions_in(&scope.workspace)
        .await?;
    let page: Vec<&Subscription> = all
        .iter()
        .filter(|s| q.after.as_ref().is_none_or(|a| s.id.as_str() > a.as_str()))
        .take(limit + 1)
        .collect();
    Ok(Json(ListOut::page(
        page,
        limit,
        |s| s.id.clone(),
        |s| {
            let mut out = SubscriptionOut::from_model(s, false);
            out.circuit = state.dispatcher.circuit(&s.id).map(Into::into);
            out
        },
    )))
}

pub(super) async fn load(state: &AppState, ws: &str, id: &str) -> ApiResult<Subscription> {
    state
        .dispatcher
        .store()
        .subscription(ws, id)
        .await?
        .ok_or_else(|| ApiError::not_found("subscription"))
}

/// Show a subscription (its secret is not included).
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/subscriptions/{id}", operation_id = "show_subscription", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(with_etag(
        &state,
        &load(&state, &scope.workspace, &id).await?,
        StatusCode::OK,
        false,
    ))
}

/// Change a subscription. Send `If-Match: <etag>` to refuse the change (412) when someone
/// else changed it since you read it.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(patch, path = "/v1/subscriptions/{id}", operation_id = "update_subscription", tag = "subscriptions",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "the etag you read")),
    request_body = SubscriptionPatch,
    responses(
        (status = 200, body = SubscriptionOut),
        (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody, description = "etag_mismatch"),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn patch(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(change): Json<SubscriptionPatch>,
) -> ApiResult<Response> {
    let ws = scope.workspace;
    let current = load(&state, &ws, &id).await?;
    let if_match = headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or_default().trim().to_owned());
    if if_match.as_ref().is_some_and(|tag| *tag != current.etag) {
        return Err(stale());
    }
    let mut next = current.clone();
    if let Some(url) = change.url {
        next.url = url;
    }
    if let Some(description) = change.description {
        next.description = description;
    }
    if let Some(events) = change.events {
        next.events = events;
    }
    if let Some(status) = change.status {
        next.status = status.into();
        if next.status == model::Status::Enabled {
            next.disabled_reason = None;
        }
    }
    if let Some(metadata) = change.metadata {
        next.metadata = metadata;
    }
    if let Some(plugin) = change.plugin {
        // Fields absent from the new reference stay as they were: `{"plugin": {"id": new}}`
        // upgrades the plugin and keeps its config and limits.
        let merged = plugin.map(|mut io| {
            if let Some(old) = &current.plugin {
                io.config = io.config.or_else(|| Some(old.config.clone()));
                io.limits = Some(io.limits.unwrap_or_default().or(&old.limits));
            }
            io
        });
        let plugin = plugin_from(&state, &ws, merged.as_ref()).await?;
        // A changed plugin is a change of version like a promotion: a rollback undoes it.
        if plugin != current.plugin {
            next.replace_plugin(plugin, time::now_ms(), "update");
        }
    }
    if let Some(signing) = change.signing {
        next.signing = scheme_from(Some(&signing))?;
    }
    if let Some(fields) = change.fields {
        next.fields = fields;
    }
    if let Some(batch) = change.batch {
        next.batch = batch.map(Into::into);
    }
    if let Some(retry) = change.retry {
        next.retry = retry.as_ref().map(retry_from).transpose()?;
    }
    if let Some(rate) = change.rate_limit {
        next.rate_limit = rate.map(Into::into);
    }
    if let Some(ordering) = change.ordering {
        next.ordering = ordering.map(|o| model::DeliveryOrder { key: o.key });
    }
    if let Some(headers) = change.headers {
        next.headers = headers;
    }
    next.updated_ms = time::now_ms();
    validate(&state, &next).await?;
    let updated = state
        .dispatcher
        .store()
        .update_subscription(&ws, &id, Some(&current.etag), |s| {
            let etag = std::mem::take(&mut s.etag);
            *s = next.clone();
            s.etag = etag;
            Ok::<(), ()>(())
        })
        .await?;
    match updated {
        Ok(Updated::Done(sub)) => {
            activate(&state, sub.clone()).await?;
            let warnings = catalog_warnings(&state, &sub).await?;
            Ok(with_warnings(&state, &sub, StatusCode::OK, false, warnings))
        }
        Ok(Updated::NotFound) => Err(ApiError::not_found("subscription")),
        Ok(Updated::Stale) | Err(()) => Err(stale()),
    }
}

pub(super) fn stale() -> ApiError {
    ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "etag_mismatch",
        "the subscription changed since you read it; read it again",
    )
}

/// Delete a subscription. Its queued deliveries fail with `subscription deleted`.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(delete, path = "/v1/subscriptions/{id}", operation_id = "delete_subscription", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !state
        .dispatcher
        .store()
        .delete_subscription(&scope.workspace, &id)
        .await?
    {
        return Err(ApiError::not_found("subscription"));
    }
    state.dispatcher.unload(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn secret_out(sub: &Subscription) -> SecretOut {
    let now = time::now_ms();
    let live: Vec<&Secret> = sub
        .secrets
        .iter()
        .filter(|s| s.expires_ms.is_none_or(|e| e > now))
        .collect();
    SecretOut {
        secret: live.first().map(|s| s.value.clone()).unwrap_or_default(),
        previous: live
            .iter()
            .skip(1)
            .map(|s| PreviousSecretOut {
                secret: s.value.clone(),
                expires: time::rfc3339_ms(s.expires_ms.unwrap_or(now)),
            })
            .collect(),
    }
}

/// Reveal the signing secret (and earlier ones still signing during a rotation).
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(get, path = "/v1/subscriptions/{id}/secret", operation_id = "reveal_secret", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SecretOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn secret(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<SecretOut>> {
    Ok(Json(secret_out(
        &load(&state, &scope.workspace, &id).await?,
    )))
}

/// Rotate the signing secret. The old one keeps signing beside the new one for the overlap
/// (default 24 h), so receivers can switch without missing a request.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/secret/rotate", operation_id = "rotate_secret", tag = "subscriptions",
    params(("id" = String, Path)),
    request_body(content = Option<RotateIn>),
    responses((status = 200, body = SecretOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn rotate(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<SecretOut>> {
    // The body is optional, so it is read as bytes rather than required as JSON.
    let body = body?;
    let input: RotateIn = if body.iter().all(u8::is_ascii_whitespace) {
        RotateIn::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                ApiError::invalid("invalid_body", e.to_string())
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.to_string())
            }
        })?
    };
    let current = load(&state, &scope.workspace, &id).await?;
    let secret = input.secret.unwrap_or_else(sign::generate_secret);
    current
        .signing
        .accepts_secret(&secret)
        .map_err(|e| ApiError::invalid("invalid_secret", e.to_string()))?;
    let overlap_ms = input
        .overlap_seconds
        .map_or(state.rotation_overlap_ms, |s| s.saturating_mul(1000));
    let now = time::now_ms();
    let updated = state
        .dispatcher
        .store()
        .update_subscription(&scope.workspace, &id, None, |s| {
            s.secrets.retain(|x| x.expires_ms.is_none_or(|e| e > now));
            for old in &mut s.secrets {
                let until = now.saturating_add(overlap_ms);
                old.expires_ms = Some(old.expires_ms.map_or(until, |e| e.min(until)));
            }
            s.secrets.insert(
                0,
                Secret {
                    value: secret.clone(),
                    created_ms: now,
                    expires_ms: None,
                },
            );
            s.updated_ms = now;
            Ok::<(), ()>(())
        })
        .await?;
    match updated {
        Ok(Updated::Done(sub)) => {
            let out = secret_out(&sub);
            activate(&state, sub).await?;
            Ok(Json(out))
        }
        _ => Err(ApiError::not_found("subscription")),
    }
}

/// Deliver a synthetic `hookshape.test` event to the subscription now and return the
/// attempt (whatever its event filter and status; not retried).
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/test", operation_id = "test_subscription", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = AttemptOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn test(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<AttemptOut>> {
    load(&state, &scope.workspace, &id).await?;
    match state.dispatcher.send_test(&scope.workspace, &id).await {
        Ok(attempt) => Ok(Json(attempt.into())),
        Err(DispatchError::NoSubscription | DispatchError::NotFound) => {
            Err(ApiError::not_found("subscription"))
        }
        Err(e) => Err(ApiError::internal(&e)),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
struct DeliveriesQuery {
    /// `pending`, `succeeded`, `dropped` or `failed`.
    status: Option<String>,
    /// Page size, 1 to 250 (default 50).
    limit: Option<usize>,
    /// Cursor: the `nextCursor` of the previous page.
    before: Option<String>,
}

/// A subscription's deliveries, newest first.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/subscriptions/{id}/deliveries", operation_id = "list_subscription_deliveries", tag = "deliveries",
    params(("id" = String, Path), DeliveriesQuery),
    responses((status = 200, body = ListOut<DeliveryOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn deliveries(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<DeliveriesQuery>,
) -> ApiResult<Json<ListOut<DeliveryOut>>> {
    load(&state, &scope.workspace, &id).await?;
    let status = query::status(q.status.as_deref())?;
    let limit = query::limit(q.limit);
    let page = state
        .dispatcher
        .store()
        .deliveries_of_subscription(
            &id,
            crate::store::DeliveryRange {
                status,
                before: q.before.as_deref(),
                from: None,
            },
            limit + 1,
        )
        .await?;
    Ok(Json(ListOut::page(
        page,
        limit,
        |d| d.id.clone(),
        |d| DeliveryOut::from(d),
    )))
}

/// Event types a subscription names that the workspace's catalog does not list (when it has
/// a catalog at all): likely typos, accepted but pointed out.
async fn catalog_warnings(state: &AppState, sub: &Subscription) -> ApiResult<Vec<String>> {
    let catalog = state.dispatcher.store().catalog(&sub.workspace).await?;
    if catalog.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sub
        .events
        .iter()
        .filter(|e| !e.contains('*') && !catalog.iter().any(|c| &c.name == *e))
        .map(|e| format!("event type `{e}` is not in the catalog"))
        .collect())
}
