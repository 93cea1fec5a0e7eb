//! hookshape: a webhook dispatcher whose subscriptions may reshape events with WebAssembly
//! plugins before the host signs, delivers and records them.

pub mod api;
pub mod cli;
pub mod config;
pub mod data_dir;
pub mod deliver;
pub mod dispatch;
pub mod http_header;
pub mod metrics;
pub mod model;
pub mod plugin;
pub mod seal;
pub mod server;
pub mod sign;
pub mod store;
