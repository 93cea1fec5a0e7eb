use serde_json::Value;

/// One change event, for one delivery attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stable id of the event: the same on every attempt.
    pub id: String,
    /// `resource.subresource.operation`, e.g. `member.updated`.
    pub event_type: String,
    /// When the change happened, RFC 3339 in UTC.
    pub occurred_at: String,
    /// The site, workspace or organisation the event belongs to, if any.
    pub tenant: Option<String>,
    /// The resource after the change (for a deletion: as it was last seen).
    pub object: Value,
    /// The resource before the change, where the source sent it.
    pub previous: Option<Value>,
    /// Top-level fields whose value differs between `previous` and `object` (host-computed).
    pub changed_fields: Vec<String>,
    /// Id of this delivery attempt: new on every attempt, retries included.
    pub attempt_id: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
}

/// What kind of change an event reports, read from the last segment of its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `created`, `create`, `added`
    Created,
    /// `updated`, `update`, `changed`
    Updated,
    /// `deleted`, `delete`, `removed`, `remove`
    Deleted,
    /// Any other operation (e.g. `verified`).
    Other,
}

impl Event {
    pub(crate) fn from_wit(e: crate::__bindings::Event) -> Result<Self, String> {
        let object = serde_json::from_str(&e.object)
            .map_err(|err| format!("event object is not valid JSON: {err}"))?;
        let previous = match e.previous {
            Some(p) => Some(
                serde_json::from_str(&p)
                    .map_err(|err| format!("event previous is not valid JSON: {err}"))?,
            ),
            None => None,
        };
        Ok(Event {
            id: e.id,
            event_type: e.event_type,
            occurred_at: e.occurred_at,
            tenant: e.tenant,
            object,
            previous,
            changed_fields: e.changed_fields,
            attempt_id: e.attempt_id,
            attempt: e.attempt,
        })
    }

    /// The resource part of the type: `invoice.charge` for `invoice.charge.created`.
    pub fn resource(&self) -> &str {
        self.event_type
            .rsplit_once('.')
            .map_or(self.event_type.as_str(), |(resource, _)| resource)
    }

    /// The top-level resource: `invoice` for `invoice.charge.created`.
    pub fn root_resource(&self) -> &str {
        self.event_type
            .split('.')
            .next()
            .unwrap_or(self.event_type.as_str())
    }

    /// The operation segment, classified.
    pub fn operation(&self) -> Operation {
        let op = self.event_type.rsplit('.').next().unwrap_or_default();
        match op {
            "created" | "create" | "added" => Operation::Created,
            "updated" | "update" | "changed" => Operation::Updated,
            "deleted" | "delete" | "removed" | "remove" => Operation::Deleted,
            _ => Operation::Other,
        }
    }

    /// The occurrence time to whole seconds (`2023-10-05T10:47:21Z`), as some receivers expect.
    pub fn occurred_at_seconds(&self) -> String {
        match (self.occurred_at.find('.'), self.occurred_at.ends_with('Z')) {
            (Some(dot), true) => format!("{}Z", &self.occurred_at[..dot]),
            _ => self.occurred_at.clone(),
        }
    }

    /// The host's default envelope around `data`, the Standard Webhooks payload shape:
    /// `{"type": <event type>, "timestamp": <occurred at>, "data": data}`.
    pub fn envelope(&self, data: Value) -> Value {
        let mut out = serde_json::Map::with_capacity(3);
        out.insert("type".into(), Value::String(self.event_type.clone()));
        out.insert("timestamp".into(), Value::String(self.occurred_at.clone()));
        out.insert("data".into(), data);
        Value::Object(out)
    }

    /// A test event; handy in plugin unit tests.
    pub fn sample(event_type: &str, object: Value, previous: Option<Value>) -> Self {
        let changed_fields = match &previous {
            Some(p) => crate::json::changed_fields(&object, p),
            None => Vec::new(),
        };
        Event {
            id: "evt_sample".into(),
            event_type: event_type.into(),
            occurred_at: "2024-11-08T21:49:46.733Z".into(),
            tenant: None,
            object,
            previous,
            changed_fields,
            attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3".into(),
            attempt: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classifies_operations_and_resources() {
        let e = Event::sample("invoice.charge.removed", json!({}), None);
        assert_eq!(e.operation(), Operation::Deleted);
        assert_eq!(e.resource(), "invoice.charge");
        assert_eq!(e.root_resource(), "invoice");
        let e = Event::sample("identity.verification.verified", json!({}), None);
        assert_eq!(e.operation(), Operation::Other);
    }

    #[test]
    fn trims_fractional_seconds() {
        let e = Event::sample("child.updated", json!({}), None);
        assert_eq!(e.occurred_at_seconds(), "2024-11-08T21:49:46Z");
    }
}
