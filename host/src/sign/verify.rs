//! Checking a received request's signature, for each scheme: what an integrator's receiver
//! does, and what `hookshape verify` and `hookshape listen` report.

use subtle::ConstantTimeEq;

use super::{Message, Scheme, hmac, js_json, standard_webhooks};

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Result<&'a str, String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .ok_or_else(|| format!("no `{name}` header"))
}

fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Checks a request (its headers and raw body) signed with `secret` under `scheme`: `Ok`
/// with what was checked, or `Err` with why it does not verify. `now` (unix seconds) gives
/// the age of a signed timestamp.
pub fn verify(
    scheme: &Scheme,
    secret: &str,
    headers: &[(String, String)],
    body: &[u8],
    now: u64,
) -> Result<String, String> {
    let age = |t: u64| {
        let secs = now.abs_diff(t);
        if t > now {
            format!("timestamp {secs} s in the future")
        } else {
            format!("timestamp {secs} s old")
        }
    };
    match scheme {
        Scheme::StandardWebhooks => {
            scheme
                .accepts_secret(secret)
                .map_err(|e| format!("secret: {e}"))?;
            let id = header(headers, "webhook-id")?;
            let ts = header(headers, "webhook-timestamp")?;
            let t: u64 = ts
                .parse()
                .map_err(|_| format!("`webhook-timestamp` is not unix seconds: {ts}"))?;
            let theirs = header(headers, "webhook-signature")?;
            let msg = Message {
                id,
                timestamp: t,
                body,
            };
            let ours = standard_webhooks(&[secret], &msg);
            let mine = ours
                .iter()
                .find(|(k, _)| k == "webhook-signature")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            if theirs.split(' ').any(|s| same(s, mine)) {
                Ok(format!("standard-webhooks signature matches ({})", age(t)))
            } else {
                Err(format!(
                    "standard-webhooks signature does not match: expected {mine} over `{id}.{t}.<body>`"
                ))
            }
        }
        Scheme::HexHmac { header: name } => {
            let theirs = header(headers, name)?;
            let mine = hex::encode(hmac(secret.as_bytes(), &[body]));
            if same(&theirs.to_ascii_lowercase(), &mine) {
                Ok(format!("hex HMAC-SHA256 in `{name}` matches"))
            } else {
                Err(format!("`{name}` does not match: expected {mine}"))
            }
        }
        Scheme::TimestampedHmac { header: name } => {
            let theirs = header(headers, name)?;
            let mut t = None;
            let mut signature = None;
            for part in theirs.split(',') {
                match part.trim().split_once('=') {
                    Some(("t", v)) => t = v.parse::<u64>().ok(),
                    Some(("signature", v)) => signature = Some(v),
                    _ => {}
                }
            }
            let (Some(t), Some(signature)) = (t, signature) else {
                return Err(format!("`{name}` is not `t=<unix>,signature=<hex>`"));
            };
            let ts = t.to_string();
            let mine = hex::encode(hmac(secret.as_bytes(), &[body, b".", ts.as_bytes()]));
            if same(&signature.to_ascii_lowercase(), &mine) {
                Ok(format!("timestamped HMAC in `{name}` matches ({})", age(t)))
            } else {
                Err(format!(
                    "`{name}` does not match: expected signature={mine} over `<body>.{t}`"
                ))
            }
        }
        Scheme::BodySignature => {
            let value: serde_json::Value =
                serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
            let payload = value.get("payload").ok_or("the body has no `payload`")?;
            let theirs = value
                .get("signature")
                .and_then(serde_json::Value::as_str)
                .ok_or("the body has no `signature` string")?;
            let text = js_json::stringify(payload);
            let mine = hex::encode(hmac(secret.as_bytes(), &[text.as_bytes()]));
            if same(&theirs.to_ascii_lowercase(), &mine) {
                Ok("body signature matches (payload as JSON.stringify writes it)".into())
            } else {
                Err(format!("`signature` does not match: expected {mine}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::sign;

    fn round_trip(scheme: Scheme, secret: &str) {
        let body = br#"{"a": 1.50, "b": "x"}"#;
        let msg = Message {
            id: "evt_1",
            timestamp: 1_700_000_000,
            body,
        };
        let signed = sign(&scheme, &[secret], &msg).expect("sign");
        let sent = signed
            .body
            .clone()
            .map_or(body.to_vec(), String::into_bytes);
        assert!(
            verify(&scheme, secret, &signed.headers, &sent, 1_700_000_010).is_ok(),
            "{scheme:?}"
        );
        assert!(
            verify(
                &scheme,
                "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==",
                &signed.headers,
                &sent,
                0
            )
            .is_err()
        );
        let mut tampered = sent.clone();
        if let Some(b) = tampered.iter_mut().find(|b| **b == b'x') {
            *b = b'y';
        }
        assert!(verify(&scheme, secret, &signed.headers, &tampered, 0).is_err());
    }

    #[test]
    fn every_scheme_verifies_what_it_signs_and_nothing_else() {
        round_trip(
            Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        );
        let plain = "a-plain-secret-of-some-length";
        round_trip(
            Scheme::HexHmac {
                header: "X-Famly-Hmac".into(),
            },
            plain,
        );
        round_trip(
            Scheme::TimestampedHmac {
                header: "officernd-signature".into(),
            },
            plain,
        );
        round_trip(Scheme::BodySignature, plain);
    }
}
