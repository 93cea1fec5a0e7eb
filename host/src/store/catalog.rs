//! The event-type catalog: `c/{workspace}/{name}`, with an empty workspace for global entries.

use super::{Result, Store, encode, keys};
use crate::model::CatalogEntry;

impl Store {
    pub fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()> {
        let key = keys::catalog(entry.workspace.as_deref(), &entry.name);
        self.tree.insert(key, encode(entry))?;
        self.tree.flush()?;
        Ok(())
    }

    /// One entry of a workspace (`Some`) or of the global catalog (`None`).
    pub fn catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<Option<CatalogEntry>> {
        self.get(&keys::catalog(ws, name))
    }

    /// The entry a workspace sees for a type: its own, else the global one.
    pub fn effective_catalog_entry(&self, ws: &str, name: &str) -> Result<Option<CatalogEntry>> {
        match self.catalog_entry(Some(ws), name)? {
            Some(own) => Ok(Some(own)),
            None => self.catalog_entry(None, name),
        }
    }

    /// What a workspace sees: the global entries, each replaced by the workspace's own of
    /// the same name, and the workspace's others; sorted by name.
    pub fn catalog(&self, ws: &str) -> Result<Vec<CatalogEntry>> {
        let mut by_name = std::collections::BTreeMap::new();
        for entry in self.scan::<CatalogEntry>(&keys::catalog_of(None))? {
            by_name.insert(entry.name.clone(), entry);
        }
        for entry in self.scan::<CatalogEntry>(&keys::catalog_of(Some(ws)))? {
            by_name.insert(entry.name.clone(), entry);
        }
        Ok(by_name.into_values().collect())
    }

    /// Removes an entry; false when there was none.
    pub fn delete_catalog_entry(&self, ws: Option<&str>, name: &str) -> Result<bool> {
        let existed = self.tree.remove(keys::catalog(ws, name))?.is_some();
        self.tree.flush()?;
        Ok(existed)
    }

    /// Removes a workspace's own entries (the workspace is being deleted).
    pub fn delete_catalog_of(&self, ws: &str) -> Result<()> {
        for key in self.tree.scan_prefix(keys::catalog_of(Some(ws))).keys() {
            self.tree.remove(key?)?;
        }
        Ok(())
    }
}
