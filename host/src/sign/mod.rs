//! Signing: pure functions over bytes, and the only module that names hmac and sha2.
//!
//! A scheme turns (secrets, message id, timestamp, body) into the headers to add. Adding a
//! scheme is one function and one [`Scheme`] variant.

mod js_json;
mod secret;
mod verify;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use js_json::stringify as js_stringify;
pub use secret::{SecretError, generate_secret, validate_secret};
pub use verify::verify;

type HmacSha256 = Hmac<Sha256>;

/// Hex sha256 of some bytes (plugin ids).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// How a subscription's requests are signed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case")]
pub enum Scheme {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp` and
    /// `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed by the
    /// base64-decoded part of a `whsec_` secret; one signature per live secret, space-separated.
    #[default]
    StandardWebhooks,
    /// Hex HMAC-SHA256 of the raw body in one header (Famly: `X-Famly-Hmac`), keyed by the
    /// secret's UTF-8 bytes as given.
    HexHmac { header: String },
    /// `t=<unix seconds>,signature=<hex HMAC-SHA256 of "{body}.{t}">` in one header
    /// (OfficeRnD: `officernd-signature`), keyed by the secret's UTF-8 bytes.
    TimestampedHmac { header: String },
    /// The signature goes in the body (Firm App): the plugin's JSON becomes `payload`, written
    /// as JavaScript's `JSON.stringify` writes it, and `signature` is the hex HMAC-SHA256 of
    /// that text, keyed by the secret's UTF-8 bytes: `{"payload":…,"signature":"…"}`.
    BodySignature,
}

impl Scheme {
    /// The header names this scheme sets; plugins may not set them.
    pub fn header_names(&self) -> Vec<String> {
        match self {
            Scheme::StandardWebhooks => vec![
                "webhook-id".into(),
                "webhook-timestamp".into(),
                "webhook-signature".into(),
            ],
            Scheme::HexHmac { header } | Scheme::TimestampedHmac { header } => {
                vec![header.to_ascii_lowercase()]
            }
            Scheme::BodySignature => Vec::new(),
        }
    }

    /// Whether `secret` can key this scheme.
    pub fn accepts_secret(&self, secret: &str) -> Result<(), SecretError> {
        match self {
            Scheme::StandardWebhooks => secret::whsec_key(secret).map(drop),
            Scheme::HexHmac { .. } | Scheme::TimestampedHmac { .. } | Scheme::BodySignature => {
                validate_secret(secret)
            }
        }
    }
}

/// What to sign.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Stable id of the message (the event id): Standard Webhooks' `webhook-id`.
    pub id: &'a str,
    /// Unix seconds of this attempt.
    pub timestamp: u64,
    /// The exact body bytes that are sent.
    pub body: &'a [u8],
}

/// What signing adds: headers, and for schemes that sign inside the body, the new body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub headers: Vec<(String, String)>,
    /// The body to send instead of the given one, if the scheme rewrites it.
    pub body: Option<String>,
}

/// Why a body could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the body must be JSON for this signing scheme: {0}")]
pub struct SignError(String);

