//! Discord's HTTP interactions endpoint, called as Discord calls it: requests signed with a key
//! pair made here, guilds registered and users linked through the REST door.

use crate::helpers::{spawn_app_with, Answer, TestApp};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

const GUILD: &str = "81384788765712384";

/// A server that trusts a fresh key pair, with its signing half.
struct Discord {
    app: TestApp,
    key: SigningKey,
}

fn fresh_key() -> SigningKey {
    let mut seed = [0u8; 32];
    seed[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    seed[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    SigningKey::from_bytes(&seed)
}

async fn discord_app(cooldown: u32) -> Discord {
    let key = fresh_key();
    let public = hex::encode(key.verifying_key().to_bytes());
    let app = spawn_app_with(move |s| {
        s.discord_public_key = Some(public);
        s.discord_cooldown_seconds = cooldown;
    })
    .await;
    Discord { app, key }
}

fn now() -> String {
    time::OffsetDateTime::now_utc().unix_timestamp().to_string()
}

impl Discord {
    /// Posts `body` with the given signature headers.
    async fn post_raw(&self, body: &str, signature: Option<String>, timestamp: Option<String>) -> Answer {
        let mut req = self.app.client.post(self.app.url("/discord/interactions")).header("content-type", "application/json");
        if let Some(s) = signature {
            req = req.header("X-Signature-Ed25519", s);
        }
        if let Some(t) = timestamp {
            req = req.header("X-Signature-Timestamp", t);
        }
        let res = req.body(body.to_owned()).send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        Answer { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
    }

    fn sign(&self, timestamp: &str, body: &str) -> String {
        hex::encode(self.key.sign(format!("{timestamp}{body}").as_bytes()).to_bytes())
    }

    /// Posts `interaction` signed now.
    async fn send(&self, interaction: &Value) -> Answer {
        let body = interaction.to_string();
        let ts = now();
        self.post_raw(&body, Some(self.sign(&ts, &body)), Some(ts)).await
    }

    /// Runs `/simulation <sub> <options>` as Discord user `user` in `GUILD`; returns the embed.
    async fn run(&self, user: &str, sub: &str, options: Value) -> Value {
        let answer = self.send(&command(2, GUILD, user, sub, options)).await;
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_eq!(answer.body["type"], 4, "{answer:?}");
        assert_eq!(answer.body["data"]["flags"], 64, "replies are ephemeral: {answer:?}");
        answer.body["data"]["embeds"][0].clone()
    }
}

/// An interaction of `kind` (2 command, 4 autocomplete) as Discord sends it.
fn command(kind: u8, guild: &str, user: &str, sub: &str, options: Value) -> Value {
    json!({
        "id": (uuid::Uuid::new_v4().as_u64_pair().0 >> 2).to_string(),
        "application_id": "1100000000000000000",
        "type": kind,
        "token": "interaction-token",
        "version": 1,
        "attachment_size_limit": 8388608,
        "authorizing_integration_owners": { "0": guild },
        "guild_id": guild,
        "channel_id": "1200000000000000000",
        "locale": "en-US",
        "member": {
            "user": { "id": user, "username": "qa", "discriminator": "0", "global_name": "QA", "avatar": null },
            "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
            "flags": 0, "nick": null, "communication_disabled_until": null, "permissions": "2147483647"
        },
        "data": {
            "id": "1300000000000000000", "name": "simulation", "type": 1,
            "options": [{ "name": sub, "type": 1, "options": options }]
        }
    })
}

fn opt(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

fn description(embed: &Value) -> &str {
    embed["description"].as_str().unwrap_or_default()
}

/// A tester who owns a sandbox registered on `GUILD` and is linked as Discord user `discord`.
async fn tester_in_guild(d: &Discord, discord: &str) -> (String, String, String) {
    let (username, token) = d.app.user("qa_tester").await;
    let sandbox = d.app.sandbox(&token, &format!("discord-{discord}")).await;
    let reg = d.app.call(&token, "POST", &format!("/sandbox/{sandbox}/discord/guilds"), Some(json!({ "guildId": GUILD }))).await;
    assert_eq!(reg.status, 201, "{reg:?}");
    let link = d.app.call(&d.app.admin, "POST", "/discord/links", Some(json!({ "discordUserId": discord, "username": username }))).await;
    assert_eq!(link.status, 200, "{link:?}");
    (username, token, sandbox)
}

#[tokio::test]
async fn a_signed_ping_gets_a_pong() {
    let d = discord_app(0).await;
    let answer = d
        .send(&json!({ "id": "1", "application_id": "2", "type": 1, "token": "t", "version": 1,
                                 "attachment_size_limit": 0, "authorizing_integration_owners": {} }))
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.body, json!({ "type": 1 }));
}

#[tokio::test]
async fn a_bad_foreign_or_missing_signature_is_refused_with_401() {
    let d = discord_app(0).await;
    let body = r#"{"type":1}"#;
    let ts = now();
    let tampered = d.post_raw(r#"{"type":2}"#, Some(d.sign(&ts, body)), Some(ts.clone())).await;
    assert_eq!(tampered.status, 401, "{tampered:?}");
    assert_eq!(tampered.code(), "UNAUTHENTICATED");
    let foreign = hex::encode(fresh_key().sign(format!("{ts}{body}").as_bytes()).to_bytes());
    assert_eq!(d.post_raw(body, Some(foreign), Some(ts.clone())).await.status, 401);
    assert_eq!(d.post_raw(body, None, Some(ts.clone())).await.status, 401);
    assert_eq!(d.post_raw(body, Some("not hex".into()), Some(ts)).await.status, 401);
}

#[tokio::test]
async fn a_stale_or_replayed_request_is_refused_even_when_signed() {
    let d = discord_app(0).await;
    let body =
        r#"{"id":"1","application_id":"2","type":1,"token":"t","version":1,"attachment_size_limit":0,"authorizing_integration_owners":{}}"#;
    let old = (time::OffsetDateTime::now_utc().unix_timestamp() - 600).to_string();
    let stale = d.post_raw(body, Some(d.sign(&old, body)), Some(old)).await;
    assert_eq!(stale.status, 401, "{stale:?}");
    assert!(stale.body["message"].as_str().unwrap().contains("stale"), "{stale:?}");

    let ts = now();
    let sig = d.sign(&ts, body);
    assert_eq!(d.post_raw(body, Some(sig.clone()), Some(ts.clone())).await.status, 200);
    let replay = d.post_raw(body, Some(sig), Some(ts)).await;
    assert_eq!(replay.status, 401, "{replay:?}");
    assert!(replay.body["message"].as_str().unwrap().contains("already received"), "{replay:?}");
}

#[tokio::test]
async fn an_unregistered_guild_gets_a_helpful_ephemeral_message() {
    let d = discord_app(0).await;
    let embed = d.run("500", "whoami", json!([])).await;
    assert_eq!(embed["title"], "ERROR: NOT_FOUND");
    assert!(description(&embed).contains("crysknife discord guild add 81384788765712384"), "{embed}");
}

#[tokio::test]
async fn discord_is_off_until_a_public_key_is_configured() {
    let app = crate::helpers::spawn_app().await;
    let res = app.client.post(app.url("/discord/interactions")).body("{}").send().await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_prd_acceptance_runs_through_slash_commands() {
    let d = discord_app(0).await;
    let (_, token, sandbox) = tester_in_guild(&d, "600").await;

    let assumed = d.run("600", "assume", json!([opt("tier", "fedaykin")])).await;
    assert_eq!(assumed["title"], "WHO AM I: Fedaykin");
    let granted = d.run("600", "check", json!([opt("type", "access"), opt("target", "war-room")])).await;
    assert_eq!(granted["title"], "ACCESS GRANTED: #war-room");
    assert!(description(&granted).contains("Required Tier: Fedaykin"), "{granted}");

    // The same question through REST gets the same embed.
    let rest = d
        .app
        .call(&token, "POST", &format!("/sandbox/{sandbox}/simulation/check"), Some(json!({ "type": "channel", "target": "war-room" })))
        .await;
    assert_eq!(rest.body["embed"]["title"], granted["title"]);
    assert_eq!(
        rest.body["embed"]["lines"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect::<Vec<_>>().join("\n"),
        description(&granted)
    );

    let hajra = d.run("600", "assume", json!([opt("tier", "hajra")])).await;
    assert_eq!(hajra["title"], "WHO AM I: Hajra");
    let denied = d.run("600", "check", json!([opt("type", "access"), opt("target", "#council-chamber")])).await;
    assert_eq!(denied["title"], "ACCESS DENIED: #council-chamber");
    assert!(description(&denied).contains("Reach Naib tier (Top 7 rank required)"), "{denied}");

    d.run("600", "assume", json!([opt("tier", "reset")])).await;
    let set = d.run("600", "set", json!([opt("attribute", "bgt"), opt("value", "500")])).await;
    assert_eq!(set["title"], "STATE UPDATED");
    assert!(description(&set).contains("- BGT Balance: 500"), "{set}");
    let tier = d.run("600", "check", json!([opt("type", "tier")])).await;
    assert_eq!(tier["title"], "TIER: Sihaya");
    assert!(description(&tier).contains("BGT >= 420"), "{tier}");
    d.run("600", "set", json!([opt("attribute", "rank"), opt("value", "5")])).await;
    let naib = d.run("600", "check", json!([opt("type", "tier")])).await;
    assert_eq!(naib["title"], "TIER: Naib");
    assert!(description(&naib).contains("rank 1-7"), "{naib}");
}

#[tokio::test]
async fn every_other_subcommand_answers_with_its_embed() {
    let d = discord_app(0).await;
    tester_in_guild(&d, "700").await;
    let feature = d.run("700", "check", json!([opt("type", "feature"), opt("target", "vote")])).await;
    assert!(feature["title"].as_str().unwrap().starts_with("FEATURE "), "{feature}");
    let badges = d.run("700", "check", json!([opt("type", "badges")])).await;
    assert!(badges["title"].as_str().unwrap().starts_with("BADGES: "), "{badges}");
    let all = d.run("700", "check", json!([opt("type", "all")])).await;
    assert!(all["title"].as_str().unwrap().starts_with("ALL CHECKS: "), "{all}");
    assert!(all["fields"][0]["name"].as_str().unwrap().starts_with("Channels"), "{all}");

    let changed = d.run("700", "config", json!([opt("action", "set"), opt("args", "tier usul bgt=1000")])).await;
    assert_eq!(changed["title"], "THRESHOLDS UPDATED: sietch");
    assert!(description(&changed).contains("usul: BGT >= 1000 (overridden)"), "{changed}");
    let shown = d.run("700", "config", json!([opt("action", "show")])).await;
    assert!(description(&shown).contains("usul: BGT >= 1000 (overridden)"), "{shown}");
    let reset = d.run("700", "config", json!([opt("action", "reset")])).await;
    assert!(!description(&reset).contains("(overridden)"), "{reset}");

    let who = d.run("700", "whoami", json!([])).await;
    assert!(who["title"].as_str().unwrap().starts_with("WHO AM I: "), "{who}");
    assert!(who["footer"]["text"].as_str().unwrap().contains("simulation default"), "{who}");

    let bad = d.run("700", "check", json!([opt("type", "access"), opt("target", "war-rom")])).await;
    assert_eq!(bad["title"], "ERROR: VALIDATION");
    assert!(description(&bad).contains("Did you mean: war-room?"), "{bad}");
}

#[tokio::test]
async fn a_linked_viewer_may_ask_but_not_change_state() {
    let d = discord_app(0).await;
    let (_, owner, sandbox) = tester_in_guild(&d, "800").await;
    let (viewer, _) = d.app.user("viewer").await;
    assert_eq!(d.app.call(&owner, "POST", &format!("/sandbox/{sandbox}/members"), Some(json!({ "username": viewer }))).await.status, 200);
    let link = d.app.call(&d.app.admin, "POST", "/discord/links", Some(json!({ "discordUserId": "801", "username": viewer }))).await;
    assert_eq!(link.status, 200);

    let refused = d.run("801", "set", json!([opt("attribute", "bgt"), opt("value", "500")])).await;
    assert_eq!(refused["title"], "ERROR: FORBIDDEN");
    assert!(description(&refused).contains("qa_tester"), "{refused}");
    let asked = d.run("801", "check", json!([opt("type", "tier")])).await;
    assert!(asked["title"].as_str().unwrap().starts_with("TIER: "), "{asked}");
}

#[tokio::test]
async fn an_unlinked_user_is_told_how_and_a_one_time_code_links_them() {
    let d = discord_app(0).await;
    let (username, token, _) = tester_in_guild(&d, "900").await;
    let unlinked = d.run("901", "whoami", json!([])).await;
    assert_eq!(unlinked["title"], "ERROR: UNAUTHENTICATED");
    assert!(description(&unlinked).contains("/simulation link"), "{unlinked}");

    let code = d.app.call(&token, "POST", "/discord/link-code", None).await;
    assert_eq!(code.status, 200, "{code:?}");
    let code = code.body["code"].as_str().unwrap().to_owned();
    let linked = d.run("901", "link", json!([opt("code", &code)])).await;
    assert_eq!(linked["title"], "LINKED");
    assert!(description(&linked).contains(&username), "{linked}");
    assert!(d.run("901", "whoami", json!([])).await["title"].as_str().unwrap().starts_with("WHO AM I"));
    let again = d.run("902", "link", json!([opt("code", &code)])).await;
    assert_eq!(again["title"], "ERROR: VALIDATION", "a code works once");

    let unlink = d.app.call(&token, "DELETE", "/discord/links/901", None).await;
    assert_eq!(unlink.status, 204, "{unlink:?}");
    assert_eq!(d.run("901", "whoami", json!([])).await["title"], "ERROR: UNAUTHENTICATED");
}

#[tokio::test]
async fn a_second_command_inside_the_cooldown_is_refused() {
    let d = discord_app(60).await;
    tester_in_guild(&d, "1000").await;
    assert!(d.run("1000", "whoami", json!([])).await["title"].as_str().unwrap().starts_with("WHO AM I"));
    let refused = d.run("1000", "whoami", json!([])).await;
    assert_eq!(refused["title"], "ERROR: RATE_LIMITED");
    assert!(description(&refused).contains("one command every 60 s"), "{refused}");
}

#[tokio::test]
async fn the_sandbox_rate_limit_applies_to_slash_commands() {
    let key = fresh_key();
    let public = hex::encode(key.verifying_key().to_bytes());
    let app = spawn_app_with(move |s| {
        s.discord_public_key = Some(public);
        s.discord_cooldown_seconds = 0;
        s.rate_limit_per_minute = 6;
    })
    .await;
    let d = Discord { app, key };
    tester_in_guild(&d, "1100").await;
    let mut titles = Vec::new();
    for _ in 0..6 {
        titles.push(d.run("1100", "whoami", json!([])).await["title"].as_str().unwrap().to_owned());
    }
    assert!(titles.iter().any(|t| t == "ERROR: RATE_LIMITED"), "{titles:?}");
}

#[tokio::test]
async fn autocomplete_offers_the_sandboxs_channels_tiers_and_stages() {
    let d = discord_app(0).await;
    tester_in_guild(&d, "1200").await;
    let focused = |name: &str, value: &str| json!({ "name": name, "type": 3, "value": value, "focused": true });
    let ask = |options: Value, sub: &str| command(4, GUILD, "1200", sub, options);

    let channels = d.send(&ask(json!([opt("type", "access"), focused("target", "war")]), "check")).await;
    assert_eq!(channels.body["type"], 8, "{channels:?}");
    assert_eq!(channels.body["data"]["choices"][0]["value"], "war-room", "{channels:?}");
    let tiers = d.send(&ask(json!([focused("tier", "")]), "assume")).await;
    let values: Vec<&str> = tiers.body["data"]["choices"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
    assert_eq!(values.first(), Some(&"naib"));
    assert!(values.contains(&"reset"));
    let stages = d.send(&ask(json!([opt("attribute", "stage"), focused("value", "en")]), "set")).await;
    assert_eq!(stages.body["data"]["choices"][0]["value"], "engaged", "{stages:?}");
}

#[tokio::test]
async fn a_guild_serves_one_live_sandbox_at_a_time() {
    let d = discord_app(0).await;
    let (_, token, first) = tester_in_guild(&d, "1300").await;
    let second = d.app.sandbox(&token, "second").await;
    let taken = d.app.call(&token, "POST", &format!("/sandbox/{second}/discord/guilds"), Some(json!({ "guildId": GUILD }))).await;
    assert_eq!(taken.status, 409, "{taken:?}");
    let listed = d.app.call(&token, "GET", &format!("/sandbox/{first}/discord/guilds"), None).await;
    assert_eq!(listed.body[0]["guildId"], GUILD, "{listed:?}");

    assert_eq!(d.app.call(&token, "DELETE", &format!("/sandbox/{first}"), None).await.status, 200);
    let moved = d.app.server_fn(&token, "discord/register_guild", json!({ "sandbox": second, "guild": GUILD })).await;
    assert_eq!(moved.status, 200, "a destroyed sandbox's guild may move: {moved:?}");
    let via_fn = d.app.server_fn(&token, "discord/guilds", json!({ "sandbox": second })).await;
    assert_eq!(via_fn.body[0]["guildId"], GUILD);
    let gone = d.app.call(&token, "DELETE", &format!("/sandbox/{second}/discord/guilds/{GUILD}"), None).await;
    assert_eq!(gone.status, 204, "{gone:?}");
    assert_eq!(d.app.call(&token, "DELETE", &format!("/sandbox/{second}/discord/guilds/{GUILD}"), None).await.status, 404);
    let bad = d.app.call(&token, "POST", &format!("/sandbox/{second}/discord/guilds"), Some(json!({ "guildId": "general" }))).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["details"]["field"], "guildId");
}

#[tokio::test]
async fn only_admins_link_other_people_directly() {
    let d = discord_app(0).await;
    let (tester, token) = d.app.user("qa_tester").await;
    let refused = d.app.call(&token, "POST", "/discord/links", Some(json!({ "discordUserId": "1400", "username": tester }))).await;
    assert_eq!(refused.status, 403, "{refused:?}");
    let via_fn = d.app.server_fn(&d.app.admin, "discord/link_user", json!({ "discord_user": "1400", "username": tester })).await;
    assert_eq!(via_fn.status, 200, "{via_fn:?}");
    assert_eq!(via_fn.body["username"], tester);
    let not_theirs = d.app.server_fn(&token, "discord/unlink_user", json!({ "discord_user": "1401" })).await;
    assert_eq!(not_theirs.status, 404);
    assert_eq!(d.app.server_fn(&token, "discord/unlink_user", json!({ "discord_user": "1400" })).await.status, 200);
}

#[tokio::test]
async fn a_saved_scenario_runs_by_name_and_its_name_is_autocompleted() {
    let d = discord_app(0).await;
    let (_, token, sandbox) = tester_in_guild(&d, "1500").await;
    let source = "name: smoke\ntheme: sietch\nscenarios:\n  - name: fedaykin enters the war room\n    given:\n      assume: fedaykin\n    then:\n      - access: {channel: war-room, allowed: true}\n  - name: hajra enters the war room\n    given:\n      assume: hajra\n    then:\n      - access: {channel: war-room, allowed: true}\n";
    let saved = d.app.call(&token, "PUT", &format!("/sandbox/{sandbox}/scenarios/smoke"), Some(json!({ "scenario": source }))).await;
    assert!(saved.status < 300, "{saved:?}");

    let names =
        d.send(&command(4, GUILD, "1500", "scenario", json!([{ "name": "name", "type": 3, "value": "sm", "focused": true }]))).await;
    assert_eq!(names.body["data"]["choices"][0]["value"], "smoke", "{names:?}");
    let ran = d.run("1500", "scenario", json!([opt("name", "smoke")])).await;
    assert_eq!(ran["title"], "SCENARIO FAILED: smoke", "{ran}");
    assert!(description(&ran).contains("Scenarios: 1 passed, 1 failed of 2"), "{ran}");
    assert!(description(&ran).contains("⛔ hajra enters the war room"), "{ran}");
    let missing = d.run("1500", "scenario", json!([opt("name", "nope")])).await;
    assert_eq!(missing["title"], "ERROR: NOT_FOUND");
}
