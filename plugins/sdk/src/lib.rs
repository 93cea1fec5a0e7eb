//! Write hookshape plugins in Rust (the contract is `wit/v0.1.0/plugin.wit` in the hookshape
//! repository; the README there has a walk-through).
//!
//! A plugin is a type that implements [`Plugin`]: built once per instance from the
//! subscription's plugin config, then asked to [`Plugin::transform`] each event into an
//! [`Outcome`] — drop it, or deliver a body with extra headers. [`export_plugin!`] turns the
//! type into a WebAssembly component for the `hookshape:plugin/transformer` world; authors never
//! see generated bindings.
//!
//! ```no_run
//! use hookshape_sdk::{Event, Outcome, Plugin, json};
//!
//! struct Hello;
//!
//! impl Plugin for Hello {
//!     fn configure(_config: json::Value) -> Result<Self, String> {
//!         Ok(Hello)
//!     }
//!     fn transform(&self, event: Event) -> Result<Outcome, String> {
//!         Ok(Outcome::json(&json::json!({"hello": event.event_type, "data": event.object})))
//!     }
//! }
//!
//! hookshape_sdk::export_plugin!(Hello);
//! ```
//!
//! Build with `cargo build --release --target wasm32-wasip2`; the `.wasm` file in
//! `target/wasm32-wasip2/release/` is the component to upload.

mod event;
pub mod json;
mod log;
mod outcome;

pub use event::{Event, Operation};
pub use log::{Level, log};
pub use outcome::{Delivery, Outcome};

// Plugins allocate for every event (parsing and writing JSON); talc does it in less time
// than wasi-libc's dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A plugin: configured once per instance, then called once per delivery attempt.
pub trait Plugin: Sized + 'static {
    /// Builds the plugin from the subscription's plugin config (`{}` when none is set).
    /// An error rejects the config; its message is shown to whoever submitted it.
    fn configure(config: json::Value) -> Result<Self, String>;

    /// Decides what to send for one event. An error fails this attempt with the message as
    /// its recorded reason (the host retries it like any failed delivery).
    fn transform(&self, event: Event) -> Result<Outcome, String>;
}

/// Generated bindings; used by [`export_plugin!`] only.
#[doc(hidden)]
pub mod __bindings {
    wit_bindgen::generate!({
        path: "../../wit/v0.1.0",
        world: "transformer",
        pub_export_macro: true,
        export_macro_name: "__export_transformer",
    });
}

/// Glue between the generated bindings and [`Plugin`]; used by [`export_plugin!`] only.
#[doc(hidden)]
pub mod __private {
    use crate::__bindings as b;
    use crate::{Event, Outcome, Plugin};

    pub fn configure<P: Plugin>(config: &str) -> Result<P, String> {
        let config = if config.trim().is_empty() {
            crate::json::Value::Object(Default::default())
        } else {
            serde_json::from_str(config).map_err(|e| format!("config is not valid JSON: {e}"))?
        };
        P::configure(config)
    }

    pub fn transform<P: Plugin>(plugin: &P, event: b::Event) -> Result<b::Outcome, String> {
        let event = Event::from_wit(event)?;
        Ok(match plugin.transform(event)? {
            Outcome::Drop => b::Outcome::Drop,
            Outcome::Deliver(d) => b::Outcome::Deliver(b::hookshape::plugin::types::Delivery {
                body: d.body,
                headers: d.headers,
            }),
        })
    }

    pub use b::Guest;
}

/// Exports a [`Plugin`] type as the component's `transformer` world.
///
/// Use it once per plugin crate (a `cdylib`), at the top level.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        const _: () = {
            struct HookshapeGuest;

            ::std::thread_local! {
                static PLUGIN: ::core::cell::RefCell<::core::option::Option<$plugin>> =
                    const { ::core::cell::RefCell::new(::core::option::Option::None) };
            }

            impl $crate::__private::Guest for HookshapeGuest {
                fn configure(
                    config: ::std::string::String,
                ) -> ::core::result::Result<(), ::std::string::String> {
                    let plugin = $crate::__private::configure::<$plugin>(&config)?;
                    PLUGIN.with(|slot| *slot.borrow_mut() = ::core::option::Option::Some(plugin));
                    ::core::result::Result::Ok(())
                }

                fn transform(
                    event: $crate::__bindings::Event,
                ) -> ::core::result::Result<$crate::__bindings::Outcome, ::std::string::String>
                {
                    PLUGIN.with(|slot| match slot.borrow().as_ref() {
                        ::core::option::Option::Some(plugin) => {
                            $crate::__private::transform(plugin, event)
                        }
                        ::core::option::Option::None => ::core::result::Result::Err(
                            "plugin used before configure".into(),
                        ),
                    })
                }
            }

            $crate::__bindings::__export_transformer!(HookshapeGuest with_types_in $crate::__bindings);
        };
    };
}
