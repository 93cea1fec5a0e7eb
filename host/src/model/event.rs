//! An event as published and stored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{EventType, EventTypeError, time};

/// Why a published event is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error(transparent)]
    Type(#[from] EventTypeError),
    #[error("`id` must be 1 to 128 characters of letters, digits, `_`, `-`, `.` or `:`")]
    Id,
    #[error("`occurredAt` must be an RFC 3339 time such as 2023-10-05T10:47:21Z")]
    OccurredAt,
    #[error("`tenant` must be 1 to 128 characters")]
    Tenant,
}

/// A published change event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// The workspace it was published into.
    #[serde(default = "super::workspace::serde_default_workspace")]
    pub workspace: String,
    /// Live (true) or test (false) traffic.
    #[serde(default = "super::workspace::serde_true")]
    pub live: bool,
    pub event_type: String,
    /// RFC 3339 with milliseconds, UTC.
    pub occurred_at: String,
    pub tenant: Option<String>,
    /// JSON text of the object after the change.
    pub object: String,
    /// JSON text of the object before the change.
    pub previous: Option<String>,
    /// Top-level fields that differ between `previous` and `object`.
    pub changed_fields: Vec<String>,
    /// When hookshape accepted it, ms since the epoch.
    pub received_ms: u64,
    /// A W3C `traceparent`: the publisher's until it is published, then that of the publish
    /// span, which each attempt's span continues. Only with tracing on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

impl Event {
    /// The body a subscription without a plugin gets: the Standard Webhooks payload shape.
    pub fn default_body(&self) -> String {
        let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
        format!(
            r#"{{"type":{},"timestamp":{},"data":{}}}"#,
            quote(&self.event_type),
            quote(&self.occurred_at),
            self.object
        )
    }

    /// Validates a published event and computes what the host adds (id, time, changed fields).
    pub fn new(
        event_type: &str,
        object: &Value,
        previous: Option<&Value>,
        tenant: Option<String>,
        id: Option<String>,
        occurred_at: Option<&str>,
    ) -> Result<Self, EventError> {
        let event_type = EventType::parse(event_type)?;
        let id = match id {
            Some(id) => {
                let ok = !id.is_empty()
                    && id.len() <= 128
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_-.:".contains(&b));
                if !ok {
                    return Err(EventError::Id);
                }
                id
            }
            None => super::new_id("evt"),
        };
        if tenant
            .as_ref()
            .is_some_and(|t| t.is_empty() || t.len() > 128)
        {
            return Err(EventError::Tenant);
        }
        let received_ms = time::now_ms();
        let occurred_ms = match occurred_at {
            Some(text) => time::parse_rfc3339(text).ok_or(EventError::OccurredAt)?,
            None => received_ms,
        };
        Ok(Event {
            id,
            workspace: super::DEFAULT_WORKSPACE.into(),
            live: true,
            event_type: event_type.as_str().to_owned(),
            occurred_at: time::rfc3339_ms(occurred_ms),
            tenant,
            object: object.to_string(),
            previous: previous.map(Value::to_string),
            changed_fields: previous.map_or_else(Vec::new, |p| changed_fields(object, p)),
            received_ms,
            trace: None,
        })
    }
}

impl Event {
    /// Where it is stored (see [`super::event_key`]).
    pub fn key(&self) -> String {
        super::event_key(&self.workspace, &self.id)
    }

    /// Whether the type's operation is an update (`updated`, `update`, `changed`).
    pub fn is_update(&self) -> bool {
        matches!(
            self.event_type.rsplit('.').next(),
            Some("updated" | "update" | "changed")
        )
    }
}

/// Top-level fields whose value differs between `previous` and `object`: the fields of
/// `object` in order, then those only `previous` had. Empty unless both are objects.
pub fn changed_fields(object: &Value, previous: &Value) -> Vec<String> {
    let (Value::Object(now), Value::Object(before)) = (object, previous) else {
        return Vec::new();
    };
    let mut out: Vec<String> = now
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(before.keys().filter(|k| !now.contains_key(*k)).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn new_events_get_ids_times_and_changed_fields() {
        let e = Event::new(
            "member.updated",
            &json!({"a": 1, "b": 2, "c": 3}),
            Some(&json!({"a": 1, "b": 1, "d": 0})),
            None,
            None,
            Some("2023-10-05T10:47:21Z"),
        )
        .expect("valid");
        assert!(e.id.starts_with("evt_"));
        assert_eq!(e.occurred_at, "2023-10-05T10:47:21.000Z");
        assert_eq!(e.changed_fields, ["b", "c", "d"]);
        assert_eq!(e.object, r#"{"a":1,"b":2,"c":3}"#);
    }

    #[test]
    fn bad_events_say_why() {
        let o = json!({});
        assert!(matches!(
            Event::new("nope", &o, None, None, None, None),
            Err(EventError::Type(_))
        ));
        assert_eq!(
            Event::new("a.b", &o, None, None, Some("bad id!".into()), None),
            Err(EventError::Id)
        );
        assert_eq!(
            Event::new("a.b", &o, None, None, None, Some("yesterday")),
            Err(EventError::OccurredAt)
        );
    }
}
