//! hookshape's own parameters in the database URL, taken out before the driver reads the
//! rest: `connections`, this node's connection budget; and TLS as libpq names it, `sslmode`
//! (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`) and `sslrootcert` (a PEM file).

use std::str::FromStr;

use tokio_postgres::config::SslMode;

use super::tls::Verify;
use crate::store::{Result, StoreError};

/// A node's connections when the URL does not say: three nodes fit in PostgreSQL's default
/// `max_connections` (100, 3 of them reserved) with room for other clients.
pub const DEFAULT_CONNECTIONS: usize = 20;
/// One listener, one lazy connection and one for the rest, at least.
const MIN_CONNECTIONS: usize = 3;

pub(super) struct Options {
    pub config: tokio_postgres::Config,
    /// Every connection this node may open: both pools and the listener.
    pub connections: usize,
    /// What is checked of the server's certificate, and against which roots.
    pub verify: Verify,
    pub root: Option<std::path::PathBuf>,
}

impl Options {
    pub fn parse(url: &str) -> Result<Options> {
        let bad = |detail: String| StoreError::Engine(format!("postgres URL: {detail}"));
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut kept = Vec::new();
        let mut connections = DEFAULT_CONNECTIONS;
        let mut mode = "prefer".to_owned();
        let mut root = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name {
                "connections" => {
                    connections = value
                        .parse()
                        .ok()
                        .filter(|n| *n >= MIN_CONNECTIONS)
                        .ok_or_else(|| {
                            bad(format!(
                                "connections must be a number of at least {MIN_CONNECTIONS}, not {value:?}"
                            ))
                        })?;
                }
                "sslmode" => mode = value.to_owned(),
                "sslrootcert" => root = Some(std::path::PathBuf::from(value)),
                _ => kept.push(pair),
            }
        }
        let rest = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config = tokio_postgres::Config::from_str(&rest).map_err(|e| bad(e.to_string()))?;
        let (ssl, verify) = match (mode.as_str(), &root) {
            ("disable", _) => (SslMode::Disable, Verify::Nothing),
            ("allow" | "prefer", _) => (SslMode::Prefer, Verify::Nothing),
            ("require", None) => (SslMode::Require, Verify::Nothing),
            // As libpq: a root certificate given makes `require` check the chain.
            ("require" | "verify-ca", _) => (SslMode::Require, Verify::Chain),
            ("verify-full", _) => (SslMode::Require, Verify::Full),
            (other, _) => {
                return Err(bad(format!(
                    "sslmode must be disable, prefer, require, verify-ca or verify-full, not {other:?}"
                )));
            }
        };
        if verify != Verify::Nothing && root.is_none() {
            return Err(bad(format!(
                "sslmode={mode} needs sslrootcert, the CA certificate(s) to trust (PEM)"
            )));
        }
        config.ssl_mode(ssl);
        Ok(Options {
            config,
            connections,
            verify,
            root,
        })
    }

    /// How the budget is shared: (publishing and reads, writes that may wait for the WAL).
    /// The listener takes one.
    pub fn pools(&self) -> (usize, usize) {
        let lazy = ((self.connections - 1) / 3).max(1);
        (self.connections - 1 - lazy, lazy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_comes_out_of_the_url_and_is_shared_by_the_pools() {
        let o = Options::parse("postgres://u@127.0.0.1:5432/db").expect("plain");
        assert_eq!(o.connections, DEFAULT_CONNECTIONS);
        assert_eq!(o.pools(), (13, 6));
        let o = Options::parse("postgres://u@h/db?connect_timeout=5&connections=4").expect("ok");
        assert_eq!((o.connections, o.pools()), (4, (2, 1)));
        assert_eq!(o.config.get_dbname(), Some("db"));
        assert_eq!(
            o.config.get_connect_timeout(),
            Some(&std::time::Duration::from_secs(5))
        );
        for bad in ["connections=2", "connections=many", "connections="] {
            let err = Options::parse(&format!("postgres://u@h/db?{bad}"))
                .err()
                .expect("refused");
            assert!(err.to_string().contains("connections must be"), "{err}");
        }
        assert!(Options::parse("postgres://u@h/db?nonsense=1").is_err());
    }

    #[test]
    fn tls_is_read_as_libpq_reads_it() {
        let mode = |q: &str| {
            Options::parse(&format!("postgres://u@h/db?{q}"))
                .map(|o| (o.config.get_ssl_mode(), o.verify))
                .map_err(|e| e.to_string())
        };
        assert_eq!(mode(""), Ok((SslMode::Prefer, Verify::Nothing)));
        assert_eq!(
            mode("sslmode=disable"),
            Ok((SslMode::Disable, Verify::Nothing))
        );
        assert_eq!(
            mode("sslmode=require"),
            Ok((SslMode::Require, Verify::Nothing))
        );
        assert_eq!(
            mode("sslmode=require&sslrootcert=/ca.pem"),
            Ok((SslMode::Require, Verify::Chain))
        );
        assert_eq!(
            mode("sslrootcert=/ca.pem&sslmode=verify-full"),
            Ok((SslMode::Require, Verify::Full))
        );
        assert!(mode("sslmode=verify-full").is_err_and(|e| e.contains("needs sslrootcert")));
        assert!(mode("sslmode=maybe").is_err_and(|e| e.contains("sslmode must be")));
    }
}
