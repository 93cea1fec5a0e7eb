//! Object snapshots: one row per object, swapped under its row lock so that concurrent
//! publishes of one object on several nodes each see the version before their own.

use super::PgStore;
use crate::store::Result;

impl PgStore {
    pub(super) async fn swap_snapshot(
        &self,
        key: &str,
        object: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>> {
        let c = self.client().await?;
        let Some(body) = object else {
            let st = c
                .prepare_cached("DELETE FROM snapshots WHERE key = $1 RETURNING body")
                .await?;
            let row = c.query_opt(&st, &[&key]).await?;
            return Ok(row.map(|r| r.get::<_, Vec<u8>>(0)));
        };
        // Replace under the row's lock, reading the version replaced (the CTE runs first,
        // waiting for a concurrent swap and then seeing its version); a new key is inserted,
        // and if another swap inserted it first, replaced after all.
        let update = c
            .prepare_cached(
                "WITH old AS MATERIALIZED (SELECT key, body FROM snapshots WHERE key = $1 FOR UPDATE)
                 UPDATE snapshots s SET at_ms = $2, body = $3 FROM old WHERE s.key = old.key
                 RETURNING old.body",
            )
            .await?;
        let insert = c
            .prepare_cached(
                "INSERT INTO snapshots (key, at_ms, body) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO NOTHING",
            )
            .await?;
        let at = now_ms as i64;
        loop {
            if let Some(row) = c.query_opt(&update, &[&key, &at, &body]).await? {
                return Ok(Some(row.get::<_, Vec<u8>>(0)));
            }
            if c.execute(&insert, &[&key, &at, &body]).await? == 1 {
                return Ok(None);
            }
        }
    }

    pub(super) async fn delete_snapshots_with_prefix(&self, prefix: &str) -> Result<usize> {
        let c = self.client().await?;
        let st = c
            .prepare_cached("DELETE FROM snapshots WHERE starts_with(key, $1)")
            .await?;
        let n = c.execute(&st, &[&prefix]).await?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) async fn purge_snapshots_before(&self, cutoff_ms: u64) -> Result<usize> {
        let c = self.client().await?;
        let st = c
            .prepare_cached("DELETE FROM snapshots WHERE at_ms < $1")
            .await?;
        let n = c.execute(&st, &[&(cutoff_ms as i64)]).await?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}
