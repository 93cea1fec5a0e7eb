//! `hookshape serve`: flags, environment variables and an optional JSON config file, in
//! that order of precedence, over the built-in defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use ipnet::IpNet;
use serde::Deserialize;

use crate::config::ServeConfig;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "HOOKSHAPE_LISTEN")]
    listen: Option<SocketAddr>,
    /// Directory for all state [default: ./hookshape-data].
    #[arg(long, env = "HOOKSHAPE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// A JSON file with any of these settings (flags and env vars win).
    #[arg(long, env = "HOOKSHAPE_CONFIG")]
    config: Option<PathBuf>,
    /// Directory of the built-in transforms' components (`javascript.wasm` is
    /// `builtin:javascript`) [default: the checkout's plugins/builtins, which `.ci/setup`
    /// fills].
    #[arg(long, env = "HOOKSHAPE_BUILTINS")]
    builtins: Option<PathBuf>,
    /// Admin token, from the environment only (HOOKSHAPE_TOKEN=…); when unset, one is
    /// generated on the first start, printed once, and only its hash kept.
    #[arg(
        long = "token-from-env-only",
        env = "HOOKSHAPE_TOKEN",
        hide_env_values = true,
        value_name = "HOOKSHAPE_TOKEN"
    )]
    token: Option<String>,
    /// Main key sealing secrets at rest (base64 of 32 bytes); main.key in the data
    /// directory, generated on first use, when unset.
    #[arg(
        long = "main-key-from-env-only",
        hide = true,
        env = "HOOKSHAPE_MAIN_KEY"
    )]
    main_key: Option<String>,
    /// Permit http:// endpoint URLs (development only).
    #[arg(long, env = "HOOKSHAPE_ALLOW_HTTP")]
    allow_http: bool,
    /// Permit endpoints on internal addresses (development only).
    #[arg(long, env = "HOOKSHAPE_ALLOW_PRIVATE_IPS")]
    allow_private_ips: bool,
    /// An internal address or network to permit anyway, e.g. 127.0.0.1 or 10.0.0.0/8
    /// (repeatable).
    #[arg(long = "allow-ip", env = "HOOKSHAPE_ALLOW_IPS", value_delimiter = ',', value_parser = parse_net)]
    allow_ips: Vec<IpNet>,
    /// Send every delivery through this forward proxy (http://host:port). HTTP_PROXY and
    /// HTTPS_PROXY are ignored; the proxy's address must pass the SSRF guard.
    #[arg(long, env = "HOOKSHAPE_PROXY")]
    proxy: Option<String>,
    /// Delays before each retry [default: 5s,30s,2m30s,12m30s,1h2m30s].
    #[arg(long, env = "HOOKSHAPE_RETRY_SCHEDULE", value_delimiter = ',', value_parser = humantime::parse_duration)]
    retry_schedule: Vec<Duration>,
    /// Time an endpoint has to answer [default: 10s].
    #[arg(long, env = "HOOKSHAPE_TIMEOUT", value_parser = humantime::parse_duration)]
    timeout: Option<Duration>,
    /// How long events, deliveries and attempts are kept [default: 30days].
    #[arg(long, env = "HOOKSHAPE_RETENTION", value_parser = humantime::parse_duration)]
    retention: Option<Duration>,
    /// Attempts in flight at once [default: 512].
    #[arg(long, env = "HOOKSHAPE_CONCURRENCY")]
    concurrency: Option<usize>,
    /// Attempts in flight at once per subscription [default: 32].
    #[arg(long, env = "HOOKSHAPE_PER_SUBSCRIPTION")]
    per_subscription: Option<usize>,
    /// Attempts in flight at once per workspace, so that one customer's backlog leaves
    /// slots for the others [default: 256].
    #[arg(long, env = "HOOKSHAPE_PER_WORKSPACE")]
    per_workspace: Option<usize>,
    /// Attempts in flight at once to one endpoint host, all subscriptions together, so a
    /// receiver shared by many customers is not flooded [default: 256].
    #[arg(long, env = "HOOKSHAPE_PER_HOST")]
    per_host: Option<usize>,
    /// Where state lives: `embedded` (in the data directory) or a postgres:// URL,
    /// which several nodes may share [default: embedded].
    #[arg(long, env = "HOOKSHAPE_STORE", hide_env_values = true, value_parser = parse_store)]
    store: Option<crate::store::Location>,
    /// With PostgreSQL: how long a node holds a job it claimed; a dead node's jobs are taken
    /// over once it has passed. Longer than any attempt [default: 60s].
    #[arg(long, env = "HOOKSHAPE_LEASE", value_parser = humantime::parse_duration)]
    lease: Option<Duration>,
    /// Default plugin time limit per call, in ms [default: 100].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_TIMEOUT_MS")]
    plugin_timeout_ms: Option<u64>,
    /// Default plugin memory limit, in bytes [default: 67108864].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_MEMORY_BYTES")]
    plugin_memory_bytes: Option<u64>,
    /// The longest time limit a subscription may give its plugin, in ms [default: 1000].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_MAX_TIMEOUT_MS")]
    plugin_max_timeout_ms: Option<u64>,
    /// The largest plugin memory limit a subscription may set, in bytes [default: 268435456].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_MAX_MEMORY_BYTES")]
    plugin_max_memory_bytes: Option<u64>,
    /// The largest plugin output (body and headers) a subscription may allow, in bytes
    /// [default: 4194304].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_MAX_OUTPUT_BYTES")]
    plugin_max_output_bytes: Option<u64>,
    /// The largest plugin log volume per call a subscription may allow, in bytes
    /// [default: 262144].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_MAX_LOG_BYTES")]
    plugin_max_log_bytes: Option<u64>,
    /// Memory that idle plugin instances of all subscriptions together may keep (bytes, or
    /// with a KiB/MiB/GiB suffix); the least recently used are dropped and re-created on
    /// demand [default: 256MiB].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_MEMORY", value_parser = parse_size)]
    plugin_memory: Option<u64>,
    /// Plugin instances alive at once, all subscriptions together [default: one per MiB of
    /// --plugin-memory, plus 256]. Each reserves 8 GiB of address space (not memory); lower
    /// it where `ulimit -v` is set.
    #[arg(long, env = "HOOKSHAPE_MAX_INSTANCES")]
    max_instances: Option<u32>,
    /// Subscriptions each workspace may hold [default: 1000].
    #[arg(long, env = "HOOKSHAPE_MAX_SUBSCRIPTIONS")]
    max_subscriptions: Option<usize>,
    /// Plugins each workspace may hold [default: 100].
    #[arg(long, env = "HOOKSHAPE_MAX_PLUGINS")]
    max_plugins: Option<usize>,
    /// Events a second each workspace may publish, in bursts of two seconds' worth; 0 for
    /// no limit [default: 5000].
    #[arg(long, env = "HOOKSHAPE_PUBLISH_PER_SECOND")]
    publish_per_second: Option<u32>,
    /// Largest JSON request body, in bytes [default: 1048576].
    #[arg(long, env = "HOOKSHAPE_JSON_BODY_LIMIT")]
    json_body_limit: Option<usize>,
    /// Time a client has to send a request's headers; a keep-alive connection idle that
    /// long is closed too [default: 10s].
    #[arg(long, env = "HOOKSHAPE_HEADER_READ_TIMEOUT", value_parser = humantime::parse_duration)]
    header_read_timeout: Option<Duration>,
    /// HTTP connections open at once; more clients wait to be accepted [default: 1000].
    #[arg(long, env = "HOOKSHAPE_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Largest plugin upload, in bytes [default: 67108864].
    #[arg(long, env = "HOOKSHAPE_PLUGIN_BODY_LIMIT")]
    plugin_body_limit: Option<usize>,
    /// Largest object kept as a snapshot for `previous`, in bytes; a larger one is not
    /// remembered [default: 65536].
    #[arg(long, env = "HOOKSHAPE_SNAPSHOT_MAX_BYTES")]
    snapshot_max_bytes: Option<usize>,
    /// The URL this server is reached at from outside (`https://hooks.example.com`), used in
    /// portal links [default: the host a request came to, over http].
    #[arg(long, env = "HOOKSHAPE_PUBLIC_URL")]
    public_url: Option<String>,
    /// Consecutive failed attempts that open a subscription's circuit: its deliveries then
    /// wait for a probe instead of using up retries [default: 5].
    #[arg(long, env = "HOOKSHAPE_CIRCUIT_FAILURES")]
    circuit_failures: Option<u32>,
    /// The first wait before an open circuit's probe; it doubles up to 10 minutes
    /// [default: 30s].
    #[arg(long, env = "HOOKSHAPE_CIRCUIT_COOLDOWN", value_parser = humantime::parse_duration)]
    circuit_cooldown: Option<Duration>,
    /// Disable a subscription whose circuit has stayed open this long (0: never)
    /// [default: 5days].
    #[arg(long, env = "HOOKSHAPE_CIRCUIT_DISABLE_AFTER", value_parser = humantime::parse_duration)]
    circuit_disable_after: Option<Duration>,
    /// A token for Prometheus to read `/metrics` with (an admin token works too).
    #[arg(
        long = "metrics-token-from-env-only",
        env = "HOOKSHAPE_METRICS_TOKEN",
        hide_env_values = true,
        value_name = "HOOKSHAPE_METRICS_TOKEN"
    )]
    metrics_token: Option<String>,
    /// Export OpenTelemetry traces over OTLP/HTTP (protobuf) to this collector, e.g.
    /// http://localhost:4318 (`/v1/traces` is added to a URL without a path) [default: off].
    #[arg(long, env = "HOOKSHAPE_OTLP_ENDPOINT")]
    otlp_endpoint: Option<String>,
    /// Share of traces kept, 0 to 1; a publish whose `traceparent` is sampled is always kept
    /// [default: 1].
    #[arg(long, env = "HOOKSHAPE_TRACE_SAMPLE_RATIO")]
    trace_sample_ratio: Option<f64>,
    /// Log format.
    #[arg(long, env = "HOOKSHAPE_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
}

