//! `crysknife sim ...`: the PRD section 3.1 grammar as written (`sim set bgt 500`, `sim check
//! access '#war-room'`, `sim config tier usul bgt=1000`), parsed by the same grammar as Discord,
//! sent to the REST door, and printed with the same embed cards (or `--json`).

use super::client::{Client, Conn, Failure};
use super::sandbox::resolve;
use backend::services::discord::grammar::{self, Action};
use backend::services::embed;
use clap::{Args, Subcommand};
use domain::{CheckResult, ThresholdsView};
use wire::error::ApiError;
use wire::model::{StateView, WhoAmI};

#[derive(Args, Debug)]
pub struct SimArgs {
    #[command(flatten)]
    pub conn: Conn,
    /// The sandbox (id or name) [default: the current one, see `crysknife sandbox use`].
    #[arg(long, short, global = true, env = "CRYSKNIFE_SANDBOX")]
    pub sandbox: Option<String>,
    /// A simulation of the sandbox (id or name) [default: its default simulation].
    #[arg(long, global = true)]
    pub simulation: Option<String>,
    #[command(subcommand)]
    pub command: SimCommand,
}

#[derive(Subcommand, Debug)]
pub enum SimCommand {
    /// Assume a tier until reset: `assume fedaykin`, `assume role naib --rank 3`, `assume reset`.
    Assume {
        #[arg(required = true, num_args = 1..=2)]
        words: Vec<String>,
        /// A rank to show with the assumed tier.
        #[arg(long)]
        rank: Option<u32>,
    },
    /// Set one attribute: bgt, rank, stage, activity, tenure, conviction, points, verified; or
    /// `set state '<json>'`.
    Set { attribute: String, value: String },
    /// `get state`: every configured value and what derives from it.
    Get {
        #[arg(default_value = "state")]
        what: String,
    },
    /// The assumed role and the simulated state.
    Whoami,
    /// `check access '#war-room'`, `check feature vote`, `check tier`, `check badges`, `check all`.
    Check { kind: String, target: Option<String> },
    /// `config show`, `config reset`, `config tier usul bgt=1000`, `config tier naib minRank=1
    /// maxRank=10`, `config bgt sihaya=400`, `config stage engaged minPoints=75`.
    Config {
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        words: Vec<String>,
    },
    /// Reset the assumed role (`reset` or `reset role`), the thresholds, or `all` of both.
    Reset {
        #[arg(default_value = "role", value_parser = ["role", "thresholds", "all"])]
        what: String,
    },
}

pub async fn run(args: SimArgs) -> anyhow::Result<()> {
    let actions = parse(&args.command).map_err(Failure::Api)?;
    let client = Client::new(&args.conn)?;
    let sandbox = resolve(&client, args.sandbox.as_deref()).await?;
    let query = args.simulation.as_deref().map(|s| format!("?simulation={}", encode(s))).unwrap_or_default();
    for action in actions {
        let (method, path, body) = action.request();
        let answer = client.call(method, &format!("/sandbox/{sandbox}/{path}{query}"), body).await?;
        print(&client, &action, &answer)?;
    }
    Ok(())
}

/// The actions a command spells, in the grammar Discord shares.
fn parse(command: &SimCommand) -> Result<Vec<Action>, ApiError> {
    Ok(match command {
        SimCommand::Assume { words: w, rank } => vec![grammar::assume(&words(w), *rank)?],
        SimCommand::Set { attribute, value } => vec![grammar::set(attribute, value)?],
        SimCommand::Get { what } if what == "state" => vec![Action::GetState],
        SimCommand::Get { what } => return Err(ApiError::validation("what", format!("only `get state` is known; got `{what}`"))),
        SimCommand::Whoami => vec![Action::Whoami],
        SimCommand::Check { kind, target } => vec![grammar::check(kind, target.as_deref())?],
        SimCommand::Config { words: w } => vec![grammar::config(&words(w))?],
        SimCommand::Reset { what } => match what.as_str() {
            "thresholds" => vec![Action::ConfigReset],
            "all" => vec![Action::AssumeReset, Action::ConfigReset],
            _ => vec![Action::AssumeReset],
        },
    })
}

fn words(w: &[String]) -> Vec<&str> {
    w.iter().map(String::as_str).collect()
}

/// Prints an answer with the card of its kind.
fn print(client: &Client, action: &Action, answer: &serde_json::Value) -> anyhow::Result<()> {
    match action {
        Action::Assume(_) | Action::AssumeReset | Action::Whoami => client.print(answer, |w: WhoAmI| embed::whoami(&w)),
        Action::Set(_) => client.print(answer, |s: StateView| embed::state("STATE UPDATED", &s)),
        Action::GetState => client.print(answer, |s: StateView| embed::state("STATE", &s)),
        Action::Check(_) => client.print(answer, |c: CheckResult| embed::check(&c)),
        Action::ConfigShow => client.print(answer, |t: ThresholdsView| embed::thresholds("THRESHOLDS", &t)),
        Action::ConfigReset => client.print(answer, |t: ThresholdsView| embed::thresholds("THRESHOLDS RESET", &t)),
        Action::ConfigSet(_) => client.print(answer, |t: ThresholdsView| embed::thresholds("THRESHOLDS UPDATED", &t)),
    }
}

/// Everything but the unreserved characters of RFC 3986 is encoded in a query value.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_VALUE).to_string()
}
