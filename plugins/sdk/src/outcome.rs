use serde_json::Value;

/// What to send for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Send nothing; the delivery is recorded as dropped.
    Drop,
    /// Send this request.
    Deliver(Delivery),
}

impl Outcome {
    /// Delivers `value` serialized as compact JSON, with no extra headers.
    pub fn json(value: &Value) -> Self {
        Outcome::Deliver(Delivery::json(value))
    }
}

impl From<Delivery> for Outcome {
    fn from(delivery: Delivery) -> Self {
        Outcome::Deliver(delivery)
    }
}

/// A request body and the extra headers to send with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The exact body; the host signs these bytes.
    pub body: String,
    /// Extra headers. The host refuses names it owns (content-type, signature headers, …).
    pub headers: Vec<(String, String)>,
}

impl Delivery {
    /// A body of `value` serialized as compact JSON (keys in insertion order).
    pub fn json(value: &Value) -> Self {
        Delivery {
            body: value.to_string(),
            headers: Vec::new(),
        }
    }

    /// Adds an extra header.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}
