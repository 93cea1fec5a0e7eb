//! Filling in `previous` from the object's snapshot, and keeping the new version, at publish.

use serde_json::Value;

use crate::model::{Event, changed_fields, ends_history, snapshot_key, time};
use crate::store::{Store, StoreError};

/// Swaps the event's object into its snapshot; when the event has no `previous`, the version
/// it replaced becomes `previous` (and the changed fields follow). A deletion removes the
/// snapshot; an object over `max_bytes` removes it too rather than leave a stale one.
///
/// Runs before the publish: a crash between the two (or a publish that fails) leaves the
/// snapshot at the new version, so the next update compares with an object that was not
/// sent. A repeated publish of an event already stored changes nothing.
pub async fn fill(
    store: &Store,
    event: &mut Event,
    object: &Value,
    key_path: Option<&str>,
    max_bytes: usize,
) -> Result<(), StoreError> {
    let Some(key) = snapshot_key(
        &event.workspace,
        event.live,
        event.tenant.as_deref(),
        &event.event_type,
        object,
        key_path,
    ) else {
        return Ok(());
    };
    // A repeated publish (the same id) is answered with the stored event: it must not move
    // the object's history back.
    if store.event(&event.key()).await?.is_some() {
        return Ok(());
    }
    let keep = !ends_history(&event.event_type) && event.object.len() <= max_bytes;
    let new = keep.then_some(event.object.as_bytes());
    let old = store.swap_snapshot(&key, new, time::now_ms()).await?;
    if event.previous.is_some() {
        return Ok(());
    }
    let Some(previous) = old.and_then(|b| serde_json::from_slice::<Value>(&b).ok()) else {
        return Ok(());
    };
    event.changed_fields = changed_fields(object, &previous);
    event.previous = Some(previous.to_string());
    Ok(())
}
