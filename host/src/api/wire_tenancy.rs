//! Wire types of workspaces and tokens.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::{self, time};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceIn {
    /// Chosen by the caller (1–64 letters, digits, `_`, `-`; e.g. the source's own tenant
    /// id), or generated (`wksp_…`).
    pub id: Option<String>,
    pub name: String,
    /// Its events also reach the parent's subscriptions.
    pub parent: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Its customers' portal: the SaaS's name, logo and colour.
    pub branding: Option<BrandingIo>,
}

/// The portal's look: the SaaS's name, a logo (`https://` or `data:image/…;base64,`, at most
/// 64 KiB) and an accent colour (`#rrggbb`). Each field is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BrandingIo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Acme Cloud")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "#0a7d55")]
    pub accent: Option<String>,
}

impl From<BrandingIo> for model::Branding {
    fn from(b: BrandingIo) -> Self {
        model::Branding {
            name: b.name,
            logo: b.logo,
            accent: b.accent,
        }
    }
}

impl From<model::Branding> for BrandingIo {
    fn from(b: model::Branding) -> Self {
        BrandingIo {
            name: b.name,
            logo: b.logo,
            accent: b.accent,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspacePatch {
    pub name: Option<String>,
    /// A new parent; `null` removes it.
    #[serde(default, with = "super::wire::double_option")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    pub metadata: Option<BTreeMap<String, String>>,
    /// Replaces the branding (`{}` removes it).
    pub branding: Option<BrandingIo>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceOut {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub branding: BrandingIo,
    #[schema(format = DateTime)]
    pub created: String,
    #[schema(format = DateTime)]
    pub updated: String,
}

impl From<model::Workspace> for WorkspaceOut {
    fn from(w: model::Workspace) -> Self {
        WorkspaceOut {
            id: w.id,
            name: w.name,
            parent: w.parent,
            metadata: w.metadata,
            branding: w.branding.into(),
            created: time::rfc3339_ms(w.created_ms),
            updated: time::rfc3339_ms(w.updated_ms),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleIo {
    Admin,
    Publisher,
    Manager,
    Viewer,
}

impl From<RoleIo> for model::Role {
    fn from(r: RoleIo) -> Self {
        match r {
            RoleIo::Admin => model::Role::Admin,
            RoleIo::Publisher => model::Role::Publisher,
            RoleIo::Manager => model::Role::Manager,
            RoleIo::Viewer => model::Role::Viewer,
        }
    }
}

impl From<model::Role> for RoleIo {
    fn from(r: model::Role) -> Self {
        match r {
            model::Role::Admin => RoleIo::Admin,
            model::Role::Publisher => RoleIo::Publisher,
            model::Role::Manager => RoleIo::Manager,
            model::Role::Viewer => RoleIo::Viewer,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenIn {
    pub name: String,
    pub role: RoleIo,
    /// Required for `manager` and `viewer`; optional for `publisher` (any workspace when
    /// absent); not allowed for `admin`.
    pub workspace: Option<String>,
    /// RFC 3339; the token stops working then.
    pub expires_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenOut {
    pub id: String,
    pub name: String,
    pub role: RoleIo,
    pub workspace: Option<String>,
    #[schema(format = DateTime)]
    pub created: String,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
    #[schema(format = DateTime)]
    pub last_used: Option<String>,
    /// The token itself: in the creating response only (only its hash is stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<model::TokenRecord> for TokenOut {
    fn from(t: model::TokenRecord) -> Self {
        TokenOut {
            id: t.id,
            name: t.name,
            role: t.role.into(),
            workspace: t.workspace,
            created: time::rfc3339_ms(t.created_ms),
            expires_at: t.expires_ms.map(time::rfc3339_ms),
            last_used: t.last_used_ms.map(time::rfc3339_ms),
            token: None,
        }
    }
}
