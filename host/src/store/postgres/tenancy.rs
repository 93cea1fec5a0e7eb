//! Workspaces, tokens, plugins and their references, sealed subscriptions and the catalog,
//! in SQL.

use super::rows::{bodies, body};
use super::{CHANNEL, PgStore};
use crate::model::{CatalogEntry, PluginRecord, Subscription, TokenRecord, Workspace};
use crate::store::{Result, encode};

/// `''` stands for the global catalog.
fn catalog_ws(ws: Option<&str>) -> &str {
    ws.unwrap_or("")
}

impl PgStore {
    pub(super) async fn workspace(&self, id: &str) -> Result<Option<Workspace>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM workspaces WHERE id = $1")
                    .await?,
                &[&id],
            )
            .await?;
        row.map(|r| body(&r, id)).transpose()
    }

    pub(super) async fn workspaces(&self) -> Result<Vec<Workspace>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT body FROM workspaces ORDER BY id")
                    .await?,
                &[],
            )
            .await?;
        bodies(&rows, "workspace")
    }

    pub(super) async fn put_workspace(&self, ws: &Workspace) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "INSERT INTO workspaces (id, body) VALUES ($1, $2)
             ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body",
            )
            .await?,
            &[&ws.id, &encode(ws)],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn create_workspace(&self, ws: &Workspace) -> Result<bool> {
        let c = self.client().await?;
        let n = c
            .execute(
                &c.prepare_cached(
                    "INSERT INTO workspaces (id, body) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .await?,
                &[&ws.id, &encode(ws)],
            )
            .await?;
        Ok(n == 1)
    }

    pub(super) async fn delete_workspace(&self, id: &str) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute("DELETE FROM workspace_plugins WHERE workspace = $1", &[&id])
            .await?;
        tx.execute(
            "DELETE FROM plugins p WHERE NOT EXISTS
             (SELECT 1 FROM workspace_plugins w WHERE w.plugin = p.id)",
            &[],
        )
        .await?;
        let n = tx
            .execute("DELETE FROM workspaces WHERE id = $1", &[&id])
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    pub(super) async fn put_token(&self, record: &TokenRecord) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute("DELETE FROM tokens WHERE id = $1", &[&record.id])
            .await?;
        tx.execute(
            "INSERT INTO tokens (hash, id, body) VALUES ($1, $2, $3)
             ON CONFLICT (hash) DO UPDATE SET id = EXCLUDED.id, body = EXCLUDED.body",
            &[&record.hash, &record.id, &encode(record)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM tokens WHERE hash = $1")
                    .await?,
                &[&hash],
            )
            .await?;
        row.map(|r| body(&r, "token")).transpose()
    }

    pub(super) async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT body FROM tokens ORDER BY hash")
                    .await?,
                &[],
            )
            .await?;
        bodies(&rows, "token")
    }

    pub(super) async fn delete_token(&self, id: &str) -> Result<bool> {
        let c = self.client().await?;
        let n = c
            .execute(
                &c.prepare_cached("DELETE FROM tokens WHERE id = $1").await?,
                &[&id],
            )
            .await?;
        Ok(n > 0)
    }

    pub(super) async fn touch_token(&self, hash: &str, now_ms: u64) -> Result<()> {
        let Some(mut record) = self.token_by_hash(hash).await? else {
            return Ok(());
        };
        record.last_used_ms = Some(now_ms);
        let c = self.lazy_client().await?;
        c.execute(
            &c.prepare_cached("UPDATE tokens SET body = $2 WHERE hash = $1")
                .await?,
            &[&hash, &encode(&record)],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn put_plugin(
        &self,
        record: &PluginRecord,
        wasm: &[u8],
    ) -> Result<PluginRecord> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "INSERT INTO plugins (id, body, wasm) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .await?,
            &[&record.id, &encode(record), &wasm],
        )
        .await?;
        let row = c
            .query_one(
                &c.prepare_cached("SELECT body FROM plugins WHERE id = $1")
                    .await?,
                &[&record.id],
            )
            .await?;
        body(&row, &record.id)
    }

    pub(super) async fn plugin(&self, id: &str) -> Result<Option<PluginRecord>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM plugins WHERE id = $1")
                    .await?,
                &[&id],
            )
            .await?;
        row.map(|r| body(&r, id)).transpose()
    }

    pub(super) async fn plugin_wasm(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT wasm FROM plugins WHERE id = $1")
                    .await?,
                &[&id],
            )
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub(super) async fn plugins(&self) -> Result<Vec<PluginRecord>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT body FROM plugins ORDER BY id")
                    .await?,
                &[],
            )
            .await?;
        bodies(&rows, "plugin")
    }

    pub(super) async fn plugin_in(&self, ws: &str, id: &str) -> Result<Option<PluginRecord>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached(
                    "SELECT body FROM workspace_plugins WHERE workspace = $1 AND plugin = $2",
                )
                .await?,
                &[&ws, &id],
            )
            .await?;
        row.map(|r| body(&r, id)).transpose()
    }

    pub(super) async fn plugins_in(&self, ws: &str) -> Result<Vec<PluginRecord>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "SELECT body FROM workspace_plugins WHERE workspace = $1 ORDER BY plugin",
                )
                .await?,
                &[&ws],
            )
            .await?;
        bodies(&rows, "plugin reference")
    }

    pub(super) async fn put_plugin_ref(&self, ws: &str, record: &PluginRecord) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "INSERT INTO workspace_plugins (workspace, plugin, body) VALUES ($1, $2, $3)
             ON CONFLICT (workspace, plugin) DO UPDATE SET body = EXCLUDED.body",
            )
            .await?,
            &[&ws, &record.id, &encode(record)],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn delete_plugin_ref(&self, ws: &str, id: &str) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let n = tx
            .execute(
                "DELETE FROM workspace_plugins WHERE workspace = $1 AND plugin = $2",
                &[&ws, &id],
            )
            .await?;
        tx.execute(
            "DELETE FROM plugins WHERE id = $1 AND NOT EXISTS
             (SELECT 1 FROM workspace_plugins WHERE plugin = $1)",
            &[&id],
        )
        .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    pub(super) async fn put_sealed_subscription(&self, sub: &Subscription) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "WITH put AS (
                INSERT INTO subscriptions (id, workspace, etag, body) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET workspace = EXCLUDED.workspace,
                    etag = EXCLUDED.etag, body = EXCLUDED.body
             ) SELECT pg_notify($5, 's:' || $1)",
            )
            .await?,
            &[&sub.id, &sub.workspace, &sub.etag, &encode(sub), &CHANNEL],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn sealed_subscription(&self, id: &str) -> Result<Option<Subscription>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM subscriptions WHERE id = $1")
                    .await?,
                &[&id],
            )
            .await?;
        row.map(|r| body(&r, id)).transpose()
    }

    pub(super) async fn sealed_subscriptions(&self) -> Result<Vec<Subscription>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT body FROM subscriptions ORDER BY id")
                    .await?,
                &[],
            )
            .await?;
        bodies(&rows, "subscription")
    }

    pub(super) async fn swap_sealed_subscription(
        &self,
        sub: &Subscription,
        etag: &str,
    ) -> Result<bool> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "WITH swapped AS (
                    UPDATE subscriptions SET etag = $3, body = $4
                    WHERE id = $1 AND etag = $2 RETURNING id
                 ) SELECT pg_notify($5, 's:' || id) FROM swapped",
                )
                .await?,
                &[&sub.id, &etag, &sub.etag, &encode(sub), &CHANNEL],
            )
            .await?;
        Ok(!rows.is_empty())
    }

    pub(super) async fn subscription_ids_in(&self, ws: &str) -> Result<Vec<String>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT id FROM subscriptions WHERE workspace = $1 ORDER BY id")
                    .await?,
                &[&ws],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(super) async fn delete_subscription(&self, ws: &str, id: &str) -> Result<bool> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached(
                    "WITH gone AS (
                    DELETE FROM subscriptions WHERE id = $1 AND workspace = $2 RETURNING id
                 ) SELECT pg_notify($3, 's:' || id) FROM gone",
                )
                .await?,
                &[&id, &ws, &CHANNEL],
            )
            .await?;
        Ok(!rows.is_empty())
    }

    pub(super) async fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached(
                "INSERT INTO catalog (workspace, name, body) VALUES ($1, $2, $3)
             ON CONFLICT (workspace, name) DO UPDATE SET body = EXCLUDED.body",
            )
            .await?,
            &[
                &catalog_ws(entry.workspace.as_deref()),
                &entry.name,
                &encode(entry),
            ],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn catalog_entry(
        &self,
        ws: Option<&str>,
        name: &str,
    ) -> Result<Option<CatalogEntry>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &c.prepare_cached("SELECT body FROM catalog WHERE workspace = $1 AND name = $2")
                    .await?,
                &[&catalog_ws(ws), &name],
            )
            .await?;
        row.map(|r| body(&r, name)).transpose()
    }

    pub(super) async fn catalog_of(&self, ws: Option<&str>) -> Result<Vec<CatalogEntry>> {
        let c = self.client().await?;
        let rows = c
            .query(
                &c.prepare_cached("SELECT body FROM catalog WHERE workspace = $1 ORDER BY name")
                    .await?,
                &[&catalog_ws(ws)],
            )
            .await?;
        bodies(&rows, "catalog entry")
    }

    pub(super) async fn delete_catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<bool> {
        let c = self.client().await?;
        let n = c
            .execute(
                &c.prepare_cached("DELETE FROM catalog WHERE workspace = $1 AND name = $2")
                    .await?,
                &[&catalog_ws(ws), &name],
            )
            .await?;
        Ok(n == 1)
    }

    pub(super) async fn delete_catalog_of(&self, ws: &str) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            &c.prepare_cached("DELETE FROM catalog WHERE workspace = $1")
                .await?,
            &[&ws],
        )
        .await?;
        Ok(())
    }
}
