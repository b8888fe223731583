//! Discord's side of a `Card`: the embed (cut to Discord's limits), and the interaction
//! responses: PONG, an ephemeral embed, autocomplete choices.

use crate::services::embed::Card;
use twilight_model::application::command::{CommandOptionChoice, CommandOptionChoiceValue};
use twilight_model::channel::message::{Embed, MessageFlags};
use twilight_model::http::interaction::InteractionResponseType;
use twilight_util::builder::embed::{EmbedBuilder, EmbedFieldBuilder, EmbedFooterBuilder};
use twilight_util::builder::interaction_response::{AutocompleteBuilder, ChannelMessageBuilder};

pub use twilight_model::http::interaction::InteractionResponse;

/// Discord's limits on an embed's parts, in characters.
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1024;
const FIELDS_MAX: usize = 25;
const FOOTER_MAX: usize = 2048;
/// At most this many autocomplete choices, each name and value at most 100 characters.
pub const CHOICES_MAX: usize = 25;
const CHOICE_MAX: usize = 100;

/// The Discord embed of a card: title, colour, the lines as the description, the fields, the
/// footer; each cut to Discord's limits with an ellipsis.
pub fn embed(card: &Card) -> Embed {
    let mut builder = EmbedBuilder::new().title(cut(&card.title, TITLE_MAX)).color(card.colour_value());
    let description = card.lines.join("\n");
    if !description.trim().is_empty() {
        builder = builder.description(cut(&description, DESCRIPTION_MAX));
    }
    for field in card.fields.iter().take(FIELDS_MAX) {
        let mut f = EmbedFieldBuilder::new(cut(&field.name, FIELD_NAME_MAX), cut(&field.value, FIELD_VALUE_MAX));
        if field.inline {
            f = f.inline();
        }
        builder = builder.field(f);
    }
    if let Some(footer) = &card.footer {
        builder = builder.footer(EmbedFooterBuilder::new(cut(footer, FOOTER_MAX)));
    }
    builder.build()
}

/// The answer to Discord's PING.
pub fn pong() -> InteractionResponse {
    InteractionResponse { kind: InteractionResponseType::Pong, data: None }
}

/// A message only the invoking user sees, holding the card.
pub fn ephemeral(card: &Card) -> InteractionResponse {
    ChannelMessageBuilder::new().embeds([embed(card)]).flags(MessageFlags::EPHEMERAL).build()
}

/// Autocomplete choices, `(shown name, value)`, at most 25.
pub fn choices(items: impl IntoIterator<Item = (String, String)>) -> InteractionResponse {
    let choices = items.into_iter().take(CHOICES_MAX).map(|(name, value)| CommandOptionChoice {
        name: cut(&name, CHOICE_MAX),
        name_localizations: None,
        value: CommandOptionChoiceValue::String(cut(&value, CHOICE_MAX)),
    });
    AutocompleteBuilder::new(choices).build()
}

/// `text` in at most `max` characters, ending in "…" when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::embed;
    use domain::{CheckRequest, Evaluator, SimState};

    fn check(state: SimState, assumed: Option<&str>, request: CheckRequest) -> domain::CheckResult {
        let ev = Evaluator::builtin("sietch").unwrap();
        let assumption = assumed.map(domain::Assumption::tier);
        let subject = ev.subject(&state, assumption.as_ref()).unwrap();
        ev.check(&subject, &request).unwrap()
    }

    #[test]
    fn discords_embed_json_says_what_the_neutral_card_says() {
        let denied = check(SimState::with_rank(42), Some("hajra"), CheckRequest::Channel { target: "council-chamber".into() });
        let card = embed::check(&denied).with_footer("simulation default · version 2");
        let json = serde_json::to_value(ephemeral(&card)).unwrap();
        assert_eq!(json["type"], 4);
        assert_eq!(json["data"]["flags"], 64, "ephemeral");
        let sent = &json["data"]["embeds"][0];
        assert_eq!(sent["title"], card.title);
        assert_eq!(sent["title"], "ACCESS DENIED: #council-chamber");
        assert_eq!(sent["color"], card.colour_value());
        assert_eq!(sent["description"], card.lines.join("\n"));
        assert!(card.lines.iter().any(|l| l == "- Reach Naib tier (Top 7 rank required)"), "{:?}", card.lines);
        assert_eq!(sent["footer"]["text"], "simulation default · version 2");
    }

    #[test]
    fn every_field_of_check_all_reaches_discord_in_order() {
        let all = check(SimState::with_rank(42), None, CheckRequest::All);
        let card = embed::check(&all);
        let sent = serde_json::to_value(embed(&card)).unwrap();
        let fields = sent["fields"].as_array().unwrap();
        assert_eq!(fields.len(), card.fields.len());
        for (sent, field) in fields.iter().zip(&card.fields) {
            assert_eq!(sent["name"], field.name);
            assert_eq!(sent["value"], field.value);
        }
        assert!(card.fields[0].value.contains("✅ #war-room"), "{}", card.fields[0].value);
    }

    #[test]
    fn long_text_is_cut_to_discords_limits() {
        let mut card = embed::error(&wire::error::ApiError::validation("x", "y".repeat(5000)));
        card.title = "t".repeat(300);
        let sent = embed(&card);
        assert_eq!(sent.title.unwrap().chars().count(), TITLE_MAX);
        assert_eq!(sent.description.unwrap().chars().count(), DESCRIPTION_MAX);
        let many = choices((0..40).map(|i| (format!("n{i}"), "v".repeat(150))));
        let data = serde_json::to_value(many).unwrap();
        assert_eq!(data["type"], 8);
        assert_eq!(data["data"]["choices"].as_array().unwrap().len(), CHOICES_MAX);
    }
}