/// The config file: the same settings, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    builtins: Option<PathBuf>,
    allow_http: Option<bool>,
    allow_private_ips: Option<bool>,
    allow_ips: Option<Vec<IpNet>>,
    proxy: Option<String>,
    retry_schedule: Option<Vec<String>>,
    timeout: Option<String>,
    retention: Option<String>,
    concurrency: Option<usize>,
    per_subscription: Option<usize>,
    per_workspace: Option<usize>,
    per_host: Option<usize>,
    store: Option<String>,
    lease: Option<String>,
    plugin_timeout_ms: Option<u64>,
    plugin_memory_bytes: Option<u64>,
    plugin_max_timeout_ms: Option<u64>,
    plugin_max_memory_bytes: Option<u64>,
    plugin_max_output_bytes: Option<u64>,
    plugin_max_log_bytes: Option<u64>,
    max_instances: Option<u32>,
    plugin_memory: Option<String>,
    public_url: Option<String>,
    max_subscriptions: Option<usize>,
    max_plugins: Option<usize>,
    publish_per_second: Option<u32>,
    rotation_overlap: Option<String>,
    otlp_endpoint: Option<String>,
    trace_sample_ratio: Option<f64>,
}

/// A network, or a single address (`127.0.0.1` is `127.0.0.1/32`).
fn parse_store(text: &str) -> Result<crate::store::Location, String> {
    text.parse()
}

