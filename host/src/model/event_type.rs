//! Event types (`resource.subresource.operation`) and the patterns subscriptions use.

use std::fmt;

/// Why an event type or pattern is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid event {what}: {why}")]
pub struct EventTypeError {
    text: String,
    what: &'static str,
    why: &'static str,
}

const MAX_LEN: usize = 128;

fn valid_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A validated event type: two to four dot-separated segments of `[a-z0-9_-]`, the last one
/// the operation (`member.updated`, `invoice.charge.created`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventType(String);

impl EventType {
    pub fn parse(text: &str) -> Result<Self, EventTypeError> {
        let err = |why| EventTypeError {
            text: text.chars().take(MAX_LEN).collect(),
            what: "type",
            why,
        };
        if text.len() > MAX_LEN {
            return Err(err("longer than 128 characters"));
        }
        let segments: Vec<&str> = text.split('.').collect();
        if !(2..=4).contains(&segments.len()) {
            return Err(err(
                "expected resource.operation or resource.subresource.operation",
            ));
        }
        if !segments.iter().all(|s| valid_segment(s)) {
            return Err(err(
                "segments must be non-empty lowercase letters, digits, _ or -",
            ));
        }
        Ok(EventType(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a subscription listens to: `*` (everything), an exact type, a pattern where `*`
/// stands for one segment (`*.updated`), or a prefix ending in `.*` that also matches deeper
/// types (`invoice.*` matches `invoice.created` and `invoice.charge.created`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPattern(String);

impl EventPattern {
    pub fn parse(text: &str) -> Result<Self, EventTypeError> {
        let err = |why| EventTypeError {
            text: text.chars().take(MAX_LEN).collect(),
            what: "pattern",
            why,
        };
        if text == "*" {
            return Ok(EventPattern(text.to_owned()));
        }
        if text.len() > MAX_LEN {
            return Err(err("longer than 128 characters"));
        }
        let segments: Vec<&str> = text.split('.').collect();
        if !(2..=4).contains(&segments.len()) {
            return Err(err("expected two to four dot-separated segments"));
        }
        if !segments.iter().all(|s| *s == "*" || valid_segment(s)) {
            return Err(err(
                "segments must be `*` or lowercase letters, digits, _ or -",
            ));
        }
        Ok(EventPattern(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn matches(&self, event_type: &str) -> bool {
        let pattern = self.0.as_str();
        if pattern == "*" {
            return true;
        }
        let mut pat = pattern.split('.').peekable();
        let mut typ = event_type.split('.');
        while let Some(p) = pat.next() {
            let Some(t) = typ.next() else { return false };
            let last = pat.peek().is_none();
            if p == "*" && last {
                // A trailing `*` takes the rest, one segment or more.
                return true;
            }
            if p != "*" && p != t {
                return false;
            }
        }
        typ.next().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types() {
        assert!(EventType::parse("member.updated").is_ok());
        assert!(EventType::parse("invoice.charge.created").is_ok());
        assert!(EventType::parse("member").is_err());
        assert!(EventType::parse("Member.updated").is_err());
        assert!(EventType::parse("member..updated").is_err());
        assert!(EventType::parse("a.b.c.d.e").is_err());
        assert!(EventType::parse(&"a.".repeat(100)).is_err());
    }

    #[test]
    fn patterns() {
        let p = |s| EventPattern::parse(s).expect("valid");
        assert!(p("*").matches("anything.at.all"));
        assert!(p("invoice.*").matches("invoice.created"));
        assert!(p("invoice.*").matches("invoice.charge.created"));
        assert!(!p("invoice.*").matches("invoices.created"));
        assert!(p("*.updated").matches("member.updated"));
        assert!(!p("*.updated").matches("invoice.charge.updated"));
        assert!(p("member.updated").matches("member.updated"));
        assert!(!p("member.updated").matches("member.updated.more"));
        assert!(EventPattern::parse("invoice.**").is_err());
        assert!(EventPattern::parse("").is_err());
    }
}
