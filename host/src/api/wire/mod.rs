//! HTTP wire types (`XIn`, `XOut`, `XPatch`) and their conversions from the model. They never
//! leave this module tree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::model::{self, time};
use crate::plugin::Limits;
use crate::sign::Scheme;

mod delivery;
mod subscription;
mod subscription_parts;

pub use delivery::*;
pub use subscription::*;
pub use subscription_parts::*;

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListOut<T> {
    pub data: Vec<T>,
    /// Pass as `after`/`before` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> ListOut<T> {
    /// A page of `limit` items from up to `limit + 1` read in order: an extra one means a
    /// next page, which starts after `cursor` of the page's last item.
    pub fn page<M>(
        mut items: Vec<M>,
        limit: usize,
        cursor: impl Fn(&M) -> String,
        out: impl Fn(&M) -> T,
    ) -> Self {
        let next_cursor = (items.len() > limit).then(|| {
            items.truncate(limit);
            items.last().map(&cursor).unwrap_or_default()
        });
        ListOut {
            data: items.iter().map(out).collect(),
            next_cursor,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PluginOut {
    /// sha256 of the wasm bytes, hex.
    pub id: String,
    /// The name given at upload (`?name=`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub size: u64,
    pub world: String,
    #[schema(format = DateTime)]
    pub created: String,
    /// A transform that comes with the server (`builtin:{name}`), usable by every workspace;
    /// its code is the subscription's config.
    pub builtin: bool,
}

impl From<model::PluginRecord> for PluginOut {
    fn from(p: model::PluginRecord) -> Self {
        PluginOut {
            id: p.id,
            name: p.name,
            size: p.size,
            world: p.world,
            created: time::rfc3339_ms(p.created_ms),
            builtin: false,
        }
    }
}

impl From<&crate::plugin::Builtin> for PluginOut {
    fn from(b: &crate::plugin::Builtin) -> Self {
        PluginOut {
            id: b.id.clone(),
            name: Some(b.name.clone()),
            size: b.size,
            world: crate::plugin::WORLD.to_owned(),
            created: time::rfc3339_ms(b.modified_ms),
            builtin: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusIo {
    Enabled,
    Disabled,
}

impl From<StatusIo> for model::Status {
    fn from(s: StatusIo) -> Self {
        match s {
            StatusIo::Enabled => model::Status::Enabled,
            StatusIo::Disabled => model::Status::Disabled,
        }
    }
}

impl From<model::Status> for StatusIo {
    fn from(s: model::Status) -> Self {
        match s {
            model::Status::Enabled => StatusIo::Enabled,
            model::Status::Disabled => StatusIo::Disabled,
        }
    }
}

/// The bytes of a WebAssembly component (`application/wasm`).
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct WasmBytes(#[expect(dead_code, reason = "only its schema is used")] Vec<u8>);

/// Tells a missing field (`None`) from an explicit `null` (`Some(None)`).
pub(super) mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}
