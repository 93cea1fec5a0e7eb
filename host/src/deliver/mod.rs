//! Sending requests: the only module that names reqwest. Redirects are not followed, every
//! address connected to passes the [`AddressGuard`] (DNS answers included), and responses are
//! read up to a limit.

pub mod export;
mod guard;
pub mod relay;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

pub use guard::AddressGuard;

/// One request to send.
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the endpoint answered.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body, cut at the response limit.
    pub body: String,
    pub truncated: bool,
    /// A `Retry-After` the endpoint asked for (seconds or an HTTP date).
    pub retry_after: Option<Duration>,
    pub elapsed: Duration,
}

/// Why no response came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("no response within {0:?}")]
    Timeout(Duration),
    #[error("address refused by the SSRF guard: {0}")]
    Blocked(String),
    #[error("{0}")]
    Connect(String),
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("request failed: {0}")]
    Other(String),
}

impl SendError {
    pub fn code(&self) -> &'static str {
        match self {
            SendError::Timeout(_) => "timeout",
            SendError::Blocked(_) => "blocked_address",
            SendError::Connect(_) => "connect",
            SendError::InvalidUrl(_) => "invalid_url",
            SendError::Other(_) => "request",
        }
    }
}

/// Settings of the HTTP client.
#[derive(Debug, Clone)]
pub struct SenderConfig {
    pub timeout: Duration,
    pub guard: AddressGuard,
    /// Bytes of a response body kept in the attempt log.
    pub response_limit: usize,
    pub user_agent: String,
    /// A forward proxy every request goes through (`http://host:port`). Proxy variables in
    /// the environment are ignored; only this is used. The proxy's own address must pass the
    /// guard, and since the proxy resolves target names, each target name is resolved here
    /// first and refused when any of its addresses, or the name itself, is internal.
    pub proxy: Option<String>,
    /// Idle connections kept per host: as many as may be in flight at once, since many
    /// subscriptions may share one receiving host, and a dropped connection costs a new
    /// handshake per request.
    pub max_idle_per_host: usize,
}

/// The HTTP client deliveries go through. Cheap to clone.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    config: Arc<SenderConfig>,
    relays: Arc<relay::Relays>,
}

/// Resolves names with the system resolver, then drops every address the guard refuses, so
/// the guard judges the address actually connected to.
struct GuardedResolver {
    guard: AddressGuard,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| guard.permits(a.ip()))
                .collect();
            if allowed.is_empty() && !found.is_empty() {
                return Err(Box::new(BlockedName(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0} resolves only to addresses the SSRF guard refuses")]
struct BlockedName(String);

impl Sender {
    pub fn new(config: SenderConfig) -> Result<Self, SendError> {
        let builder = reqwest::Client::builder();
        let builder = match &config.proxy {
            // HTTP(S)_PROXY in the environment would resolve target names past the guard.
            None => builder.no_proxy(),
            Some(url) => builder.proxy(
                reqwest::Proxy::all(url)
                    .map_err(|e| SendError::InvalidUrl(format!("proxy {url}: {e}")))?,
            ),
        };
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(config.user_agent.clone())
            .dns_resolver(Arc::new(GuardedResolver {
                guard: config.guard.clone(),
            }))
            .pool_max_idle_per_host(config.max_idle_per_host)
            .build()
            .map_err(|e| SendError::Other(e.to_string()))?;
        Ok(Sender {
            client,
            config: Arc::new(config),
            relays: Arc::default(),
        })
    }

    /// Checks a URL before it is stored: scheme, host, and an IP-literal host against the
    /// guard. `allow_http` permits `http://`.
    pub fn check_url(&self, url: &str, allow_http: bool) -> Result<(), UrlError> {
        check_url(url, allow_http, &self.config.guard)
    }

    /// Refuses, before a URL is stored, a host name that resolves only to addresses the guard
    /// refuses (`localhost`, a name pointing at 10.x): it could never be delivered to. A
    /// name that does not resolve now is let through; the check at connect time is the
    /// real guard.
    pub async fn check_url_resolves(&self, url: &str) -> Result<(), UrlError> {
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return Ok(());
        };
        let Some(url::Host::Domain(host)) = parsed.host() else {
            return Ok(());
        };
        if self.config.proxy.is_some() && guard::is_internal_name(host) {
            return Err(UrlError::Blocked(host.to_owned()));
        }
        let port = parsed.port_or_known_default().unwrap_or(443);
        let Ok(found) = tokio::net::lookup_host((host, port)).await else {
            return Ok(());
        };
        let found: Vec<SocketAddr> = found.collect();
        if !found.is_empty() && found.iter().all(|a| !self.config.guard.permits(a.ip())) {
            return Err(UrlError::Blocked(host.to_owned()));
        }
        Ok(())
    }

    /// The `hookshape listen` sessions connected to this node.
    pub fn relays(&self) -> &relay::Relays {
        &self.relays
    }

    /// Sends a delivery of `workspace`: to its `hookshape listen` session for a `listen:`
    /// URL, else over HTTP.
    pub async fn send_for(
        &self,
        workspace: &str,
        request: &Request,
    ) -> Result<Response, SendError> {
        match relay::session_of(&request.url) {
            Some(session) => {
                self.relays
                    .send(workspace, session, request, self.config.timeout)
                    .await
            }
            None => self.send(request).await,
        }
    }

    /// POSTs the body with the headers and reads the answer.
    pub async fn send(&self, request: &Request) -> Result<Response, SendError> {
        let url =
            reqwest::Url::parse(&request.url).map_err(|e| SendError::InvalidUrl(e.to_string()))?;
        // reqwest does not resolve IP-literal hosts, so the resolver never sees them.
        if let Some(ip) = literal_ip(&url)
            && !self.config.guard.permits(ip)
        {
            return Err(SendError::Blocked(ip.to_string()));
        }
        if self.config.proxy.is_some() {
            self.check_proxied_target(&url).await?;
        }
        let started = Instant::now();
        let mut builder = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut response = builder
            .body(request.body.clone())
            .send()
            .await
            .map_err(|e| self.classify(&e))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = self.config.response_limit.saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if chunk.len() > room {
                        truncated = true;
                        break;
                    }
                }
                Ok(None) => break,
                // The status is what counts; a body cut short is noted, not an error.
                Err(_) => {
                    truncated = true;
                    break;
                }
            }
        }
        Ok(Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            truncated,
            retry_after,
            elapsed: started.elapsed(),
        })
    }

    /// Checks that the proxy's address passes the guard (it is connected to like any other).
    pub async fn check_proxy(&self) -> Result<(), SendError> {
        let Some(proxy) = &self.config.proxy else {
            return Ok(());
        };
        let url = reqwest::Url::parse(proxy)
            .map_err(|e| SendError::InvalidUrl(format!("proxy {proxy}: {e}")))?;
        let host = url
            .host_str()
            .ok_or_else(|| SendError::InvalidUrl(format!("proxy {proxy}: no host")))?
            .trim_matches(['[', ']']);
        let port = url.port_or_known_default().unwrap_or(80);
        let found = tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| SendError::Connect(format!("cannot resolve the proxy {host}: {e}")))?;
        for addr in found {
            if !self.config.guard.permits(addr.ip()) {
                return Err(SendError::Blocked(format!(
                    "proxy address {} (permit it with --allow-ip)",
                    addr.ip()
                )));
            }
        }
        Ok(())
    }

    /// Through a proxy the proxy resolves names, so the guard's resolver never runs: refuse
    /// internal names, and names with any internal address, before sending.
    async fn check_proxied_target(&self, url: &reqwest::Url) -> Result<(), SendError> {
        let Some(url::Host::Domain(host)) = url.host() else {
            return Ok(());
        };
        if guard::is_internal_name(host) {
            return Err(SendError::Blocked(host.to_owned()));
        }
        let found = tokio::net::lookup_host((host, url.port_or_known_default().unwrap_or(443)))
            .await
            .map_err(|e| SendError::Connect(format!("{host}: {e}")))?;
        for addr in found {
            if !self.config.guard.permits(addr.ip()) {
                return Err(SendError::Blocked(format!("{host} ({})", addr.ip())));
            }
        }
        Ok(())
    }

    fn classify(&self, e: &reqwest::Error) -> SendError {
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(err) = source {
            if let Some(blocked) = err.downcast_ref::<BlockedName>() {
                return SendError::Blocked(blocked.0.clone());
            }
            source = err.source();
        }
        if e.is_timeout() {
            SendError::Timeout(self.config.timeout)
        } else if e.is_connect() {
            SendError::Connect(failure_in_words(e))
        } else {
            SendError::Other(error_chain(e))
        }
    }
}

