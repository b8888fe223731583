//! Server functions of the `discord` area: registering a guild on a sandbox, linking Discord
//! users to Crysknife users, and the shapes they exchange (also used by the REST routes).

mod guilds;
mod link_code;
pub(crate) mod link_user;
pub(crate) mod register_guild;
mod unlink_user;
mod unregister_guild;

pub use guilds::*;
pub use link_code::*;
pub use link_user::*;
pub use register_guild::*;
pub use unlink_user::*;
pub use unregister_guild::*;

pub use crate::model::{DiscordGuild, DiscordLink, LinkCode, LinkUser, RegisterGuild};