/// Signs a message with the live secrets (newest first) under `scheme`. Secrets a scheme
/// cannot use are skipped (they were validated when stored). Schemes with one signature slot
/// sign with the newest secret.
pub fn sign(scheme: &Scheme, secrets: &[&str], msg: &Message<'_>) -> Result<Signed, SignError> {
    let headers = |headers| Signed {
        headers,
        body: None,
    };
    Ok(match scheme {
        Scheme::StandardWebhooks => headers(standard_webhooks(secrets, msg)),
        Scheme::HexHmac { header } => headers(hex_hmac(header, secrets, msg)),
        Scheme::TimestampedHmac { header } => headers(timestamped_hmac(header, secrets, msg)),
        Scheme::BodySignature => body_signature(secrets, msg)?,
    })
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes keys of any length; this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

fn standard_webhooks(secrets: &[&str], msg: &Message<'_>) -> Vec<(String, String)> {
    let timestamp = msg.timestamp.to_string();
    let signatures: Vec<String> = secrets
        .iter()
        .filter_map(|s| secret::whsec_key(s).ok())
        .map(|key| {
            let mac = hmac(
                &key,
                &[
                    msg.id.as_bytes(),
                    b".",
                    timestamp.as_bytes(),
                    b".",
                    msg.body,
                ],
            );
            format!("v1,{}", B64.encode(mac))
        })
        .collect();
    vec![
        ("webhook-id".into(), msg.id.to_owned()),
        ("webhook-timestamp".into(), timestamp),
        ("webhook-signature".into(), signatures.join(" ")),
    ]
}

fn hex_hmac(header: &str, secrets: &[&str], msg: &Message<'_>) -> Vec<(String, String)> {
    // One header value only: receivers compare it whole, so the newest secret signs.
    secrets
        .first()
        .map(|secret| {
            let mac = hmac(secret.as_bytes(), &[msg.body]);
            vec![(header.to_owned(), hex::encode(mac))]
        })
        .unwrap_or_default()
}

fn timestamped_hmac(header: &str, secrets: &[&str], msg: &Message<'_>) -> Vec<(String, String)> {
    let t = msg.timestamp.to_string();
    secrets
        .first()
        .map(|secret| {
            let mac = hmac(secret.as_bytes(), &[msg.body, b".", t.as_bytes()]);
            vec![(
                header.to_owned(),
                format!("t={t},signature={}", hex::encode(mac)),
            )]
        })
        .unwrap_or_default()
}

fn body_signature(secrets: &[&str], msg: &Message<'_>) -> Result<Signed, SignError> {
    let payload: serde_json::Value =
        serde_json::from_slice(msg.body).map_err(|e| SignError(e.to_string()))?;
    let payload = js_json::stringify(&payload);
    let signature = secrets
        .first()
        .map(|secret| hex::encode(hmac(secret.as_bytes(), &[payload.as_bytes()])))
        .unwrap_or_default();
    Ok(Signed {
        headers: Vec::new(),
        body: Some(format!(
            r#"{{"payload":{payload},"signature":"{signature}"}}"#
        )),
    })
}

/// Checks a `webhook-signature` header value against a body, in constant time per
/// signature; true when any `v1` signature matches any of the secrets.
pub fn verify_standard_webhooks(secrets: &[&str], msg: &Message<'_>, header: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = standard_webhooks(secrets, msg);
    let Some((_, ours)) = expected.iter().find(|(k, _)| k == "webhook-signature") else {
        return false;
    };
    header.split(' ').any(|theirs| {
        ours.split(' ')
            .any(|mine| bool::from(mine.as_bytes().ct_eq(theirs.as_bytes())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example in the Standard Webhooks specification.
    const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SPEC_SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn standard_webhooks_matches_the_specification_example() {
        let msg = Message {
            id: SPEC_ID,
            timestamp: 1_614_265_330,
            body: SPEC_BODY,
        };
        let headers = sign(&Scheme::StandardWebhooks, &[SPEC_SECRET], &msg)
            .expect("sign")
            .headers;
        assert_eq!(
            headers,
            [
                ("webhook-id".to_owned(), SPEC_ID.to_owned()),
                ("webhook-timestamp".to_owned(), "1614265330".to_owned()),
                ("webhook-signature".to_owned(), SPEC_SIG.to_owned()),
            ]
        );
        assert!(verify_standard_webhooks(&[SPEC_SECRET], &msg, SPEC_SIG));
        assert!(!verify_standard_webhooks(&[SPEC_SECRET], &msg, "v1,AAAA"));
    }

    #[test]
    fn rotation_signs_with_every_live_secret() {
        let old = generate_secret();
        let new = generate_secret();
        let msg = Message {
            id: "evt_1",
            timestamp: 1,
            body: b"{}",
        };
        let headers = sign(&Scheme::StandardWebhooks, &[&new, &old], &msg)
            .expect("sign")
            .headers;
        let sig = &headers[2].1;
        assert_eq!(sig.split(' ').count(), 2);
        assert!(verify_standard_webhooks(&[&old], &msg, sig));
        assert!(verify_standard_webhooks(&[&new], &msg, sig));
    }

    #[test]
    fn hex_hmac_is_the_hex_digest_of_the_body() {
        // RFC 4231 test case 2.
        let msg = Message {
            id: "x",
            timestamp: 0,
            body: b"what do ya want for nothing?",
        };
        let scheme = Scheme::HexHmac {
            header: "X-Famly-Hmac".into(),
        };
        assert_eq!(
            sign(&scheme, &["Jefe"], &msg).expect("sign").headers,
            [(
                "X-Famly-Hmac".to_owned(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843".to_owned()
            )]
        );
    }

    #[test]
    fn timestamped_hmac_signs_body_dot_timestamp() {
        let msg = Message {
            id: "x",
            timestamp: 1_602_237_976,
            body: b"{}",
        };
        let scheme = Scheme::TimestampedHmac {
            header: "officernd-signature".into(),
        };
        let signed = sign(&scheme, &["Jefe"], &msg).expect("sign");
        let expected = hex::encode(hmac(b"Jefe", &[b"{}.1602237976"]));
        assert_eq!(
            signed.headers,
            [(
                "officernd-signature".to_owned(),
                format!("t=1602237976,signature={expected}")
            )]
        );
    }

    #[test]
    fn body_signature_wraps_the_payload_as_javascript_writes_it() {
        let msg = Message {
            id: "x",
            timestamp: 0,
            body: br#"{"n": 1.0, "2": "b", "a": 1e21}"#,
        };
        let signed = sign(&Scheme::BodySignature, &["Jefe"], &msg).expect("sign");
        let payload = r#"{"2":"b","n":1,"a":1e+21}"#;
        let expected = hex::encode(hmac(b"Jefe", &[payload.as_bytes()]));
        assert_eq!(
            signed.body.as_deref(),
            Some(format!(r#"{{"payload":{payload},"signature":"{expected}"}}"#).as_str())
        );
        assert!(signed.headers.is_empty());
        let not_json = Message {
            body: b"plain",
            ..msg
        };
        assert!(sign(&Scheme::BodySignature, &["Jefe"], &not_json).is_err());
    }
}
