//! Filters shared by the list routes' query strings; a bad one is a 400 `invalid_query`.

use axum::http::StatusCode;

use super::error::{ApiError, ApiResult};
use crate::model::{DeliveryStatus, EventPattern, time};

fn bad(detail: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", detail)
}

/// `status`: pending, succeeded, dropped or failed.
pub fn status(text: Option<&str>) -> ApiResult<Option<DeliveryStatus>> {
    text.map(|s| {
        DeliveryStatus::parse(s).ok_or_else(|| {
            bad(format!(
                "unknown status `{s}`; use pending, succeeded, dropped or failed"
            ))
        })
    })
    .transpose()
}

/// `type`: an event type or pattern (`member.*`).
pub fn pattern(text: Option<&str>) -> ApiResult<Option<EventPattern>> {
    text.map(|t| EventPattern::parse(t).map_err(|e| bad(format!("`type`: {e}"))))
        .transpose()
}

/// `since`: an RFC 3339 time, as ms since the epoch.
pub fn since(text: Option<&str>) -> ApiResult<Option<u64>> {
    text.map(|t| {
        time::parse_rfc3339(t).ok_or_else(|| bad("`since` must be an RFC 3339 time".into()))
    })
    .transpose()
}

/// `limit`: 1 to 250, 50 when absent.
pub fn limit(n: Option<usize>) -> usize {
    n.unwrap_or(50).clamp(1, 250)
}

/// The delivery ids of a list: `since` and `until` (ms) and the page's cursor as an id range.
/// Owns the bounds; [`DeliveryIds::range`] lends them to the store.
pub struct DeliveryIds {
    status: Option<DeliveryStatus>,
    before: Option<String>,
    from: Option<String>,
}

impl DeliveryIds {
    pub fn new(
        status: Option<DeliveryStatus>,
        cursor: Option<&str>,
        since: Option<u64>,
        until: Option<u64>,
    ) -> Self {
        let until = until.map(|ms| crate::model::first_id_at(crate::model::DELIVERY_PREFIX, ms));
        let before = match (cursor, until) {
            (Some(c), Some(u)) => Some(if c < u.as_str() { c.to_owned() } else { u }),
            (Some(c), None) => Some(c.to_owned()),
            (None, u) => u,
        };
        DeliveryIds {
            status,
            before,
            from: since.map(|ms| crate::model::first_id_at(crate::model::DELIVERY_PREFIX, ms)),
        }
    }

    pub fn range(&self) -> crate::store::DeliveryRange<'_> {
        crate::store::DeliveryRange {
            status: self.status,
            before: self.before.as_deref(),
            from: self.from.as_deref(),
        }
    }
}
