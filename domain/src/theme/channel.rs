//! Channel categories and channels, with the tier and badge restrictions that gate them.

use serde::{Deserialize, Serialize};

/// A channel category; its restriction applies to every channel that has none of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Category {
    /// Display name ("NAIB COUNCIL").
    pub name: String,
    /// What every channel of the category requires, unless the channel says otherwise.
    #[serde(default, skip_serializing_if = "Restriction::is_open")]
    pub restriction: Restriction,
    /// Channels in display order.
    pub channels: Vec<Channel>,
}

/// A channel of the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Channel {
    /// Name without the leading `#` ("war-room"); unique in the theme, ignoring case.
    pub name: String,
    /// Text, voice or announcement.
    #[serde(rename = "type", default)]
    pub kind: ChannelType,
    /// Members may read but not post.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The channel's own restriction; when absent, the category's applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restriction: Option<Restriction>,
}

/// The kind of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ChannelType {
    /// A text channel.
    #[default]
    Text,
    /// A voice channel.
    Voice,
    /// An announcement channel.
    Announcement,
}

/// What entering a channel requires: a tier that meets `tier`, and holding `badge`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Restriction {
    /// The lowest tier that may enter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// A badge the member must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
}

impl Restriction {
    /// Whether it requires nothing.
    pub fn is_open(&self) -> bool {
        self.tier.is_none() && self.badge.is_none()
    }
}

impl Channel {
    /// The restriction in force: the channel's own, else its category's.
    pub fn requirement<'a>(&'a self, category: &'a Category) -> (&'a Restriction, RequirementSource) {
        match &self.restriction {
            Some(own) => (own, RequirementSource::Channel),
            None if category.restriction.is_open() => (&category.restriction, RequirementSource::None),
            None => (&category.restriction, RequirementSource::Category),
        }
    }
}

/// Where a channel's requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum RequirementSource {
    /// The channel's own restriction.
    Channel,
    /// The category's restriction.
    Category,
    /// Neither restricts it.
    None,
}
