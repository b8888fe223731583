//! Sandboxes: lifecycle, members, audit, Discord guilds and the event stream.

use super::shape;
use crate::openapi::op::{param, Op};
use crate::routes::rest::{discord, events, sandbox};
use wire::model::*;

/// This area's operations.
pub fn operations() -> Vec<Op> {
    vec![
        Op::post("/sandbox", sandbox::create)
            .doc("Sandboxes", "createSandbox", "Create a sandbox", "Default TTL 24 h, at most 168 h (a longer request is capped and `ttlCapped` says so). At most 5 live sandboxes per owner; names unique among live sandboxes. Needs qa_tester or above.")
            .body::<CreateSandbox>()
            .ok::<SandboxChange>(201, "Created")
            .errors(&[400, 401, 403, 404, 409, 413, 422, 429, 503]),
        Op::get("/sandbox", sandbox::list)
            .doc("Sandboxes", "listSandboxes", "List the sandboxes you can see", "")
            .ok::<Vec<SandboxView>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}", sandbox::get)
            .doc("Sandboxes", "getSandbox", "Get a sandbox", "")
            .params([param::id()])
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}", sandbox::destroy)
            .doc("Sandboxes", "destroySandbox", "Destroy a sandbox now", "Owner or admin. Removes its hot keys; the audit trail stays.")
            .params([param::id()])
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/extend", sandbox::extend)
            .doc("Sandboxes", "extendSandbox", "Extend a sandbox's expiry", "The expiry is capped at 168 hours from now.")
            .params([param::id()])
            .body::<ExtendSandbox>()
            .ok::<SandboxChange>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/audit", sandbox::audit)
            .doc("Sandboxes", "sandboxAudit", "The audit trail, newest first", "")
            .params([param::id(), param::query_text("kind", ""), param::query_text("actor", "Username"), param::query_text("action", "Text the action or operation contains"), param::query_text("limit", "")])
            .ok::<Vec<AuditEntry>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/members", sandbox::add_member)
            .doc("Sandboxes", "addMember", "Invite a user", "")
            .params([param::id()])
            .body::<sandbox::Member>()
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/members/{username}", sandbox::remove_member)
            .doc("Sandboxes", "removeMember", "Remove a member", "")
            .params([param::id(), param::path_text("username", "")])
            .ok::<SandboxView>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::post("/sandbox/{id}/discord/guilds", discord::register)
            .doc("Discord", "registerGuild", "Register a Discord guild on the sandbox", "The guild's `/simulation` commands act on this sandbox. A guild serves one live sandbox: registering it while another live sandbox has it is `409 CONFLICT`. Owner or admin.")
            .params([param::id()])
            .body::<RegisterGuild>()
            .ok::<DiscordGuild>(201, "Created")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/discord/guilds", discord::list)
            .doc("Discord", "listGuilds", "Guilds registered on the sandbox", "")
            .params([param::id()])
            .ok::<Vec<DiscordGuild>>(200, "OK")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::delete("/sandbox/{id}/discord/guilds/{guild}", discord::unregister)
            .doc("Discord", "unregisterGuild", "Unregister a Discord guild", "")
            .params([param::id(), param::path_text("guild", "Guild id (a Discord snowflake)")])
            .ok_empty(204, "No content")
            .errors(&[400, 401, 403, 404, 409, 413, 429, 503]),
        Op::get("/sandbox/{id}/events", events::stream)
            .doc("Sandboxes", "sandboxEvents", "Live updates (server-sent events)", "A `text/event-stream` of `change` events, one per change to the sandbox (simulation events, lifecycle changes). Pages listen here to update within a second.")
            .params([param::id()])
            .ok_as(200, "An event stream", "text/event-stream", shape::change_event())
            .errors(&[401, 404]),
    ]
}
