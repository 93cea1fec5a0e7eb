//! The event-type catalog: `c/{workspace}/{name}`, with an empty workspace for global entries.

use super::{EmbeddedStore, Result, encode, keys};
use crate::model::CatalogEntry;

impl EmbeddedStore {
    pub(super) fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()> {
        let key = keys::catalog(entry.workspace.as_deref(), &entry.name);
        self.tree.insert(key, encode(entry))?;
        self.flush_sync()?;
        Ok(())
    }

    /// One entry of a workspace (`Some`) or of the global catalog (`None`).
    pub(super) fn catalog_entry(
        &self,
        ws: Option<&str>,
        name: &str,
    ) -> Result<Option<CatalogEntry>> {
        self.get(&keys::catalog(ws, name))
    }

    /// The entry a workspace sees for a type: its own, else the global one.
    pub(super) fn catalog_of(&self, ws: Option<&str>) -> Result<Vec<CatalogEntry>> {
        self.scan(&keys::catalog_of(ws))
    }

    pub(super) fn delete_catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<bool> {
        let existed = self.tree.take(keys::catalog(ws, name))?.is_some();
        self.flush_sync()?;
        Ok(existed)
    }

    /// Removes a workspace's own entries (the workspace is being deleted).
    pub(super) fn delete_catalog_of(&self, ws: &str) -> Result<()> {
        for key in self.tree.keys_with_prefix(keys::catalog_of(Some(ws)))? {
            self.tree.remove(key)?;
        }
        Ok(())
    }
}
