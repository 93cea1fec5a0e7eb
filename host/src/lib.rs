//! hookshape: a webhook dispatcher whose subscriptions may reshape events with WebAssembly
//! plugins before the host signs, delivers and records them.

pub mod api;
pub mod cli;
pub mod config;
pub mod data_dir;
pub mod deliver;
pub mod dispatch;
pub mod http_header;
pub mod http_server;
pub mod metrics;
pub mod model;
pub mod plugin;
pub mod seal;
pub mod server;
pub mod sign;
pub mod store;
pub mod telemetry;

/// A fast allocator for every binary built on this crate (server, tests, benchmarks alike):
/// under load, glibc's malloc took a fifth of the CPU (sled copies tree nodes, HTTP builds
/// buffers, JSON builds values).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
