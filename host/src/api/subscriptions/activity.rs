//! What a subscription has sent: a test event now, and its deliveries page by page.

use super::*;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(test))
        .routes(routes!(deliveries))
}

/// Deliver a synthetic `hookshape.test` event to the subscription now and return the
/// attempt (whatever its event filter and status; not retried).
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/test", operation_id = "test_subscription", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = AttemptOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn test(
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
