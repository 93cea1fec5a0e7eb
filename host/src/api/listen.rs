//! `/v1/listen/{session}`: where `hookshape listen --forward-to` takes the deliveries of its
//! `listen:<session>` subscription (a long poll) and says what its local app answered.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use crate::deliver::relay::{self, Answer};

/// The longest a poll waits for a delivery.
const MAX_WAIT_S: u64 = 30;
/// The most of an app's answer kept.
const MAX_ANSWER_BODY: usize = 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(take))
        .routes(routes!(answer))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TakeQuery {
    /// Seconds to wait for a delivery when none waits (at most 30) [default: 20].
    wait: Option<u64>,
}

/// A delivery to forward, as it would have been sent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelayedOut {
    pub id: String,
    /// The request's headers, signature included (besides `content-type: application/json`).
    /// `[name, value]` pairs, in order.
    #[schema(value_type = Vec<Vec<String>>)]
    pub headers: Vec<(String, String)>,
    /// The body, base64: the bytes the signature covers.
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelayedList {
    pub data: Vec<RelayedOut>,
}

/// What the local app answered, or why it could not be reached.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerIn {
    pub status: Option<u16>,
    /// The app's response body (kept up to 64 KiB).
    pub body: Option<String>,
    pub elapsed_ms: Option<u64>,
    /// Set instead of `status` when the app could not be reached.
    pub error: Option<String>,
}

fn check_session(session: &str) -> ApiResult<()> {
    relay::session_of(&format!("{}{session}", relay::SCHEME))
        .map(|_| ())
        .ok_or_else(|| {
            ApiError::invalid(
                "invalid_session",
                "a session id is 1 to 64 letters, digits, `-` and `_`",
            )
        })
}

/// Take the deliveries waiting for a `hookshape listen` session (a long poll). Polling is what
/// keeps the session connected: its subscription's deliveries fail as "not connected" 45
/// seconds after its last poll.
///
/// Needs `manage`.
#[utoipa::path(get, path = "/v1/listen/{session}", operation_id = "listen_take", tag = "subscriptions",
    params(("session" = String, Path, description = "the session id of a `listen:<session>` subscription"), TakeQuery),
    responses(
        (status = 200, body = RelayedList, description = "the waiting deliveries (none when the wait ran out)"),
        (status = 422, body = ErrorBody, description = "invalid_session"),
        (status = 503, body = ErrorBody, description = "too_many_sessions"),
    ),
    security(("bearer" = [])))]
async fn take(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(session): Path<String>,
    Query(q): Query<TakeQuery>,
) -> ApiResult<Json<RelayedList>> {
    check_session(&session)?;
    let wait = Duration::from_secs(q.wait.unwrap_or(20).min(MAX_WAIT_S));
    let taken = state
        .dispatcher
        .sender()
        .relays()
        .take(&scope.workspace, &session, wait)
        .await
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too_many_sessions",
                "this node holds as many listen sessions as it may; try again later",
            )
        })?;
    let data = taken
        .into_iter()
        .map(|r| RelayedOut {
            id: r.id,
            headers: r.headers,
            body: base64::engine::general_purpose::STANDARD.encode(&r.body),
        })
        .collect();
    Ok(Json(RelayedList { data }))
}

/// Say what the local app answered to a delivery taken from the session; it is recorded as
/// the attempt's response.
///
/// Needs `manage`.
#[utoipa::path(post, path = "/v1/listen/{session}/{request}", operation_id = "listen_answer", tag = "subscriptions",
    params(
        ("session" = String, Path, description = "the session id"),
        ("request" = String, Path, description = "the id of a delivery taken from it"),
    ),
    request_body = AnswerIn,
    responses(
        (status = 204, description = "recorded"),
        (status = 404, body = ErrorBody, description = "no such delivery waits (answered, or timed out)"),
        (status = 422, body = ErrorBody, description = "invalid_answer"),
    ),
    security(("bearer" = [])))]
async fn answer(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path((session, request)): Path<(String, String)>,
    Json(input): Json<AnswerIn>,
) -> ApiResult<StatusCode> {
    check_session(&session)?;
    let cut = |mut s: String, limit: usize| {
        if s.len() > limit {
            let mut end = limit;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.truncate(end);
        }
        s
    };
    let answer = match (input.status, input.error) {
        (Some(status), None) if (100..=599).contains(&status) => Answer::Response {
            status,
            body: cut(input.body.unwrap_or_default(), MAX_ANSWER_BODY),
            elapsed: Duration::from_millis(input.elapsed_ms.unwrap_or(0)),
        },
        (None, Some(error)) => Answer::Failed(cut(error, 1024)),
        _ => {
            return Err(ApiError::invalid(
                "invalid_answer",
                "give either `status` (100 to 599) or `error`",
            ));
        }
    };
    let relays = state.dispatcher.sender().relays();
    if relays.answer(&scope.workspace, &session, &request, answer) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("waiting delivery"))
    }
}
