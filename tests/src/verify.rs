//! Independent verifiers: the seeds' own receiver code (Node with `crypto-js` and `crypto`,
//! Python's `hmac`) and the `standardwebhooks` package from PyPI, run as child processes on
//! what the receiver got. `.ci/setup` installs them; a missing one fails the test loudly.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Map, Value, json};

use crate::receiver::Received;

/// A receiver's way of checking a request, and the program that implements it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verifier {
    /// Seed 000: `verifySignature` with CryptoJS over the raw body, `X-Famly-Hmac`.
    Famly,
    /// Seed 001: Node `crypto` over `JSON.stringify(JSON.parse(body).payload)`.
    FirmApp,
    /// Seed 002: the four steps with Python's `hmac`, `officernd-signature`.
    OfficeRnd,
    /// `standardwebhooks.Webhook(secret).verify(body, headers)` from PyPI.
    StandardWebhooks,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("verifiers")
}

impl Verifier {
    fn scheme(self) -> &'static str {
        match self {
            Verifier::Famly => "famly",
            Verifier::FirmApp => "firm-app",
            Verifier::OfficeRnd => "officernd",
            Verifier::StandardWebhooks => "standard-webhooks",
        }
    }

    fn command(self) -> Command {
        let dir = dir();
        let (program, script) = match self {
            Verifier::Famly | Verifier::FirmApp => {
                assert!(
                    dir.join("node_modules/crypto-js").is_dir(),
                    "crypto-js is not installed in {}: run `bash .ci/setup`",
                    dir.display()
                );
                (PathBuf::from("node"), "verify.js")
            }
            Verifier::OfficeRnd | Verifier::StandardWebhooks => {
                let python = dir.join(".venv/bin/python");
                assert!(
                    python.is_file(),
                    "{} is missing: run `bash .ci/setup`",
                    python.display()
                );
                (python, "verify.py")
            }
        };
        let mut cmd = Command::new(program);
        cmd.arg(dir.join(script));
        cmd
    }

    /// Whether the verifier accepts `body` with `headers`, keyed by `secret`.
    pub fn accepts(self, secret: &str, headers: &[(String, String)], body: &str) -> bool {
        let headers: Map<String, Value> = headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), Value::String(v.clone())))
            .collect();
        let input =
            json!({"scheme": self.scheme(), "secret": secret, "headers": headers, "body": body});
        let mut child = self
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the {self:?} verifier: {e}"));
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.to_string().as_bytes())
            .expect("write to the verifier");
        let out = child.wait_with_output().expect("verifier output");
        match out.status.code() {
            Some(0) => true,
            Some(1) => false,
            _ => panic!(
                "the {self:?} verifier failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    /// Checks a received request, and that the same request with its body altered fails.
    pub fn check(self, secret: &str, got: &Received) {
        assert!(
            self.accepts(secret, &got.headers, &got.body),
            "{self:?} rejects {got:?}"
        );
        let tampered = tamper(&got.body);
        assert!(
            !self.accepts(secret, &got.headers, &tampered),
            "{self:?} accepts an altered body"
        );
    }
}

/// The body with its first string value (outside a top-level `signature`) altered.
fn tamper(body: &str) -> String {
    fn first_string(v: &mut Value) -> bool {
        match v {
            Value::String(s) => {
                s.push('x');
                true
            }
            Value::Array(items) => items.iter_mut().any(first_string),
            Value::Object(map) => map.values_mut().any(first_string),
            _ => false,
        }
    }
    let mut value: Value = serde_json::from_str(body).expect("a JSON body");
    let changed = match &mut value {
        Value::Object(map) => map
            .iter_mut()
            .filter(|(k, _)| k.as_str() != "signature")
            .any(|(_, v)| first_string(v)),
        other => first_string(other),
    };
    assert!(changed, "nothing to alter in {body}");
    value.to_string()
}

/// The shape of a JSON value: objects keep their keys (in order) with the shapes of their
/// values, arrays the shapes of their items, and every other value becomes its type name.
pub fn shape(value: &Value) -> Value {
    match value {
        Value::Null => json!("null"),
        Value::Bool(_) => json!("boolean"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
    }
}

/// A Standard Webhooks signature checked in-process from scratch (not with hookshape's code):
/// true when one `v1,` signature in `header` is the HMAC of `id.timestamp.body` under the
/// `whsec_` secret.
pub fn standard_signature_ok(secret: &str, id: &str, ts: &str, body: &str, header: &str) -> bool {
    use base64::Engine as _;
    use hmac::Mac as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let Ok(key) = b64.decode(secret.trim_start_matches("whsec_")) else {
        return false;
    };
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return false;
    };
    mac.update(format!("{id}.{ts}.{body}").as_bytes());
    let expected = format!("v1,{}", b64.encode(mac.finalize().into_bytes()));
    header.split(' ').any(|s| s == expected)
}
