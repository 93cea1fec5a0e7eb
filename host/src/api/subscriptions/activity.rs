//! What a subscription has sent: a test event now, and its deliveries page by page.

use super::*;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(test))
        .routes(routes!(deliveries))
}

/// What a test send sends (no body: a `hookshape.test` event).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestIn {
    /// Send this event type's catalog example instead, shaped by the subscription's plugin
    /// as a real event would be.
    pub event_type: Option<String>,
}

/// Deliver a synthetic `hookshape.test` event, or an event type's catalog example, to the
/// subscription now and return the attempt (whatever its event filter and status; not
/// retried).
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/test", operation_id = "test_subscription", tag = "subscriptions",
    params(("id" = String, Path)),
    request_body(content = Option<TestIn>, description = "optional"),
    responses(
        (status = 200, body = AttemptOut),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "no_example: the event type has no example in the catalog"),
    ),
    security(("bearer" = [])))]
pub(super) async fn test(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    input: Option<Json<TestIn>>,
) -> ApiResult<Json<AttemptOut>> {
    load(&state, &scope.workspace, &id).await?;
    let event_type = input.and_then(|Json(t)| t.event_type);
    let example = match &event_type {
        None => None,
        Some(name) => {
            let entry = state
                .dispatcher
                .store()
                .effective_catalog_entry(&scope.workspace, name)
                .await?
                .ok_or_else(|| ApiError::not_found("event type"))?;
            let example = entry.example.ok_or_else(|| {
                ApiError::invalid(
                    "no_example",
                    format!("`{name}` has no example in the catalog"),
                )
            })?;
            Some((name.clone(), example))
        }
    };
    let example = example.as_ref().map(|(n, v)| (n.as_str(), v));
    match state
        .dispatcher
        .send_test(&scope.workspace, &id, example)
        .await
    {
        Ok(attempt) => Ok(Json(attempt.into())),
        Err(DispatchError::NoSubscription | DispatchError::NotFound) => {
            Err(ApiError::not_found("subscription"))
        }
        Err(e) => Err(ApiError::internal(&e)),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct DeliveriesQuery {
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
pub(super) async fn deliveries(
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
