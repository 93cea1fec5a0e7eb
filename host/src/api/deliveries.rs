//! `/v1/deliveries`: one delivery with its attempts, and manual retry.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use super::query;
use super::wire::{AttemptOut, DeliveryDetailOut, DeliveryOut, ListOut};
use crate::dispatch::DispatchError;
use crate::model::Delivery;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_deliveries))
        .routes(routes!(show))
        .routes(routes!(retry))
        .routes(routes!(recover))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct DeliveriesQuery {
    /// `pending`, `succeeded`, `dropped` or `failed`.
    status: Option<String>,
    /// Only deliveries of events of this type, or these types (`member.*`).
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only deliveries made at or after this time (RFC 3339).
    since: Option<String>,
    /// Only deliveries made before this time (RFC 3339).
    until: Option<String>,
    /// Only deliveries of this subscription.
    subscription: Option<String>,
    /// Page size, 1 to 250 (default 50).
    limit: Option<usize>,
    /// Cursor: the `nextCursor` of the previous page.
    before: Option<String>,
}

/// The workspace's deliveries across its subscriptions, newest first.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/deliveries", operation_id = "list_deliveries", tag = "deliveries",
    params(DeliveriesQuery),
    responses((status = 200, body = ListOut<DeliveryOut>), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
async fn list_deliveries(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Query(q): Query<DeliveriesQuery>,
) -> ApiResult<Json<ListOut<DeliveryOut>>> {
    let status = query::status(q.status.as_deref())?;
    let pattern = query::pattern(q.event_type.as_deref())?;
    let since = query::since(q.since.as_deref())?;
    let until = query::since(q.until.as_deref())?;
    let limit = query::limit(q.limit);
    let store = state.dispatcher.store();
    let mut subs = store.subscription_ids_in(&scope.workspace).await?;
    if let Some(only) = &q.subscription {
        subs.retain(|s| s == only);
    }
    // Each subscription's newest first, from the status index and within the time range;
    // merged by id (ids sort by creation).
    let ids = query::DeliveryIds::new(status, q.before.as_deref(), since, until);
    let wanted = if pattern.is_some() { 1_000 } else { limit + 1 };
    let mut page: Vec<Delivery> = Vec::new();
    for sub in subs {
        let mut found = store
            .deliveries_of_subscription(&sub, ids.range(), wanted)
            .await?;
        found.retain(|d| pattern.as_ref().is_none_or(|p| p.matches(&d.event_type)));
        found.truncate(limit + 1);
        page.extend(found);
    }
    page.sort_by(|a, b| b.id.cmp(&a.id));
    page.truncate(limit + 1);
    Ok(Json(ListOut::page(
        page,
        limit,
        |d| d.id.clone(),
        |d| DeliveryOut::from(d),
    )))
}

/// A delivery with every attempt: request as sent, response as received, reason of failure.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/deliveries/{id}", operation_id = "show_delivery", tag = "deliveries",
    params(("id" = String, Path)),
    responses((status = 200, body = DeliveryDetailOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<DeliveryDetailOut>> {
    let store = state.dispatcher.store();
    let delivery = store
        .delivery(&id)
        .await?
        .filter(|d| d.workspace == scope.workspace)
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    let mut attempts = store.attempts(&id).await?;
    if attempts
        .iter()
        .any(|a| a.request.as_ref().is_some_and(|r| r.body_is_default))
    {
        let event = store.event(&delivery.event_key()).await?;
        for a in &mut attempts {
            a.restore_body(event.as_ref());
        }
    }
    Ok(Json(DeliveryDetailOut {
        delivery: DeliveryOut::from(&delivery),
        attempt_log: attempts.into_iter().map(AttemptOut::from).collect(),
    }))
}

/// Attempt a delivery again now, and return the attempt.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/deliveries/{id}/retry", operation_id = "retry_delivery", tag = "deliveries",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = AttemptOut),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "delivery_busy, subscription_gone"),
    ),
    security(("bearer" = [])))]
async fn retry(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<AttemptOut>> {
    match state.dispatcher.retry_now(&scope.workspace, &id).await {
        Ok(attempt) => Ok(Json(attempt.into())),
        Err(DispatchError::NotFound) => Err(ApiError::not_found("delivery")),
        Err(DispatchError::Busy) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "delivery_busy",
            "the delivery is being attempted right now",
        )),
        Err(DispatchError::NoSubscription) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "subscription_gone",
            "the delivery's subscription was deleted",
        )),
        Err(DispatchError::Store(e)) => Err(e.into()),
    }
}

/// Which failed deliveries to recover.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecoverIn {
    /// Failed deliveries made at or after this time (RFC 3339).
    since: String,
    /// … and before this time (RFC 3339; default now).
    until: Option<String>,
    /// Only this subscription's.
    subscription_id: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecoverOut {
    /// Deliveries queued for a new attempt now.
    queued: usize,
}

/// Queue every failed delivery made between two times for a new attempt (after an outage of
/// the receiver). Each gets one attempt now and, if that fails, stays failed.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/deliveries/recover", operation_id = "recover_deliveries", tag = "deliveries",
    request_body = RecoverIn,
    responses(
        (status = 202, body = RecoverOut),
        (status = 400, body = ErrorBody, description = "invalid_time"),
    ),
    security(("bearer" = [])))]
async fn recover(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Json(input): Json<RecoverIn>,
) -> ApiResult<(StatusCode, Json<RecoverOut>)> {
    let since = query::since(Some(&input.since))?;
    let until = query::since(input.until.as_deref())?;
    let store = state.dispatcher.store();
    let mut subs = store.subscription_ids_in(&scope.workspace).await?;
    if let Some(only) = &input.subscription_id {
        subs.retain(|s| s == only);
    }
    let failed_between = query::DeliveryIds::new(
        Some(crate::model::DeliveryStatus::Failed),
        None,
        since,
        until,
    );
    let mut chosen = Vec::new();
    for sub in subs {
        let failed = store
            .deliveries_of_subscription(&sub, failed_between.range(), 100_000)
            .await?;
        chosen.extend(failed.into_iter().map(|d| d.id));
    }
    let queued = chosen.len();
    // Attempted in the background, a few at a time: the answer does not wait for receivers.
    let dispatcher = state.dispatcher.clone();
    let ws = scope.workspace.clone();
    tokio::spawn(async move {
        for id in chosen {
            if let Err(e) = dispatcher.retry_now(&ws, &id).await {
                tracing::debug!(delivery = %id, error = ?e, "recovery attempt not made");
            }
        }
    });
    Ok((StatusCode::ACCEPTED, Json(RecoverOut { queued })))
}
