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
///
/// The key holds the workspace, live or test traffic, the tenant (sites of one workspace may
/// number their objects alike) and the resource (the type without its operation: `member`,
/// `member.billing`), then the id.
pub fn snapshot_key(
    workspace: &str,
    live: bool,
    tenant: Option<&str>,
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
    let tenant = tenant.unwrap_or_default();
    // U+001F separates the parts; NUL cannot be stored in a PostgreSQL key.
    if [id.as_str(), tenant]
        .iter()
        .any(|p| p.contains(['\0', '\u{1f}']))
    {
        return None;
    }
    let resource = event_type.rsplit_once('.').map_or(event_type, |(r, _)| r);
    let traffic = if live { "live" } else { "test" };
    Some(format!(
        "{workspace}\u{1f}{traffic}\u{1f}{tenant}\u{1f}{resource}\u{1f}{id}"
    ))
}

/// The prefix of every snapshot key of a workspace.
pub fn snapshot_prefix(workspace: &str) -> String {
    format!("{workspace}\u{1f}")
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
    fn keys_are_per_workspace_traffic_tenant_resource_and_id() {
        let o = json!({"id": 7, "_id": "x", "account": {"ref": "a1"}});
        let key =
            |live, tenant, t: &str, o: &Value, path| snapshot_key("ws", live, tenant, t, o, path);
        assert_eq!(
            key(true, None, "member.updated", &o, None).as_deref(),
            Some("ws\u{1f}live\u{1f}\u{1f}member\u{1f}7")
        );
        assert_eq!(
            key(
                false,
                Some("site"),
                "member.billing.updated",
                &o,
                Some("account.ref")
            )
            .as_deref(),
            Some("ws\u{1f}test\u{1f}site\u{1f}member.billing\u{1f}a1")
        );
        assert_eq!(
            key(true, None, "member.updated", &json!({"_id": "m"}), None),
            key(true, None, "member.created", &json!({"_id": "m"}), None),
        );
        assert_ne!(
            key(true, None, "member.updated", &o, None),
            key(true, None, "member.billing.updated", &o, None),
        );
        assert_eq!(
            key(true, None, "m.updated", &json!({"id": null}), None),
            None
        );
        assert_eq!(
            key(true, None, "m.updated", &json!({"id": "a\u{0}b"}), None),
            None
        );
        assert_eq!(key(true, None, "m.updated", &json!([1]), None), None);
        assert!(
            snapshot_key("ws", true, None, "a.b", &o, None)
                .is_some_and(|k| k.starts_with(&snapshot_prefix("ws")))
        );
        assert!(ends_history("company.paymentdetails.removed"));
        assert!(!ends_history("member.updated"));
    }
}
