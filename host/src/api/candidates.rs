//! `/v1/subscriptions/{id}/candidate`: try a new plugin version on live events beside the
//! current one, read how its output compares, then promote it, roll back, or stop it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path};
use super::subscriptions::{activate, check_plugin, load, plugin_from, stale, with_etag};
use super::wire::{CandidateOut, PluginRefIo, SubscriptionOut, plugin_ref_out};
use crate::dispatch::shadow::Difference;
use crate::model::{Candidate, Subscription, time};
use crate::store::Updated;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show, put, stop))
        .routes(routes!(promote))
        .routes(routes!(rollback))
}

/// A candidate to try.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CandidateIn {
    pub plugin: PluginRefIo,
    /// The share of events (0 to 100) sent with the candidate's output instead of the current
    /// one's: a canary. 0 (the default) only compares.
    #[serde(default)]
    pub percent: u8,
}

/// How a candidate's output compares with the current plugin's.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateReport {
    pub candidate: CandidateOut,
    /// Comparisons since the candidate started, on the node that answers: `match`,
    /// `differ`, `candidate_error`, `candidate_dropped`, `current_failed`, `skipped` (too
    /// many comparisons were waiting) and `canary` (sent with the candidate's output).
    #[schema(value_type = Object)]
    pub counts: Map<String, Value>,
    /// The last differences (up to 20), oldest first, each with both outputs and the changed
    /// places as JSON pointers.
    #[schema(value_type = Vec<Object>)]
    pub differences: Vec<Difference>,
}

fn no_candidate() -> ApiError {
    ApiError::not_found("candidate")
}

/// Applies `change` to the stored subscription (retrying on a concurrent change), puts the
/// result into service and answers with it.
async fn change(
    state: &AppState,
    ws: &str,
    id: &str,
    change: impl Fn(&mut Subscription) -> ApiResult<()>,
) -> ApiResult<Response> {
    let updated = state
        .dispatcher
        .store()
        .update_subscription(ws, id, None, |s| {
            change(s)?;
            s.updated_ms = time::now_ms();
            Ok(())
        })
        .await?;
    match updated {
        Ok(Updated::Done(sub)) => {
            activate(state, sub.clone()).await?;
            Ok(with_etag(state, &sub, StatusCode::OK, false))
        }
        Ok(Updated::NotFound) => Err(ApiError::not_found("subscription")),
        Ok(Updated::Stale) => Err(stale()),
        Err(e) => Err(e),
    }
}

/// The candidate and how its output compares with the current plugin's.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/subscriptions/{id}/candidate", operation_id = "show_candidate", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = CandidateReport), (status = 404, body = ErrorBody, description = "no such subscription, or no candidate")),
    security(("bearer" = [])))]
async fn show(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<CandidateReport>> {
    let sub = load(&state, &scope.workspace, &id).await?;
    let candidate = sub.candidate.as_ref().ok_or_else(no_candidate)?;
    let shadow = state.dispatcher.shadow(&id).unwrap_or_default();
    Ok(Json(CandidateReport {
        candidate: CandidateOut {
            plugin: plugin_ref_out(&candidate.plugin),
            percent: candidate.percent,
            started: time::rfc3339_ms(candidate.started_ms),
        },
        counts: shadow.counts(),
        differences: shadow.differences(),
    }))
}

/// Start trying a plugin (or another config or version of it) beside the current one. It
/// runs on every event after the delivery, off its path; its output is compared, not sent,
/// except for the `percent` share. Replaces a running candidate (its counts start over).
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(put, path = "/v1/subscriptions/{id}/candidate", operation_id = "set_candidate", tag = "subscriptions",
    params(("id" = String, Path)),
    request_body = CandidateIn,
    responses(
        (status = 200, body = SubscriptionOut),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "unknown_plugin, invalid_plugin_config, invalid_limits, invalid_percent"),
    ),
    security(("bearer" = [])))]
async fn put(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(input): Json<CandidateIn>,
) -> ApiResult<Response> {
    let ws = scope.workspace;
    if input.percent > 100 {
        return Err(ApiError::invalid(
            "invalid_percent",
            "`percent` is the share of events from 0 to 100",
        ));
    }
    let current = load(&state, &ws, &id).await?;
    let plugin = plugin_from(&state, &ws, Some(&input.plugin))
        .await?
        .ok_or_else(no_candidate)?;
    // Its config is checked as a current plugin's would be.
    let mut probe = current.clone();
    probe.plugin = Some(plugin.clone());
    check_plugin(&state, &probe).await?;
    let candidate = Candidate {
        plugin,
        percent: input.percent,
        started_ms: time::now_ms(),
    };
    change(&state, &ws, &id, |s| {
        s.candidate = Some(candidate.clone());
        s.record_plugin_change(
            candidate.started_ms,
            "candidate",
            Some(candidate.plugin.id.clone()),
        );
        Ok(())
    })
    .await
}

/// Stop trying the candidate; the current plugin stays.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(delete, path = "/v1/subscriptions/{id}/candidate", operation_id = "stop_candidate", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionOut), (status = 404, body = ErrorBody, description = "no such subscription, or no candidate")),
    security(("bearer" = [])))]
async fn stop(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    change(&state, &scope.workspace, &id, |s| {
        let c = s.candidate.take().ok_or_else(no_candidate)?;
        s.record_plugin_change(time::now_ms(), "stop", Some(c.plugin.id));
        Ok(())
    })
    .await
}

/// Make the candidate the current plugin. The one it replaces is kept as `previousPlugin`,
/// for a rollback.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/candidate/promote", operation_id = "promote_candidate", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SubscriptionOut), (status = 404, body = ErrorBody, description = "no such subscription, or no candidate")),
    security(("bearer" = [])))]
async fn promote(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    change(&state, &scope.workspace, &id, |s| {
        let c = s.candidate.take().ok_or_else(no_candidate)?;
        s.replace_plugin(Some(c.plugin), time::now_ms(), "promote");
        Ok(())
    })
    .await
}

/// Go back to the plugin before the last promotion (`previousPlugin`); the one rolled back
/// becomes `previousPlugin` in turn. A running candidate is stopped.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/rollback", operation_id = "rollback_plugin", tag = "subscriptions",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = SubscriptionOut),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "nothing_to_roll_back: no promotion to undo"),
    ),
    security(("bearer" = [])))]
async fn rollback(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    change(&state, &scope.workspace, &id, |s| {
        let previous = s.previous_plugin.take().ok_or_else(|| {
            ApiError::new(
                StatusCode::CONFLICT,
                "nothing_to_roll_back",
                "the subscription has no previous plugin: nothing was promoted",
            )
        })?;
        s.candidate = None;
        s.replace_plugin(Some(previous), time::now_ms(), "rollback");
        Ok(())
    })
    .await
}
