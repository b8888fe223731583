//! The `/simulation` command tree of PRD section 5.1 as Discord registers it: `crysknife discord
//! commands` prints it and `crysknife discord register` sends it. Tiers, channels, features and
//! saved scenarios are autocompleted from the guild's sandbox; fixed word lists are choices.

use twilight_model::application::command::{Command, CommandType};
use twilight_model::application::interaction::InteractionContextType;
use twilight_util::builder::command::{CommandBuilder, IntegerBuilder, StringBuilder, SubCommandBuilder};

/// The command's name.
pub const NAME: &str = "simulation";

/// Every command this application registers.
pub fn definitions() -> Vec<Command> {
    vec![simulation().build()]
}

fn simulation() -> CommandBuilder {
    let attributes = [
        ("bgt", "bgt"),
        ("rank", "rank"),
        ("stage", "stage"),
        ("activity", "activity"),
        ("tenure", "tenure"),
        ("conviction", "conviction"),
        ("engagement points", "points"),
        ("verified", "verified"),
    ];
    let check_types = [("access (channel)", "access"), ("feature", "feature"), ("tier", "tier"), ("badges", "badges"), ("all", "all")];
    let config_actions = [("show", "show"), ("reset", "reset"), ("set", "set")];
    CommandBuilder::new(NAME, "Ask the guild's Crysknife sandbox about a simulated member", CommandType::ChatInput)
        .contexts([InteractionContextType::Guild])
        .option(
            SubCommandBuilder::new("assume", "Assume a tier until reset")
                .option(StringBuilder::new("tier", "A tier of the sandbox's theme, or reset").required(true).autocomplete(true))
                .option(IntegerBuilder::new("rank", "A rank to show with the assumed tier").min_value(1)),
        )
        .option(
            SubCommandBuilder::new("set", "Set one attribute of the simulated state")
                .option(StringBuilder::new("attribute", "What to set").required(true).choices(attributes))
                .option(StringBuilder::new("value", "A number, a BGT amount, or a stage").required(true).autocomplete(true)),
        )
        .option(
            SubCommandBuilder::new("check", "Check access, a feature, the tier, badges, or everything")
                .option(StringBuilder::new("type", "What to check").required(true).choices(check_types))
                .option(StringBuilder::new("target", "A channel (access) or a feature id").autocomplete(true)),
        )
        .option(
            SubCommandBuilder::new("config", "Show, reset or set threshold overrides")
                .option(StringBuilder::new("action", "show, reset or set").required(true).choices(config_actions))
                .option(StringBuilder::new("args", "For set: `tier usul bgt=1000`, `bgt sihaya=400`, `stage engaged minPoints=75`")),
        )
        .option(SubCommandBuilder::new("whoami", "Show the assumed role and the simulated state"))
        .option(
            SubCommandBuilder::new("scenario", "Run a scenario saved in the sandbox")
                .option(StringBuilder::new("name", "The saved scenario's name").required(true).autocomplete(true)),
        )
        .option(
            SubCommandBuilder::new("link", "Link your Discord account to your Crysknife user")
                .option(StringBuilder::new("code", "The code from `crysknife discord link-code` or the web console").required(true)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_has_the_prd_subcommands_and_validates_as_discord_requires() {
        let commands = definitions();
        let json = serde_json::to_value(&commands).unwrap();
        let names: Vec<&str> = json[0]["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["assume", "set", "check", "config", "whoami", "scenario", "link"]);
        assert_eq!(json[0]["name"], NAME);
        assert_eq!(json[0]["type"], 1);
        assert!(simulation().validate().is_ok(), "Discord's limits on names, descriptions and choices hold");
    }
}
