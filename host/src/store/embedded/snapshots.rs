//! Object snapshots in their own tree: a swap reads and writes under the exclusive lock.

use super::EmbeddedStore;
use super::kv::Kv;
use crate::store::Result;

fn stamped(object: &[u8], now_ms: u64) -> Vec<u8> {
    let mut value = Vec::with_capacity(8 + object.len());
    value.extend_from_slice(&now_ms.to_be_bytes());
    value.extend_from_slice(object);
    value
}

fn object_of(value: &[u8]) -> Vec<u8> {
    value.get(8..).unwrap_or_default().to_vec()
}

impl EmbeddedStore {
    pub(super) fn swap_snapshot(
        &self,
        key: &str,
        object: Option<&[u8]>,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>> {
        let _exclusive = Kv::exclusive();
        let old = self.snapshots.get(key)?;
        match object {
            Some(o) => self.snapshots.insert(key, stamped(o, now_ms))?,
            None if old.is_some() => self.snapshots.remove(key)?,
            None => {}
        }
        Ok(old.map(|v| object_of(&v)))
    }

    pub(super) fn delete_snapshots_with_prefix(&self, prefix: &str) -> Result<usize> {
        let mut removed = 0;
        for kv in self.snapshots.scan_prefix(prefix) {
            let (k, _) = kv?;
            self.snapshots.remove(k)?;
            removed += 1;
        }
        Ok(removed)
    }

    pub(super) fn purge_snapshots_before(&self, cutoff_ms: u64) -> Result<usize> {
        let mut removed = 0;
        for kv in self.snapshots.iter() {
            let (k, v) = kv?;
            let at = v
                .get(..8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map_or(0, u64::from_be_bytes);
            if at >= cutoff_ms {
                continue;
            }
            // Removed only if unchanged since read: a swap in between keeps the new one.
            let _exclusive = Kv::exclusive();
            if self.snapshots.get(&k)?.as_deref() == Some(&v[..]) {
                self.snapshots.remove(&k)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}
