//! Object snapshots: the last published version of an object, so that an update published
//! without `previous` gets one from the host. An object is keyed by its workspace, its type
//! (the event type's root resource) and its id, so every subscription sees the same history.

use serde_json::Value;

/// Where an object's id is when the event type names no key path: `id`, else `_id`.
const DEFAULT_KEYS: [&str; 2] = ["id", "_id"];

/// The value at a dotted path (`account.id`).
fn at<'a>(object: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(object, |v, part| v.get(part))
}

/// The snapshot key of an event's object; `None` when the object has no usable id (a string
/// or a number at `key_path`, or at `id`/`_id` without one).
pub fn snapshot_key(
    workspace: &str,
    event_type: &str,
    object: &Value,
    key_path: Option<&str>,
) -> Option<String> {
    let id = match key_path {
        Some(path) => at(object, path),
        None => DEFAULT_KEYS.iter().find_map(|k| object.get(*k)),
    }?;
    let id = match id {
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let object_type = event_type.split('.').next().unwrap_or(event_type);
    // U+001F cannot occur in a workspace id or an event type (nor NUL in a PostgreSQL key).
    Some(format!("{workspace}\u{1f}{object_type}\u{1f}{id}"))
}

/// Whether an event type ends its object's history (`*.deleted`, `*.removed`, …).
pub fn ends_history(event_type: &str) -> bool {
    matches!(
        event_type.rsplit('.').next(),
        Some("deleted" | "delete" | "removed" | "remove")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_per_workspace_type_and_id() {
        let o = json!({"id": 7, "_id": "x", "account": {"ref": "a1"}});
        assert_eq!(
            snapshot_key("ws", "member.updated", &o, None).as_deref(),
            Some("ws\u{1f}member\u{1f}7")
        );
        assert_eq!(
            snapshot_key("ws", "member.billing.updated", &o, Some("account.ref")).as_deref(),
            Some("ws\u{1f}member\u{1f}a1")
        );
        assert_eq!(
            snapshot_key("ws", "member.updated", &json!({"_id": "m"}), None).as_deref(),
            Some("ws\u{1f}member\u{1f}m")
        );
        assert_eq!(
            snapshot_key("ws", "m.updated", &json!({"id": null}), None),
            None
        );
        assert_eq!(snapshot_key("ws", "m.updated", &json!([1]), None), None);
        assert!(ends_history("company.paymentdetails.removed"));
        assert!(!ends_history("member.updated"));
    }
}
