//! `/v1/events`: publish, and an event's deliveries.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Publish, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use super::query;
use super::wire::{DeliveryOut, EventAccepted, EventIn, EventOut, ListOut};
use crate::model::{Event, EventError, Role, event_key};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(publish, list_events))
        .routes(routes!(show_event))
        .routes(routes!(deliveries))
}

/// An event as published.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/events/{id}", operation_id = "show_event", tag = "events",
    params(("id" = String, Path)),
    responses((status = 200, body = EventOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show_event(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<EventOut>> {
    let event = state
        .dispatcher
        .store()
        .event(&event_key(&scope.workspace, &id))
        .await?
        .ok_or_else(|| ApiError::not_found("event"))?;
    Ok(Json(EventOut::from(&event)))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct EventsQuery {
    /// Only events of this type, or of these types (`member.*`).
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only events received at or after this time (RFC 3339).
    since: Option<String>,
    /// Page size, 1 to 250 (default 50).
    limit: Option<usize>,
    /// Cursor: the `nextCursor` of the previous page.
    before: Option<String>,
}

/// The workspace's events, newest first.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/events", operation_id = "list_events", tag = "events",
    params(EventsQuery),
    responses((status = 200, body = ListOut<EventOut>), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
async fn list_events(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Query(q): Query<EventsQuery>,
) -> ApiResult<Json<ListOut<EventOut>>> {
    let pattern = query::pattern(q.event_type.as_deref())?;
    let since = query::since(q.since.as_deref())?;
    let before = match &q.before {
        Some(c) => {
            let (ms, key) = c
                .split_once('~')
                .and_then(|(ms, key)| Some((ms.parse::<u64>().ok()?, key.to_owned())))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_query",
                        "`before` is not a cursor this API gave",
                    )
                })?;
            (ms, key)
        }
        None => (u64::MAX, String::new()),
    };
    let limit = query::limit(q.limit);
    let ws = scope.workspace.clone();
    let events = state
        .dispatcher
        .store()
        .events_before(
            (before.0, &before.1),
            limit + 1,
            100_000,
            &|e: &crate::model::Event| {
                e.workspace == ws
                    && pattern.as_ref().is_none_or(|p| p.matches(&e.event_type))
                    && since.is_none_or(|s| e.received_ms >= s)
            },
        )
        .await?;
    Ok(Json(ListOut::page(
        events,
        limit,
        |e| format!("{}~{}", e.received_ms, e.key()),
        |e| EventOut::from(e),
    )))
}

/// Publish an event. Answers 202 only once the event and one delivery job per matching
/// enabled subscription are on disk. Re-posting an `id` returns the same event and creates
/// nothing new.
///
/// Needs `publish` (admin; publisher, of the workspace when scoped).
#[utoipa::path(post, path = "/v1/events", operation_id = "publish_event", tag = "events",
    params(("traceparent" = Option<String>, Header,
        description = "A W3C trace context: with tracing on, the publish and its attempts continue this trace")),
    request_body = EventIn,
    responses(
        (status = 202, body = EventAccepted),
        (status = 400, body = ErrorBody, description = "malformed_json"),
        (status = 413, body = ErrorBody, description = "body_too_large"),
        (status = 401, body = ErrorBody, description = "unauthorized"),
        (status = 403, body = ErrorBody, description = "forbidden: not a publishing token, or another workspace than the token's"),
        (status = 422, body = ErrorBody, description = "invalid_event_type, invalid_event_id, invalid_occurred_at, invalid_tenant, unknown_workspace, invalid_body, schema_mismatch"),
        (status = 429, body = ErrorBody, description = "rate_limited: the workspace's publish rate is used up; see Retry-After"),
    ),
    security(("bearer" = [])))]
async fn publish(
    scope: Scope<Publish>,
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Json(input): Json<EventIn>,
) -> ApiResult<(StatusCode, Json<EventAccepted>)> {
    let store = state.dispatcher.store();
    // `tenant` stands for the workspace when it names one (sources that predate workspaces
    // send it), and is kept for plugins either way.
    let (asked, found) = match (&input.workspace, &input.tenant) {
        (Some(ws), _) => (Some(ws.clone()), None),
        (None, Some(t)) if !scope.fixed => match store.workspace(t).await? {
            Some(w) => (Some(t.clone()), Some(w)),
            None => (None, None),
        },
        _ => (None, None),
    };
    let workspace = scope.publish_target(asked.as_deref())?;
    // Read once here; publishing routes by this record (its parent).
    let target = match found {
        Some(w) => w,
        None => store.workspace(&workspace).await?.ok_or_else(|| {
            ApiError::invalid("unknown_workspace", format!("no workspace `{workspace}`"))
        })?,
    };
    state.publish_rate.take(&workspace)?;
    // An event published into a workspace other than `default` is that workspace's tenant
    // unless it names one (Famly's `siteSetId` is on every event).
    let tenant = input
        .tenant
        .or_else(|| (workspace != crate::model::DEFAULT_WORKSPACE).then(|| workspace.clone()));
    let mut event = Event::new(
        &input.event_type,
        &input.object,
        input.previous.as_ref(),
        tenant,
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
    // A type the catalog gives a schema accepts only objects that match it.
    let rules = state
        .schemas
        .rules(store, &workspace, &input.event_type)
        .await?;
    if let Err(problem) = rules.check(&input.object) {
        return Err(ApiError::invalid(
            "schema_mismatch",
            format!(
                "the object does not match the schema of `{}`: {}",
                input.event_type, problem.0
            ),
        ));
    }
    event.live = input.live.unwrap_or(true);
    event.workspace = workspace;
    // The publisher's trace, which the publish continues when tracing is on.
    event.trace = headers
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if input.snapshot.unwrap_or(rules.snapshot) {
        super::snapshots::fill(
            store,
            &mut event,
            &input.object,
            rules.snapshot_key.as_deref(),
            state.snapshot_max_bytes,
        )
        .await?;
    }
    let (event, deliveries, created) = state.dispatcher.publish(event, &target).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(EventAccepted {
            id: event.id,
            workspace: event.workspace,
            deliveries: deliveries.len(),
            duplicate: !created,
        }),
    ))
}

/// An event's deliveries, one per subscription it went to. In an organisation, also the
/// deliveries to it of its sites' events of that id (each says its `eventWorkspace`).
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/events/{id}/deliveries", operation_id = "list_event_deliveries", tag = "deliveries",
    params(("id" = String, Path)),
    responses((status = 200, body = ListOut<DeliveryOut>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn deliveries(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ListOut<DeliveryOut>>> {
    let store = state.dispatcher.store();
    // The workspace's own event of that id, and those of its children (a site's events reach
    // its organisation's subscriptions): ids are unique per workspace only.
    let mut keys = Vec::new();
    let own = event_key(&scope.workspace, &id);
    if store.event(&own).await?.is_some() {
        keys.push(own);
    }
    for child in store.workspaces().await? {
        if child.parent.as_deref() == Some(scope.workspace.as_str()) {
            let key = event_key(&child.id, &id);
            if store.event(&key).await?.is_some() {
                keys.push(key);
            }
        }
    }
    if keys.is_empty() {
        return Err(ApiError::not_found("event"));
    }
    // An organisation's deliveries of a site's event are the organisation's to see.
    let mut data = Vec::new();
    for key in &keys {
        data.extend(
            store
                .deliveries_of_event(key)
                .await?
                .iter()
                .filter(|d| d.workspace == scope.workspace || scope.caller.role == Role::Admin)
                .map(DeliveryOut::from),
        );
    }
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}
