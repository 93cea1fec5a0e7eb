//! Compiled plugins kept mapped, most recently used first, within their share of the budget.
//!
//! A plugin's code is mapped from its precompiled artifact; one that was not called for a
//! while is unmapped and mapped again (a few milliseconds) when it is next instantiated, so a
//! thousand distinct plugins do not keep a thousand compiled images resident.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::PluginCode;

#[derive(Default)]
struct Recent {
    tick: u64,
    by_id: HashMap<String, (u64, Arc<PluginCode>)>,
    /// Oldest first.
    order: BTreeMap<u64, String>,
    bytes: u64,
    evicted: u64,
}

/// What the code cache holds and has dropped so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeStats {
    pub plugins: u64,
    pub bytes: u64,
    pub evictions: u64,
}

pub(crate) struct RecentCode {
    budget: u64,
    recent: Mutex<Recent>,
}

impl RecentCode {
    pub fn new(budget: u64) -> Self {
        RecentCode {
            budget,
            recent: Mutex::new(Recent::default()),
        }
    }

    /// Marks a plugin's code as just used, keeping it mapped; drops the least recently used
    /// others while the total is over the budget.
    pub fn touch(&self, code: &Arc<PluginCode>) {
        let mut dropped = Vec::new();
        {
            let mut guard = super::lock(&self.recent);
            let r = &mut *guard;
            r.tick += 1;
            let tick = r.tick;
            match r.by_id.get_mut(&code.id) {
                Some((old, _)) => {
                    r.order.remove(old);
                    *old = tick;
                }
                None => {
                    r.by_id.insert(code.id.clone(), (tick, code.clone()));
                    r.bytes += code.mapped;
                }
            }
            r.order.insert(tick, code.id.clone());
            while r.bytes > self.budget && r.order.len() > 1 {
                let Some((_, id)) = r.order.pop_first() else {
                    break;
                };
                if let Some((_, old)) = r.by_id.remove(&id) {
                    r.bytes -= old.mapped;
                    r.evicted += 1;
                    dropped.push(old);
                }
            }
        }
        drop(dropped);
    }

    /// Forgets a plugin's code (the plugin was deleted).
    pub fn forget(&self, id: &str) {
        let mut guard = super::lock(&self.recent);
        let r = &mut *guard;
        if let Some((tick, old)) = r.by_id.remove(id) {
            r.order.remove(&tick);
            r.bytes -= old.mapped;
        }
    }

    pub fn stats(&self) -> CodeStats {
        let r = super::lock(&self.recent);
        CodeStats {
            plugins: r.by_id.len() as u64,
            bytes: r.bytes,
            evictions: r.evicted,
        }
    }
}
