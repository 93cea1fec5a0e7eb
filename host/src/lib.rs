//! hookshape: a webhook dispatcher whose subscriptions may reshape events with WebAssembly
//! plugins before the host signs, delivers and records them.

pub mod plugin;
pub mod sign;
