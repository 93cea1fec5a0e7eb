//! Server settings, with the defaults `hookshape serve` uses when given nothing.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ipnet::IpNet;

use crate::dispatch::RetryPolicy;
use crate::plugin::{Ceilings, Limits};

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Where precompiled plugins are kept; `<data dir>/plugin-cache` when `None`.
    pub plugin_cache_dir: Option<PathBuf>,
    /// Where the built-in transforms' components are (`{name}.wasm`: `builtin:{name}`);
    /// none when `None`.
    pub builtins_dir: Option<PathBuf>,
    /// The admin token; generated and stored in the data directory when `None`.
    pub token: Option<String>,
    /// The main key sealing secrets at rest (base64 of 32 bytes); `<data dir>/main.key`,
    /// generated on first use, when `None`.
    pub main_key: Option<String>,
    /// Permit `http://` endpoint URLs (development).
    pub allow_http: bool,
    /// Permit internal addresses (development).
    pub allow_private_ips: bool,
    /// Internal networks permitted anyway (e.g. `127.0.0.1/32`).
    pub allow_ips: Vec<IpNet>,
    /// A forward proxy for every delivery; proxy variables in the environment are ignored.
    pub proxy: Option<String>,
    pub retry: RetryPolicy,
    /// Time allowed for an endpoint to answer.
    pub timeout: Duration,
    pub concurrency: usize,
    pub per_subscription: usize,
    /// Attempts in flight at once per workspace, all its subscriptions together.
    pub per_workspace: usize,
    /// Attempts in flight at once per endpoint host, all subscriptions together.
    pub per_host: usize,
    /// Where state lives.
    pub store: crate::store::Location,
    /// How long a node holds a claimed job (PostgreSQL).
    pub lease: Duration,
    pub retention: Duration,
    /// How long an old secret keeps signing after a rotation.
    pub rotation_overlap: Duration,
    /// Limits of a subscription that sets none.
    pub plugin_limits: Limits,
    /// The largest limits a subscription may set.
    pub plugin_ceilings: Ceilings,
    /// Plugin instances alive at once (pool slots); derived from `plugin_memory` when unset.
    pub max_instances: Option<u32>,
    /// Memory idle plugin instances of all subscriptions together may keep, in bytes.
    pub plugin_memory: u64,
    pub json_body_limit: usize,
    pub plugin_body_limit: usize,
    /// Largest object kept as a snapshot, in bytes (larger ones are not remembered).
    pub snapshot_max_bytes: usize,
    /// Bytes of each response body kept in the attempt log.
    pub response_limit: usize,
    /// What each workspace may hold.
    pub quotas: crate::api::Quotas,
    /// The URL the server is reached at from outside, for portal links.
    pub public_url: Option<String>,
    /// A token that reads `/metrics` (and nothing else).
    pub metrics_token: Option<String>,
    /// When subscriptions' circuits open, and when a long outage disables them.
    pub circuit: crate::dispatch::CircuitConfig,
    /// Time given to attempts in flight at shutdown.
    pub shutdown_grace: Duration,
    /// What each HTTP client may hold of the server: connections, time to send headers.
    pub connections: crate::http_server::ConnectionLimits,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("hookshape-data"),
            plugin_cache_dir: None,
            builtins_dir: None,
            token: None,
            main_key: None,
            allow_http: false,
            allow_private_ips: false,
            allow_ips: Vec::new(),
            proxy: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(10),
            concurrency: 512,
            per_subscription: 32,
            per_workspace: 256,
            per_host: 256,
            store: crate::store::Location::Embedded,
            lease: Duration::from_secs(60),
            retention: Duration::from_secs(30 * 24 * 3600),
            rotation_overlap: Duration::from_secs(24 * 3600),
            plugin_limits: Limits::default(),
            plugin_ceilings: Ceilings::default(),
            max_instances: None,
            plugin_memory: crate::plugin::DEFAULT_MEMORY_BUDGET,
            json_body_limit: 1 << 20,
            plugin_body_limit: 64 << 20,
            snapshot_max_bytes: 64 << 10,
            response_limit: 4 << 10,
            shutdown_grace: Duration::from_secs(15),
            connections: crate::http_server::ConnectionLimits::default(),
            public_url: None,
            metrics_token: None,
            circuit: crate::dispatch::CircuitConfig::default(),
            quotas: crate::api::Quotas {
                max_subscriptions: 1_000,
                max_plugins: 100,
                publish_per_second: Some(5_000),
            },
        }
    }
}
