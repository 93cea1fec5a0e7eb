//! `/v1/events`: publish, and an event's deliveries.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Admin;
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path};
use super::wire::{DeliveryOut, EventAccepted, EventIn, ListOut};
use crate::model::{Event, EventError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(publish))
        .routes(routes!(deliveries))
}

/// Publish an event. Answers 202 only once the event and one delivery job per matching
/// enabled subscription are on disk. Re-posting an `id` returns the same event and creates
/// nothing new.
#[utoipa::path(post, path = "/v1/events", tag = "events",
    request_body = EventIn,
    responses(
        (status = 202, body = EventAccepted),
        (status = 400, body = ErrorBody, description = "malformed_json"),
        (status = 413, body = ErrorBody, description = "body_too_large"),
        (status = 422, body = ErrorBody, description = "invalid_event_type, invalid_event_id, invalid_occurred_at, invalid_tenant, invalid_body"),
    ),
    security(("bearer" = [])))]
async fn publish(
    _: Admin,
    State(state): State<AppState>,
    Json(input): Json<EventIn>,
) -> ApiResult<(StatusCode, Json<EventAccepted>)> {
    let event = Event::new(
        &input.event_type,
        &input.object,
        input.previous.as_ref(),
        input.tenant,
        input.id,
        input.occurred_at.as_deref(),
    )
    .map_err(|e| {
        let code = match e {
            EventError::Type(_) => "invalid_event_type",
            EventError::Id => "invalid_event_id",
            EventError::OccurredAt => "invalid_occurred_at",
            EventError::Tenant => "invalid_tenant",
        };
        ApiError::invalid(code, e.to_string())
    })?;
    let (event, deliveries, created) = state.dispatcher.publish(event).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(EventAccepted {
            id: event.id,
            deliveries: deliveries.len(),
            duplicate: !created,
        }),
    ))
}

/// An event's deliveries, one per subscription it went to.
#[utoipa::path(get, path = "/v1/events/{id}/deliveries", tag = "deliveries",
    params(("id" = String, Path)),
    responses((status = 200, body = ListOut<DeliveryOut>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn deliveries(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ListOut<DeliveryOut>>> {
    let store = state.dispatcher.store();
    if store.event(&id)?.is_none() {
        return Err(ApiError::not_found("event"));
    }
    let data = store
        .deliveries_of_event(&id)?
        .iter()
        .map(DeliveryOut::from)
        .collect();
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}