/// A failed connection in words a receiver's owner understands ("connection refused by
/// example.com:443"), not the client's chain of wrappers; the innermost cause otherwise.
pub fn failure_in_words(e: &reqwest::Error) -> String {
    use std::io::ErrorKind;
    let host = e
        .url()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
        .unwrap_or_else(|| "the endpoint".to_owned());
    let mut innermost = e.to_string();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            let words = match io.kind() {
                ErrorKind::ConnectionRefused => Some("connection refused by"),
                ErrorKind::ConnectionReset => Some("connection reset by"),
                ErrorKind::ConnectionAborted => Some("connection closed by"),
                ErrorKind::TimedOut => Some("no answer to the connection from"),
                ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => Some("no route to"),
                _ => None,
            };
            if let Some(words) = words {
                return format!("{words} {host}");
            }
        }
        innermost = err.to_string();
        source = err.source();
    }
    format!("{host}: {innermost}")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn literal_ip(url: &reqwest::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

/// `Retry-After` as delay-seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value.trim()).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Why an endpoint URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("not a valid absolute URL: {0}")]
    Invalid(String),
    #[error("endpoint URLs must use https:// (http:// needs the --allow-http dev flag)")]
    NotHttps,
    #[error("endpoint URLs must not carry credentials")]
    Credentials,
    #[error("{0} is an internal address, refused by the SSRF guard")]
    Blocked(String),
}

impl UrlError {
    pub fn code(&self) -> &'static str {
        match self {
            UrlError::Invalid(_) => "invalid_url",
            UrlError::NotHttps => "https_required",
            UrlError::Credentials => "invalid_url",
            UrlError::Blocked(_) => "blocked_address",
        }
    }
}

fn check_url(url: &str, allow_http: bool, guard: &AddressGuard) -> Result<(), UrlError> {
    if url.starts_with(relay::SCHEME) {
        // Never leaves the server: a `hookshape listen` session takes it.
        return relay::session_of(url).map(|_| ()).ok_or_else(|| {
            UrlError::Invalid("`listen:` takes a session id of letters, digits, `-` and `_`".into())
        });
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| UrlError::Invalid(e.to_string()))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err(UrlError::NotHttps),
        other => return Err(UrlError::Invalid(format!("unsupported scheme `{other}`"))),
    }
    if parsed.host().is_none() {
        return Err(UrlError::Invalid("no host".into()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UrlError::Credentials);
    }
    if let Some(ip) = literal_ip(&parsed)
        && !guard.permits(ip)
    {
        return Err(UrlError::Blocked(ip.to_string()));
    }
    Ok(())
}
