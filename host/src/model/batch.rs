//! Batching: several events of one subscription sent as one request (Firm App's "batch those
//! changes into a single webhook call").
//!
//! The plugin still shapes each event on its own, through the released contract; the host
//! assembles the per-event bodies. With `items_at` (a JSON pointer) the first body is the
//! envelope and the arrays found at that pointer in every body are joined into it — a plugin
//! that writes `{"date": …, "events": [item]}` for one event yields `{"date": …, "events":
//! [item, item, …]}` for a batch. Without it, the batch body is the JSON array of the bodies.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A subscription's batching window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// A batch goes out once it holds this many events…
    pub max_events: u32,
    /// …or this long after its first event arrived, whichever comes first.
    pub max_wait_ms: u64,
    /// JSON pointer to the array that collects the events' items (e.g. `/events`).
    pub items_at: Option<String>,
}

/// Why a batch's bodies could not be assembled into one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssembleError {
    #[error("the body of event {index} is not JSON: {detail}")]
    NotJson { index: usize, detail: String },
    #[error("the body of event {index} has no array at {pointer:?}")]
    NoArray { index: usize, pointer: String },
}

/// Joins the bodies of a batch's events (in event order, dropped ones left out) into the
/// body of one request.
pub fn assemble(bodies: &[String], items_at: Option<&str>) -> Result<String, AssembleError> {
    let parse = |index: usize, body: &str| {
        serde_json::from_str::<Value>(body).map_err(|e| AssembleError::NotJson {
            index,
            detail: e.to_string(),
        })
    };
    let Some(pointer) = items_at else {
        // The bodies go in as they are, byte for byte; each must be JSON for the array to be.
        for (index, body) in bodies.iter().enumerate() {
            parse(index, body)?;
        }
        return Ok(format!("[{}]", bodies.join(",")));
    };
    let no_array = |index| AssembleError::NoArray {
        index,
        pointer: pointer.to_owned(),
    };
    let mut items = Vec::new();
    let mut envelope = None;
    for (index, body) in bodies.iter().enumerate() {
        let mut value = parse(index, body)?;
        match value.pointer_mut(pointer) {
            Some(Value::Array(found)) => items.append(found),
            _ => return Err(no_array(index)),
        }
        envelope.get_or_insert(value);
    }
    let Some(mut envelope) = envelope else {
        return Ok("[]".into());
    };
    if let Some(slot) = envelope.pointer_mut(pointer) {
        *slot = Value::Array(items);
    }
    Ok(envelope.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn without_a_pointer_the_bodies_form_an_array_byte_for_byte() {
        let b = bodies(&[r#"{"a": 1.0}"#, r#"{"b":2}"#]);
        assert_eq!(
            assemble(&b, None).expect("array"),
            r#"[{"a": 1.0},{"b":2}]"#
        );
        let bad = bodies(&["{}", "nope"]);
        assert!(matches!(
            assemble(&bad, None),
            Err(AssembleError::NotJson { index: 1, .. })
        ));
    }

    #[test]
    fn with_a_pointer_the_first_body_is_the_envelope_and_items_are_joined() {
        let b = bodies(&[
            r#"{"date":"d1","events":[{"n":1}]}"#,
            r#"{"date":"d2","events":[{"n":2},{"n":3}]}"#,
        ]);
        assert_eq!(
            assemble(&b, Some("/events")).expect("joined"),
            r#"{"date":"d1","events":[{"n":1},{"n":2},{"n":3}]}"#
        );
        let nested = bodies(&[r#"{"p":{"items":[1]}}"#, r#"{"p":{"items":[2]}}"#]);
        assert_eq!(
            assemble(&nested, Some("/p/items")).expect("joined"),
            r#"{"p":{"items":[1,2]}}"#
        );
        let missing = bodies(&[r#"{"events":[]}"#, r#"{"events":{}}"#]);
        assert_eq!(
            assemble(&missing, Some("/events")),
            Err(AssembleError::NoArray {
                index: 1,
                pointer: "/events".into()
            })
        );
    }
}
