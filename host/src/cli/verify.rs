//! `hookshape verify` checks a received request's signature; `hookshape listen` is a local
//! receiver that prints each delivery with its signature verdict.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use crate::sign::{self, Scheme};

/// How requests were signed.
#[derive(Debug, Clone, clap::Args)]
pub struct Signing {
    /// standard-webhooks, hex-hmac, timestamped-hmac or body-signature.
    #[arg(long, value_parser = ["standard-webhooks", "hex-hmac", "timestamped-hmac", "body-signature"], default_value = "standard-webhooks")]
    scheme: String,
    /// The header hex-hmac and timestamped-hmac sign in (`X-Famly-Hmac`,
    /// `officernd-signature`).
    #[arg(long)]
    signature_header: Option<String>,
    /// The subscription's signing secret (or HOOKSHAPE_VERIFY_SECRET).
    #[arg(long, env = "HOOKSHAPE_VERIFY_SECRET", hide_env_values = true)]
    secret: Option<String>,
}

impl Signing {
    fn scheme(&self) -> Result<Scheme, String> {
        let header = || {
            self.signature_header
                .clone()
                .ok_or_else(|| format!("--scheme {} needs --signature-header", self.scheme))
        };
        Ok(match self.scheme.as_str() {
            "hex-hmac" => Scheme::HexHmac { header: header()? },
            "timestamped-hmac" => Scheme::TimestampedHmac { header: header()? },
            "body-signature" => Scheme::BodySignature,
            _ => Scheme::StandardWebhooks,
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    signing: Signing,
    /// A header of the request (`Name: value`), when standard input holds the body only.
    #[arg(long = "header", short = 'H')]
    headers: Vec<String>,
}

fn now() -> u64 {
    crate::model::time::now_ms() / 1000
}

/// Splits a raw HTTP request (request line optional, headers, blank line, body); input with
/// no header block is a body alone.
fn parse_request(raw: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
    let split = |sep: &[u8]| {
        raw.windows(sep.len())
            .position(|w| w == sep)
            .map(|i| (i, sep.len()))
    };
    let Some((end, sep)) = split(b"\r\n\r\n").or_else(|| split(b"\n\n")) else {
        return (Vec::new(), raw.to_vec());
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.lines().peekable();
    if lines.peek().is_some_and(|l| l.contains(" HTTP/")) {
        lines.next();
    }
    let headers: Option<Vec<(String, String)>> = lines
        .map(|l| {
            l.split_once(':')
                .filter(|(k, _)| !k.is_empty() && !k.contains(' ') && !k.contains('{'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    match headers {
        Some(h) if !h.is_empty() => (h, raw[end + sep..].to_vec()),
        _ => (Vec::new(), raw.to_vec()),
    }
}

pub fn verify(args: &VerifyArgs) -> ExitCode {
    let fail = |e: String| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    };
    let scheme = match args.signing.scheme() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let Some(secret) = &args.signing.secret else {
        return fail("give the signing secret with --secret or HOOKSHAPE_VERIFY_SECRET".into());
    };
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut raw) {
        return fail(format!("cannot read the request from standard input: {e}"));
    }
    let (mut headers, body) = parse_request(&raw);
    for h in &args.headers {
        match h.split_once(':') {
            Some((k, v)) => headers.push((k.trim().to_owned(), v.trim().to_owned())),
            None => return fail(format!("--header `{h}` is not `Name: value`")),
        }
    }
    match sign::verify(&scheme, secret, &headers, &body, now()) {
        Ok(what) => {
            println!("valid: {what}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            println!("invalid: {why}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ListenArgs {
    /// Forward the server's deliveries to an app on this machine
    /// (`http://localhost:3000/hook`): registers a temporary subscription, prints its
    /// secret, and removes it on exit.
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,
    /// With --forward-to: the event types or patterns to receive, comma-separated [default: *].
    #[arg(long, value_delimiter = ',', requires = "forward_to")]
    events: Vec<String>,
    /// With --forward-to: receive live events instead of test ones (`hookshape trigger`
    /// sends test events).
    #[arg(long, requires = "forward_to")]
    live: bool,
    /// Without --forward-to: the loopback port to listen on.
    #[arg(long, default_value_t = 9000, conflicts_with = "forward_to")]
    port: u16,
    /// Without --forward-to: the status to answer every request with.
    #[arg(long, default_value_t = 200, conflicts_with = "forward_to")]
    status: u16,
    #[command(flatten)]
    signing: Signing,
    #[command(flatten)]
    target: super::client::Target,
    #[command(flatten)]
    workspace: super::manage::In,
}

pub fn listen(args: &ListenArgs) -> ExitCode {
    if let Some(to) = &args.forward_to {
        return super::forward::forward(&super::forward::Forward {
            to,
            events: &args.events,
            live: args.live,
            target: &args.target,
            workspace: &args.workspace,
        });
    }
    let scheme = match args.signing.scheme() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let secret = args.signing.secret.clone();
    let json = args.target.json;
    let runtime = match super::runtime(false) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let port = args.port;
    let status = args.status;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        eprintln!("listening on http://{addr}/ (answering {status}); Ctrl-C to stop");
        let on = Arc::new(move |r: crate::api::dev_receiver::Received| {
            let verdict = secret
                .as_deref()
                .map(|s| sign::verify(&scheme, s, &r.headers, &r.body, now()));
            print_received(&r, verdict.as_ref(), json);
        });
        crate::api::dev_receiver::receive(listener, status, on)
            .await
            .map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_received(
    r: &crate::api::dev_receiver::Received,
    verdict: Option<&Result<String, String>>,
    json: bool,
) {
    let body = String::from_utf8_lossy(&r.body);
    let verdict_text = match verdict {
        None => "not checked (no --secret)".to_owned(),
        Some(Ok(what)) => format!("valid: {what}"),
        Some(Err(why)) => format!("invalid: {why}"),
    };
    if json {
        let body_json: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|_| serde_json::Value::String(body.to_string()));
        println!(
            "{}",
            serde_json::json!({
                "method": r.method, "path": r.path, "headers": r.headers,
                "body": body_json, "signature": verdict_text,
            })
        );
    } else {
        println!("── {} {}", r.method, r.path);
        for (k, v) in &r.headers {
            println!("{k}: {v}");
        }
        println!();
        let pretty = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| body.to_string());
        println!("{pretty}");
        println!("signature: {verdict_text}");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
}
