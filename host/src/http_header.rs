//! Rules for headers that come from outside hookshape (a plugin's output, a subscription's
//! static headers): which names and values are well-formed, and which names hookshape keeps
//! for itself because they change how a request is framed, routed or authenticated.

/// Names hookshape sets or that would change how the request is sent (hop-by-hop, framing,
/// the connection's own credentials). Compared lower-case; `webhook-*` is reserved too.
const HOST_OWNED: &[&str] = &[
    "connection",
    "content-encoding",
    "content-length",
    "content-type",
    "expect",
    "host",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
];

/// A header name: 1 to 256 token characters (RFC 9110).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 256
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A field value: visible characters, spaces and tabs, no controls (RFC 9110).
pub fn valid_value(value: &str) -> bool {
    !value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
}

/// Whether hookshape keeps this name for itself.
pub fn host_owned(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    HOST_OWNED.contains(&lower.as_str()) || lower.starts_with("webhook-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_values_and_reserved_ones() {
        assert!(valid_name("X-Famly-Hmac"));
        assert!(!valid_name("bad header"));
        assert!(!valid_name(""));
        assert!(valid_value("Bearer a\tb"));
        assert!(!valid_value("a\u{1}b"));
        assert!(!valid_value("a\r\nb"));
        assert!(host_owned("Content-Length"));
        assert!(host_owned("webhook-signature"));
        assert!(!host_owned("x-custom"));
    }
}
