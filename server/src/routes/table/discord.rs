//! The Discord door: interactions and account links.

use super::shape;
use crate::openapi::op::{param, Op};
use crate::routes::discord as discord_door;
use wire::model::*;

/// This area's operations.
pub fn operations() -> Vec<Op> {
    vec![
        Op::post("/discord/interactions", discord_door::interactions)
            .doc("Discord", "discordInteractions", "Discord's HTTP interactions endpoint", "Called by Discord. The Ed25519 signature (`X-Signature-Ed25519`) over `X-Signature-Timestamp` + body, with the application's public key (`DISCORD_PUBLIC_KEY`), is checked first; a bad or missing signature, a timestamp more than 5 minutes off, or a replayed request gets 401. PING gets PONG; `/simulation` commands get ephemeral embeds; autocomplete gets choices. 404 when Discord is not configured.")
            .params([param::header_text("X-Signature-Ed25519", ""), param::header_text("X-Signature-Timestamp", "")])
            .body::<serde_json::Value>()
            .ok_as(200, "OK", "application/json", shape::object("Discord's interaction response: `{type, data}`"))
            .errors(&[400, 401, 404, 413, 503])
            .public(),
        Op::post("/discord/links", discord_door::links::link)
            .doc("Discord", "linkDiscordUser", "Link a Discord user to a Crysknife user (admins)", "The Discord user then acts as that user: their role decides what they may change.")
            .body::<LinkUser>()
            .ok::<DiscordLink>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/discord/links/{discord_user}", discord_door::links::unlink)
            .doc("Discord", "unlinkDiscordUser", "Unlink a Discord user (yours, or anyone's for admins)", "")
            .params([param::path_text("discord_user", "Discord user id")])
            .ok_empty(204, "No content")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/discord/link-code", discord_door::links::link_code)
            .doc("Discord", "discordLinkCode", "A one-time code for `/simulation link`", "Running `/simulation link code:<code>` in Discord within 10 minutes links that Discord account to the caller.")
            .ok::<LinkCode>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
    ]
}
