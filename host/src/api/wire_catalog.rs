//! Wire types of the event-type catalog and portal links.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::model::{CatalogEntry, time};

/// A new catalog entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventTypeIn {
    /// `resource.operation` or `resource.subresource.operation`.
    #[schema(example = "member.updated")]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// JSON Schema that published objects of this type must match.
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Value>,
    /// An example object, shown to integrators (checked against the schema).
    #[schema(value_type = Option<Object>)]
    pub example: Option<Value>,
    #[serde(default)]
    pub deprecated: bool,
    /// Keep the last published object of this type, so that an update published without
    /// `previous` gets it from hookshape.
    #[serde(default)]
    pub snapshot: bool,
    /// Where the object's id is, a dotted path [default: `id`, else `_id`].
    #[schema(example = "account.id")]
    pub snapshot_key: Option<String>,
}

/// Changes to a catalog entry; a field left out stays, `null` removes a schema or example.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventTypePatch {
    pub description: Option<String>,
    #[serde(default, with = "super::wire::double_option")]
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Option<Value>>,
    #[serde(default, with = "super::wire::double_option")]
    #[schema(value_type = Option<Object>)]
    pub example: Option<Option<Value>>,
    pub deprecated: Option<bool>,
    pub snapshot: Option<bool>,
    #[serde(default, with = "super::wire::double_option")]
    #[schema(value_type = Option<String>)]
    pub snapshot_key: Option<Option<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeOut {
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub example: Option<Value>,
    pub deprecated: bool,
    /// Whether hookshape keeps the last published object of this type.
    pub snapshot: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_key: Option<String>,
    /// Whether the entry is global (an operator's, for every workspace).
    pub global: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<CatalogEntry> for EventTypeOut {
    fn from(e: CatalogEntry) -> Self {
        EventTypeOut {
            name: e.name,
            description: e.description,
            schema: e.schema,
            example: e.example,
            deprecated: e.deprecated,
            snapshot: e.snapshot,
            snapshot_key: e.snapshot_key,
            global: e.workspace.is_none(),
            created_at: time::rfc3339_ms(e.created_ms),
            updated_at: time::rfc3339_ms(e.updated_ms),
        }
    }
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportOut {
    pub created: usize,
    pub updated: usize,
    pub data: Vec<EventTypeOut>,
}

/// A capability of a portal session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CapabilityIo {
    View,
    ViewSecret,
    ManageSecret,
    ManageSubscriptions,
    ManagePlugins,
    Retry,
}

impl From<CapabilityIo> for crate::model::Capability {
    fn from(c: CapabilityIo) -> Self {
        use crate::model::Capability as C;
        match c {
            CapabilityIo::View => C::View,
            CapabilityIo::ViewSecret => C::ViewSecret,
            CapabilityIo::ManageSecret => C::ManageSecret,
            CapabilityIo::ManageSubscriptions => C::ManageSubscriptions,
            CapabilityIo::ManagePlugins => C::ManagePlugins,
            CapabilityIo::Retry => C::Retry,
        }
    }
}

impl From<crate::model::Capability> for CapabilityIo {
    fn from(c: crate::model::Capability) -> Self {
        use crate::model::Capability as C;
        match c {
            C::View => CapabilityIo::View,
            C::ViewSecret => CapabilityIo::ViewSecret,
            C::ManageSecret => CapabilityIo::ManageSecret,
            C::ManageSubscriptions => CapabilityIo::ManageSubscriptions,
            C::ManagePlugins => CapabilityIo::ManagePlugins,
            C::Retry => CapabilityIo::Retry,
        }
    }
}

/// A request for a portal link.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortalLinkIn {
    /// What the session may do; all when absent. `view` is always included.
    pub capabilities: Option<Vec<CapabilityIo>>,
    /// Seconds the link works, 1 to 604800 (7 days); default 3600.
    pub expires_in: Option<u64>,
    /// Your own id for the session (e.g. your user's), to end it with `expire-all`.
    pub session_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PortalLinkOut {
    /// Open it, or embed it in an iframe: the token travels in the fragment, never to logs.
    pub url: String,
    /// The session token itself (a bearer token for the API, limited to the capabilities).
    pub token: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    pub capabilities: Vec<CapabilityIo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpireAllIn {
    /// Only these sessions; every portal session of the workspace when absent.
    pub session_ids: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExpiredOut {
    pub expired: usize,
}

/// Who the caller is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeOut {
    pub role: super::wire_tenancy::RoleIo,
    /// The workspace it acts in (its own, or `default`).
    pub workspace: String,
    /// What it may do in the portal: a session's capabilities, or all its role allows.
    pub capabilities: Vec<CapabilityIo>,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
    pub session_id: Option<String>,
    /// The portal's look for this workspace (its own, else its organisation's).
    pub branding: super::wire_tenancy::BrandingIo,
}
