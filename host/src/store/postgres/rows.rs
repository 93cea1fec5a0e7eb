//! Records as PostgreSQL rows hold them: JSON bytes in a `body` column, with the columns
//! queries need beside them.

use tokio_postgres::Row;

use super::ms;
use crate::model::Delivery;
use crate::store::{Result, decode, encode};

pub(super) fn body<T: serde::de::DeserializeOwned>(row: &Row, what: &str) -> Result<T> {
    let bytes: &[u8] = row.get("body");
    decode(what.as_bytes(), bytes)
}

pub(super) fn bodies<T: serde::de::DeserializeOwned>(rows: &[Row], what: &str) -> Result<Vec<T>> {
    rows.iter().map(|r| body(r, what)).collect()
}

/// A delivery's columns: (id, subscription, status, due, body).
pub(super) fn delivery_columns(d: &Delivery) -> (String, String, String, Option<i64>, Vec<u8>) {
    (
        d.id.clone(),
        d.subscription_id.clone(),
        d.status.as_str().to_owned(),
        d.queued_at().map(ms),
        encode(d),
    )
}