fn parse_net(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is neither an IP address nor a network such as 10.0.0.0/8"))
}

/// A size in bytes: `268435456`, `256MiB`, `64 KiB`, `1GiB` (also KB/MB/GB, taken as binary).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 268435456 or 256MiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{text}`: unknown unit (use KiB, MiB or GiB)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

fn duration(text: &str, what: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("config `{what}`: {e}"))
}

/// What the server reports on besides its work: the log format, and where traces go.
struct Reporting {
    log_format: String,
    otlp: Option<crate::telemetry::Otlp>,
}

fn resolve(args: ServeArgs) -> Result<(ServeConfig, Reporting), String> {
    let file: FileConfig = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => FileConfig::default(),
    };
    let mut c = ServeConfig::default();
    c.listen = args.listen.or(file.listen).unwrap_or(c.listen);
    c.data_dir = args.data_dir.or(file.data_dir).unwrap_or(c.data_dir);
    c.builtins_dir = Some(args.builtins.or(file.builtins).unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins/builtins")
    }));
    c.token = args.token.filter(|t| !t.is_empty());
    c.main_key = args.main_key.filter(|k| !k.is_empty());
    c.allow_http = args.allow_http || file.allow_http.unwrap_or(false);
    c.allow_private_ips = args.allow_private_ips || file.allow_private_ips.unwrap_or(false);
    c.allow_ips = if args.allow_ips.is_empty() {
        file.allow_ips.unwrap_or_default()
    } else {
        args.allow_ips
    };
    c.proxy = args.proxy.or(file.proxy);
    if !args.retry_schedule.is_empty() {
        c.retry.schedule = args.retry_schedule;
    } else if let Some(schedule) = file.retry_schedule {
        c.retry.schedule = schedule
            .iter()
            .map(|s| duration(s, "retrySchedule"))
            .collect::<Result<_, _>>()?;
    }
    if let Some(t) = args.timeout {
        c.timeout = t;
    } else if let Some(t) = file.timeout {
        c.timeout = duration(&t, "timeout")?;
    }
    if let Some(r) = args.retention {
        c.retention = r;
    } else if let Some(r) = file.retention {
        c.retention = duration(&r, "retention")?;
    }
    if let Some(o) = file.rotation_overlap {
        c.rotation_overlap = duration(&o, "rotationOverlap")?;
    }
    c.concurrency = args
        .concurrency
        .or(file.concurrency)
        .unwrap_or(c.concurrency);
    c.per_host = args.per_host.or(file.per_host).unwrap_or(c.per_host).max(1);
    if let Some(store) = args.store {
        c.store = store;
    } else if let Some(text) = &file.store {
        c.store = parse_store(text).map_err(|e| format!("store: {e}"))?;
    }
    if let Some(lease) = args.lease {
        c.lease = lease;
    } else if let Some(text) = &file.lease {
        c.lease = humantime::parse_duration(text).map_err(|e| format!("lease: {e}"))?;
    }
    if c.lease < Duration::from_secs(1) {
        return Err("lease: at least 1s".into());
    }
    c.per_workspace = args
        .per_workspace
        .or(file.per_workspace)
        .unwrap_or(c.per_workspace)
        .max(1);
    c.per_subscription = args
        .per_subscription
        .or(file.per_subscription)
        .unwrap_or(c.per_subscription);
    c.plugin_limits.timeout_ms = args
        .plugin_timeout_ms
        .or(file.plugin_timeout_ms)
        .unwrap_or(c.plugin_limits.timeout_ms);
    c.plugin_limits.memory_bytes = args
        .plugin_memory_bytes
        .or(file.plugin_memory_bytes)
        .unwrap_or(c.plugin_limits.memory_bytes);
    let ceilings = &mut c.plugin_ceilings;
    ceilings.timeout_ms = args
        .plugin_max_timeout_ms
        .or(file.plugin_max_timeout_ms)
        .unwrap_or(ceilings.timeout_ms);
    ceilings.memory_bytes = args
        .plugin_max_memory_bytes
        .or(file.plugin_max_memory_bytes)
        .unwrap_or(ceilings.memory_bytes);
    ceilings.output_bytes = args
        .plugin_max_output_bytes
        .or(file.plugin_max_output_bytes)
        .unwrap_or(ceilings.output_bytes);
    ceilings.log_bytes = args
        .plugin_max_log_bytes
        .or(file.plugin_max_log_bytes)
        .unwrap_or(ceilings.log_bytes);
    let quotas = &mut c.quotas;
    quotas.max_subscriptions = args
        .max_subscriptions
        .or(file.max_subscriptions)
        .unwrap_or(quotas.max_subscriptions);
    quotas.max_plugins = args
        .max_plugins
        .or(file.max_plugins)
        .unwrap_or(quotas.max_plugins);
    if let Some(rate) = args.publish_per_second.or(file.publish_per_second) {
        quotas.publish_per_second = (rate > 0).then_some(rate);
    }
    c.json_body_limit = args.json_body_limit.unwrap_or(c.json_body_limit);
    c.plugin_body_limit = args.plugin_body_limit.unwrap_or(c.plugin_body_limit);
    if let Some(t) = args.header_read_timeout {
        c.connections.header_read_timeout = t.max(Duration::from_millis(100));
    }
    if let Some(n) = args.max_connections {
        c.connections.max_connections = n.max(1);
    }
    c.snapshot_max_bytes = args.snapshot_max_bytes.unwrap_or(c.snapshot_max_bytes);
    c.public_url = args.public_url.or(file.public_url);
    c.metrics_token = args.metrics_token;
    if let Some(n) = args.circuit_failures {
        c.circuit.failures = n.max(1);
    }
    if let Some(d) = args.circuit_cooldown {
        c.circuit.cooldown = d.max(Duration::from_millis(1));
        c.circuit.max_cooldown = c.circuit.max_cooldown.max(c.circuit.cooldown);
    }
    if let Some(d) = args.circuit_disable_after {
        c.circuit.disable_after = (!d.is_zero()).then_some(d);
    }
    c.max_instances = args.max_instances.or(file.max_instances).map(|n| n.max(1));
    if let Some(size) = args.plugin_memory {
        c.plugin_memory = size;
    } else if let Some(text) = &file.plugin_memory {
        c.plugin_memory = parse_size(text).map_err(|e| format!("pluginMemory: {e}"))?;
    }
    let otlp = match args.otlp_endpoint.or(file.otlp_endpoint) {
        Some(endpoint) => Some(crate::telemetry::Otlp::new(
            &endpoint,
            args.trace_sample_ratio
                .or(file.trace_sample_ratio)
                .unwrap_or(1.0),
        )?),
        None => None,
    };
    let log_format = args.log_format;
    Ok((c, Reporting { log_format, otlp }))
}

pub fn run(args: ServeArgs) -> ExitCode {
    let (config, reporting) = match resolve(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match super::runtime(true) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The trace exporter's requests run on this runtime.
    let telemetry = {
        let _inside = runtime.enter();
        crate::telemetry::init(&reporting.log_format, reporting.otlp.as_ref())
    };
    runtime.block_on(async {
        let code = serve(config).await;
        // Blocking until the last spans are sent, which needs the runtime's workers.
        let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
        code
    })
}

async fn serve(config: ServeConfig) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    let data_dir = config.data_dir.clone();
    let server = match crate::server::start(config, listener).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(token) = &server.new_token {
        // Printed once, on the start that created it; only its hash is kept.
        println!(
            "admin token (shown once; {} keeps only its hash): {token}",
            data_dir.display()
        );
    }
    tracing::info!(addr = %server.addr, data_dir = %data_dir.display(), "hookshape is listening");
    wait_for_signal().await;
    tracing::info!("shutting down: finishing deliveries in flight");
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
