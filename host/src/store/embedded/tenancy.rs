//! Workspaces, tokens, and each workspace's references to plugins; the upgrade of a data
//! directory written before workspaces.

use super::kv::Kv;
use super::{EmbeddedStore, Result, decode, encode, keys};
use crate::model::{
    DEFAULT_WORKSPACE, Delivery, PluginRecord, Subscription, TokenRecord, Workspace, time,
};

/// The layout version this code writes (3: deliveries indexed by status).
const SCHEMA: &[u8] = b"3";

impl EmbeddedStore {
    /// Brings an older data directory to the current layout, one version at a time.
    pub(super) fn upgrade(&self) -> Result<()> {
        let version = self.tree.get(keys::SCHEMA)?;
        if version.as_deref() == Some(SCHEMA) {
            return Ok(());
        }
        if version.as_deref() != Some(b"2") {
            self.upgrade_to_workspaces()?;
        }
        self.index_statuses()?;
        self.tree.insert(keys::SCHEMA, SCHEMA)?;
        self.flush_sync()?;
        Ok(())
    }

    /// Layout 2: everything made before workspaces belongs to `default` (subscriptions and
    /// plugins get their workspace index), and a generated admin token kept in clear is
    /// replaced by its hash.
    fn upgrade_to_workspaces(&self) -> Result<()> {
        let now = time::now_ms();
        if self.workspace(DEFAULT_WORKSPACE)?.is_none() {
            self.put_workspace(&Workspace::default_one(now))?;
        }
        for sub in self.scan::<Subscription>(b"s/")? {
            self.tree
                .insert(keys::workspace_subscription(&sub.workspace, &sub.id), b"")?;
        }
        for plugin in self.scan::<PluginRecord>(b"p/")? {
            let key = keys::workspace_plugin(DEFAULT_WORKSPACE, &plugin.id);
            if !self.tree.contains_key(&key)? {
                self.tree.insert(key, encode(&plugin))?;
            }
        }
        if let Some(clear) = self.tree.get(keys::TOKEN)? {
            let token = String::from_utf8_lossy(&clear).into_owned();
            self.put_token(&crate::store::bootstrap_record(&token, now))?;
            self.tree.remove(keys::TOKEN)?;
        }
        Ok(())
    }

    /// Layout 3: every delivery in its subscription's index by status.
    fn index_statuses(&self) -> Result<()> {
        for kv in self.tree.scan_prefix(b"d/") {
            let (k, v) = kv?;
            let d: Delivery = decode(&k, &v)?;
            self.tree
                .insert(keys::sub_status(&d.subscription_id, d.status, &d.id), b"")?;
        }
        Ok(())
    }

    // --- workspaces ---

    pub(super) fn workspace(&self, id: &str) -> Result<Option<Workspace>> {
        self.get(&keys::workspace(id))
    }

    pub(super) fn workspaces(&self) -> Result<Vec<Workspace>> {
        self.scan(keys::WORKSPACES)
    }

    pub(super) fn put_workspace(&self, ws: &Workspace) -> Result<()> {
        self.tree.insert(keys::workspace(&ws.id), encode(ws))?;
        self.flush_sync()?;
        Ok(())
    }

    /// Creates a workspace unless its id is taken; false when it was.
    pub(super) fn create_workspace(&self, ws: &Workspace) -> Result<bool> {
        let created = {
            let _exclusive = Kv::exclusive();
            let key = keys::workspace(&ws.id);
            let free = !self.tree.contains_key(&key)?;
            if free {
                self.tree.insert(key, encode(ws))?;
            }
            free
        };
        self.flush_sync()?;
        Ok(created)
    }

    /// Removes a workspace record and its plugin references (its subscriptions must be
    /// gone already).
    pub(super) fn delete_workspace(&self, id: &str) -> Result<bool> {
        for plugin in self.plugins_in(id)? {
            self.delete_plugin_ref(id, &plugin.id)?;
        }
        let existed = self.tree.take(keys::workspace(id))?.is_some();
        self.flush_sync()?;
        Ok(existed)
    }

    /// The ids of a workspace's subscriptions, oldest first.
    pub(super) fn subscription_ids_in(&self, ws: &str) -> Result<Vec<String>> {
        let prefix = keys::workspace_subscriptions(ws);
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, _) = kv?;
            out.extend(keys::suffix_id(&k, &prefix));
        }
        Ok(out)
    }

    // --- plugin references ---

    /// The workspace's reference to a plugin (with the name it gave it).
    pub(super) fn plugin_in(&self, ws: &str, id: &str) -> Result<Option<PluginRecord>> {
        self.get(&keys::workspace_plugin(ws, id))
    }

    pub(super) fn plugins_in(&self, ws: &str) -> Result<Vec<PluginRecord>> {
        self.scan(&keys::workspace_plugins(ws))
    }

    /// Adds (or renames) the workspace's reference to a stored plugin.
    pub(super) fn put_plugin_ref(&self, ws: &str, record: &PluginRecord) -> Result<()> {
        self.tree
            .insert(keys::workspace_plugin(ws, &record.id), encode(record))?;
        self.flush_sync()?;
        Ok(())
    }

    /// Removes the workspace's reference; the code goes too once no workspace refers to it.
    /// True when the reference existed.
    pub(super) fn delete_plugin_ref(&self, ws: &str, id: &str) -> Result<bool> {
        let existed = self.tree.take(keys::workspace_plugin(ws, id))?.is_some();
        let suffix = format!("/{id}");
        let still_used = self
            .tree
            .keys_with_prefix(keys::WORKSPACE_PLUGINS)?
            .iter()
            .any(|k| k.ends_with(suffix.as_bytes()));
        if !still_used {
            self.delete_plugin(id)?;
        }
        self.flush_sync()?;
        Ok(existed)
    }

    // --- tokens ---

    pub(super) fn put_token(&self, record: &TokenRecord) -> Result<()> {
        let mut batch = self.kv.batch();
        batch.insert(&self.tree, keys::token(&record.hash), encode(record));
        batch.insert(
            &self.tree,
            keys::token_id(&record.id),
            record.hash.as_bytes(),
        );
        batch.commit()?;
        self.flush_sync()?;
        Ok(())
    }

    /// The token whose sha256 is `hash`.
    pub(super) fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        self.get(&keys::token(hash))
    }

    pub(super) fn tokens(&self) -> Result<Vec<TokenRecord>> {
        self.scan(keys::TOKENS)
    }

    /// Revokes a token by id; false when there was none.
    pub(super) fn delete_token(&self, id: &str) -> Result<bool> {
        let _exclusive = Kv::exclusive();
        let Some(hash) = self.tree.take(keys::token_id(id))? else {
            return Ok(false);
        };
        self.tree
            .remove(keys::token(&String::from_utf8_lossy(&hash)))?;
        self.flush_sync()?;
        Ok(true)
    }

    /// Notes when a token was last used (not flushed at once: a lost note is harmless).
    pub(super) fn touch_token(&self, hash: &str, now_ms: u64) -> Result<()> {
        let Some(mut record) = self.token_by_hash(hash)? else {
            return Ok(());
        };
        record.last_used_ms = Some(now_ms);
        self.tree.insert(keys::token(hash), encode(&record))?;
        Ok(())
    }
}
