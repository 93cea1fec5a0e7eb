//! `/v1/deliveries`: one delivery with its attempts, and manual retry.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path};
use super::wire::{AttemptOut, DeliveryDetailOut, DeliveryOut};
use crate::dispatch::DispatchError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(retry))
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
