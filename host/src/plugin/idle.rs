//! Configured instances kept between calls, all plugins together, within one memory budget.
//!
//! An idle instance weighs its linear memory (what it may keep resident). When the total goes
//! over the budget the least recently used instances are dropped, whichever plugin they
//! belong to; a plugin whose instance was dropped creates a fresh one on its next call. So
//! resident memory follows the budget, not the number of subscriptions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use super::instance::Instance;

/// The least weight an idle instance counts for, so tiny instances are not free to keep.
const MIN_WEIGHT: u64 = 64 << 10;

struct Entry {
    plugin: u64,
    weight: u64,
    instance: Instance,
}

#[derive(Default)]
struct Lru {
    tick: u64,
    /// Oldest first.
    entries: BTreeMap<u64, Entry>,
    /// Each plugin's entries, oldest first.
    by_plugin: HashMap<u64, Vec<u64>>,
    bytes: u64,
    evicted: u64,
}

/// What the cache holds and has dropped so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdleStats {
    pub instances: u64,
    pub bytes: u64,
    pub evictions: u64,
}

pub(crate) struct IdleCache {
    budget: u64,
    lru: Mutex<Lru>,
}

impl IdleCache {
    pub fn new(budget: u64) -> Self {
        IdleCache {
            budget,
            lru: Mutex::new(Lru::default()),
        }
    }

    /// The plugin's most recently used idle instance, if it has one.
    pub fn take(&self, plugin: u64) -> Option<Instance> {
        let mut lru = super::lock(&self.lru);
        let tick = lru.by_plugin.get_mut(&plugin)?.pop()?;
        let lru = &mut *lru;
        if lru.by_plugin.get(&plugin).is_some_and(Vec::is_empty) {
            lru.by_plugin.remove(&plugin);
        }
        let entry = lru.entries.remove(&tick)?;
        lru.bytes -= entry.weight;
        Some(entry.instance)
    }

    /// Keeps an instance for its plugin's next call (at most `per_plugin` per plugin), then
    /// drops the least recently used instances until the total fits the budget.
    pub fn put(&self, plugin: u64, instance: Instance, per_plugin: usize) {
        let weight = instance.memory_bytes().max(MIN_WEIGHT);
        let mut dropped = Vec::new();
        {
            let mut lru = super::lock(&self.lru);
            let held = lru.by_plugin.get(&plugin).map_or(0, Vec::len);
            if held >= per_plugin || weight > self.budget {
                lru.evicted += u64::from(weight > self.budget);
                dropped.push(instance);
            } else {
                lru.tick += 1;
                let tick = lru.tick;
                lru.by_plugin.entry(plugin).or_default().push(tick);
                lru.entries.insert(
                    tick,
                    Entry {
                        plugin,
                        weight,
                        instance,
                    },
                );
                lru.bytes += weight;
                while lru.bytes > self.budget {
                    match pop_oldest(&mut lru) {
                        Some(i) => dropped.push(i),
                        None => break,
                    }
                }
            }
        }
        // Freeing an instance returns its pool slot; done outside the lock.
        drop(dropped);
    }

    /// Drops up to `n` of the least recently used instances (to free pool slots).
    pub fn evict_oldest(&self, n: usize) -> usize {
        let mut dropped = Vec::new();
        {
            let mut lru = super::lock(&self.lru);
            while dropped.len() < n {
                match pop_oldest(&mut lru) {
                    Some(i) => dropped.push(i),
                    None => break,
                }
            }
        }
        dropped.len()
    }

    /// Drops every idle instance of a plugin (its subscription was deleted or changed).
    pub fn forget(&self, plugin: u64) {
        let mut dropped = Vec::new();
        {
            let mut lru = super::lock(&self.lru);
            let lru = &mut *lru;
            for tick in lru.by_plugin.remove(&plugin).unwrap_or_default() {
                if let Some(entry) = lru.entries.remove(&tick) {
                    lru.bytes -= entry.weight;
                    dropped.push(entry.instance);
                }
            }
        }
        drop(dropped);
    }

    pub fn stats(&self) -> IdleStats {
        let lru = super::lock(&self.lru);
        IdleStats {
            instances: lru.entries.len() as u64,
            bytes: lru.bytes,
            evictions: lru.evicted,
        }
    }
}

fn pop_oldest(lru: &mut Lru) -> Option<Instance> {
    let (_, entry) = lru.entries.pop_first()?;
    lru.bytes -= entry.weight;
    lru.evicted += 1;
    if let Some(ticks) = lru.by_plugin.get_mut(&entry.plugin) {
        // The oldest entry overall is the oldest of its plugin.
        if !ticks.is_empty() {
            ticks.remove(0);
        }
        if ticks.is_empty() {
            lru.by_plugin.remove(&entry.plugin);
        }
    }
    Some(entry.instance)
}
