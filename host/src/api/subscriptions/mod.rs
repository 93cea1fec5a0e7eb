//! `/v1/subscriptions`: create, list, show, change, delete; secret reveal and rotation; test
//! delivery; the subscription's deliveries.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod activity;
mod secrets;
mod validation;

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
use validation::{catalog_warnings, retry_from, scheme_from, validate};
pub(super) use validation::{check_plugin, plugin_from};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(show, patch, delete))
        .routes(routes!(close_circuit))
        .merge(secrets::router())
        .merge(activity::router())
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
    let mut out = shown(state, sub, with_secret);
    out.warnings = warnings;
    let mut response = (status, Json(out)).into_response();
    if let Ok(v) = HeaderValue::from_str(&sub.etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// A subscription as shown, with its circuit and its endpoint's health on this node.
fn shown(state: &AppState, sub: &Subscription, with_secret: bool) -> SubscriptionOut {
    let mut out = SubscriptionOut::from_model(sub, with_secret);
    out.circuit = state.dispatcher.circuit(&sub.id).map(Into::into);
    out.health = state.dispatcher.health(&sub.id).map(Into::into);
    out
}

/// The longest endpoint URL (browsers and proxies agree on about this much).
pub const MAX_URL_BYTES: usize = 2048;
/// The most event types or patterns one subscription may list.
pub const MAX_EVENT_PATTERNS: usize = 256;

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
        |s| shown(&state, s, false),
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
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    if if_match.is_some_and(|tags| !etag_matches(&tags, &current.etag)) {
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

/// Whether an `If-Match` value names `etag`: `*`, or any of its comma-separated tags with or
/// without the weak prefix and the quotes (clients copy the object's `etag` as it is, or as
/// Falu's documents show it, bare).
fn etag_matches(if_match: &str, etag: &str) -> bool {
    let opaque = |t: &str| {
        let t = t.trim();
        t.strip_prefix("W/")
            .unwrap_or(t)
            .trim_matches('"')
            .to_owned()
    };
    let current = opaque(etag);
    if_match
        .split(',')
        .any(|t| t.trim() == "*" || opaque(t) == current)
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

#[cfg(test)]
mod tests {
    use super::etag_matches;

    #[test]
    fn if_match_takes_the_etag_in_any_form_a_client_copies() {
        let etag = r#"W/"0123456789AB""#;
        for given in [
            etag,
            r#""0123456789AB""#,
            "0123456789AB",
            " W/\"0123456789AB\" ",
            r#"W/"other", W/"0123456789AB""#,
            "*",
        ] {
            assert!(etag_matches(given, etag), "{given}");
        }
        for given in [r#"W/"0123456789AC""#, "", "0123456789A"] {
            assert!(!etag_matches(given, etag), "{given}");
        }
    }
}
