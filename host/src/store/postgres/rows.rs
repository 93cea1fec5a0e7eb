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

/// The record in column `index` of `row` (a join's second body, say).
pub(super) fn decode_column<T: serde::de::DeserializeOwned>(
    row: &Row,
    index: usize,
    what: &str,
) -> Result<T> {
    let bytes: &[u8] = row.get(index);
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

/// Many deliveries' columns, an array each, for one `INSERT … SELECT FROM UNNEST`.
#[derive(Default)]
pub(super) struct DeliveryArrays {
    pub ids: Vec<String>,
    pub subs: Vec<String>,
    pub statuses: Vec<String>,
    pub dues: Vec<Option<i64>>,
    pub bodies: Vec<Vec<u8>>,
    pub keys: Vec<Option<String>>,
}

pub(super) fn delivery_arrays<'a>(
    deliveries: impl IntoIterator<Item = &'a Delivery>,
) -> DeliveryArrays {
    let mut a = DeliveryArrays::default();
    for d in deliveries {
        let (id, sub, status, due, bytes) = delivery_columns(d);
        a.ids.push(id);
        a.subs.push(sub);
        a.statuses.push(status);
        a.dues.push(due);
        a.bodies.push(bytes);
        a.keys.push(d.ordering_key.clone());
    }
    a
}
