//! Liveness and readiness, without a token. `/healthz` answers while the process serves HTTP
//! (a supervisor should not restart it for a database outage) and says how the store is;
//! `/readyz` is for load balancers: 503 while the store cannot take writes, so traffic goes
//! to a node that can.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::error::ApiError;

/// Whether the store answers, within a deadline (a hung database is a down one).
async fn store_state(state: &AppState) -> Result<(), String> {
    let checked = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        state.dispatcher.store().check(),
    )
    .await;
    match checked {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the store did not answer within 3 s".into()),
    }
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    let body = match store_state(&state).await {
        Ok(()) => json!({"status": "ok", "store": "up"}),
        Err(detail) => json!({"status": "degraded", "store": "down", "detail": detail}),
    };
    axum::Json(body).into_response()
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match store_state(&state).await {
        Ok(()) => axum::Json(json!({"status": "ready"})).into_response(),
        Err(detail) => {
            tracing::warn!(error = %detail, "not ready: the store is down");
            let mut err = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "the store cannot take writes right now",
            );
            err.retry_after = Some(1);
            err.into_response()
        }
    }
}
