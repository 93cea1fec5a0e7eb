//! hookshape's own parameters in the database URL, taken out before the driver reads the
//! rest: `connections`, this node's connection budget.

use std::str::FromStr;

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
}

impl Options {
    pub fn parse(url: &str) -> Result<Options> {
        let bad = |detail: String| StoreError::Engine(format!("postgres URL: {detail}"));
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut kept = Vec::new();
        let mut connections = DEFAULT_CONNECTIONS;
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
                _ => kept.push(pair),
            }
        }
        let rest = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let config = tokio_postgres::Config::from_str(&rest).map_err(|e| bad(e.to_string()))?;
        Ok(Options {
            config,
            connections,
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
}
