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
    let limit = query::limit(q.limit);
    let store = state.dispatcher.store();
    // Each subscription's newest first; merged by id (ids sort by creation).
    let mut page: Vec<Delivery> = Vec::new();
    for sub in store.subscription_ids_in(&scope.workspace)? {
        let mut found =
            store.deliveries_of_subscription(&sub, status, q.before.as_deref(), 1_000)?;
        found.retain(|d| {
            pattern.as_ref().is_none_or(|p| p.matches(&d.event_type))
                && since.is_none_or(|s| d.created_ms >= s)
        });
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
        .delivery(&id)?
        .filter(|d| d.workspace == scope.workspace)
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    let attempts = store.attempts(&id)?;
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
