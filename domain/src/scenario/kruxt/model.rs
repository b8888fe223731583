//! The KRUXT scenario model: a file acts as KRUXT users against a KRUXT sandbox's database.
//! Steps pick the actor and the clock or run one action (an RPC, a structured select, a read
//! query, an insert, update or delete, a staff-console flow method); expectations judge the
//! outcome of the most recent action. Kinds are keyed by name, as in tier scenario files.

use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

/// Keys of a KRUXT file.
pub const FILE_KEYS: [&str; 7] = ["$schema", "name", "description", "theme", "testPlanItem", "defaults", "scenarios"];
/// Keys of `defaults`.
pub const DEFAULTS_KEYS: [&str; 2] = ["actor", "clock"];
/// Keys of a scenario.
pub const SCENARIO_KEYS: [&str; 10] =
    ["name", "description", "tags", "testPlanItem", "facets", "constraints", "given", "when", "then", "steps"];
/// Step kinds, the single key of a step.
pub const STEP_KINDS: [&str; 12] =
    ["as", "clock", "advance", "capture", "rpc", "select", "sql", "insert", "update", "delete", "console", "user"];
/// Expectation kinds, the single key of an assertion.
pub const EXPECTATION_KINDS: [&str; 11] =
    ["ok", "rows", "affected", "error", "result", "equals", "unchanged", "contains", "matches", "absent", "sameAs"];
/// Methods of the staff console flow (09 §2).
pub const CONSOLE_METHODS: [&str; 5] = ["load", "approve", "reject", "assignRole", "setStatus"];
/// The longest statement timeout a step may ask for, in seconds.
pub const MAX_STEP_TIMEOUT_SECS: i64 = 120;
/// The theme id that marks a scenario file as a KRUXT file.
pub const THEME: &str = "kruxt";

/// A KRUXT scenario file, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct KruxtFile {
    /// What the file tests.
    pub name: String,
    /// A longer description.
    pub description: Option<String>,
    /// Where every scenario starts.
    pub defaults: KruxtDefaults,
    /// The scenarios, in order.
    pub scenarios: Vec<KruxtScenario>,
}

/// The start of every scenario of a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KruxtDefaults {
    /// The acting user until a step says otherwise; anonymous when absent.
    pub actor: Option<String>,
    /// The simulated clock (`kruxt.now`); the sandbox's seed anchor when absent.
    pub clock: Option<OffsetDateTime>,
}

/// One scenario: steps and expectations in the order they run.
#[derive(Debug, Clone, PartialEq)]
pub struct KruxtScenario {
    /// A sentence saying what it shows.
    pub name: String,
    /// Where it is in the file (`scenarios[3]`).
    pub path: String,
    /// A longer description.
    pub description: Option<String>,
    /// Free labels; the runner adds `item:N` for each test plan item.
    pub tags: Vec<String>,
    /// The beta test plan items it covers (the file's and its own).
    pub test_plan_items: Vec<u32>,
    /// The facets of those items it shows (`positive`, `negative`, `defect:<name>`,
    /// `concurrency`, `perf:<target>`); `positive` when the file names none.
    pub facets: Vec<String>,
    /// `constraints: immediate`: deferred constraints and constraint triggers fire at the end of
    /// each statement instead of at the end of the scenario's transaction (which is rolled back).
    pub immediate: bool,
    /// Steps and expectations, in order.
    pub items: Vec<KruxtItem>,
}

/// A step or an expectation with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct KruxtItem {
    /// `scenarios[0].steps[1]`.
    pub path: String,
    /// What it does.
    pub action: KruxtAction,
}

/// A step or an expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum KruxtAction {
    /// Changes the actor or the clock, or runs something against the database.
    Step(KruxtStep),
    /// Judges the outcome of the most recent database action.
    Expect(KruxtExpectation),
}

/// Rows of a table picked by equality on columns (`null` matches NULL); none picks every row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter(pub Map<String, Value>);

/// A change of actor or clock, or one database action.
#[derive(Debug, Clone, PartialEq)]
pub enum KruxtStep {
    /// `as`: the acting user from now on (a username, a user id, `service` or `anon`).
    As(String),
    /// `clock`: the simulated clock is set.
    Clock(OffsetDateTime),
    /// `advance`: the simulated clock moves on.
    Advance(Duration),
    /// `capture`: names for parts of the most recent action's result (name, path), for
    /// `${name}` in later steps and expectations.
    Capture(Vec<(String, String)>),
    /// A database action, optionally as another actor for this step only.
    Run {
        /// What runs.
        action: DbAction,
        /// The actor for this step only.
        actor: Option<String>,
        /// `commit: true`: what a commit would check fires at the end of this step (deferred
        /// constraints and constraint triggers), and a failure there is this step's error.
        commit: bool,
        /// `timeout`: this step's statement timeout (15 s when absent, at most
        /// `MAX_STEP_TIMEOUT_SECS`), for long jobs.
        timeout: Option<Duration>,
    },
}

/// One action against the sandbox's database, run in its own savepoint.
#[derive(Debug, Clone, PartialEq)]
pub enum DbAction {
    /// `rpc`: calls `public.<function>` with named arguments.
    Rpc {
        /// The function's name.
        function: String,
        /// Argument name to JSON value.
        args: Map<String, Value>,
    },
    /// `select`: reads rows of a table.
    Select {
        /// The table.
        table: String,
        /// Which rows.
        filter: Filter,
        /// Only these columns (all when empty).
        columns: Vec<String>,
        /// Ordered by these columns (the table's order when empty).
        order_by: Vec<String>,
        /// At most this many rows.
        limit: Option<u64>,
    },
    /// `sql`: a read query (one SELECT, VALUES, TABLE or WITH query).
    Sql(String),
    /// `insert`: one or more rows.
    Insert {
        /// The table.
        table: String,
        /// Column name to value, one map per row.
        rows: Vec<Map<String, Value>>,
    },
    /// `update`: sets columns on the rows the filter picks.
    Update {
        /// The table.
        table: String,
        /// Column name to new value.
        set: Map<String, Value>,
        /// Which rows.
        filter: Filter,
    },
    /// `delete`: deletes the rows the filter picks.
    Delete {
        /// The table.
        table: String,
        /// Which rows.
        filter: Filter,
    },
    /// `user: {create: {...}}`: a KRUXT user (auth user and profile, with memberships) created
    /// as the service role, who can act in later steps by username.
    CreateUser(Map<String, Value>),
    /// `console`: a staff console flow method (09 §2).
    Console {
        /// `load`, `approve`, `reject`, `assignRole` or `setStatus`.
        method: String,
        /// `gymId`, `membershipId`, `role`, `status`.
        args: Map<String, Value>,
    },
}

impl DbAction {
    /// The step's kind, as the file names it.
    pub fn kind(&self) -> &'static str {
        match self {
            DbAction::Rpc { .. } => "rpc",
            DbAction::Select { .. } => "select",
            DbAction::Sql(_) => "sql",
            DbAction::Insert { .. } => "insert",
            DbAction::Update { .. } => "update",
            DbAction::Delete { .. } => "delete",
            DbAction::Console { .. } => "console",
            DbAction::CreateUser(_) => "user",
        }
    }

    /// "rpc user_has_gym_permission", "select device_connections", ...
    pub fn describe(&self) -> String {
        match self {
            DbAction::Rpc { function, .. } => format!("rpc {function}"),
            DbAction::Select { table, .. }
            | DbAction::Insert { table, .. }
            | DbAction::Update { table, .. }
            | DbAction::Delete { table, .. } => {
                format!("{} {table}", self.kind())
            }
            DbAction::Sql(text) => format!("sql {}", text.chars().take(60).collect::<String>()),
            DbAction::Console { method, .. } => format!("console {method}"),
            DbAction::CreateUser(args) => format!("user create {}", args.get("username").and_then(Value::as_str).unwrap_or("?")),
        }
    }
}

/// What was expected of an error; every field given must match.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorExpectation {
    /// The SQLSTATE (`42501`, `KX403`).
    pub sqlstate: Option<String>,
    /// The flow's error code (`ADMIN_STAFF_ACCESS_DENIED`), or the SQLSTATE of a database error.
    pub code: Option<String>,
    /// Text the message must contain (any case).
    pub message: Option<String>,
    /// The flow step that failed (`access`, `membership_status`, ...), for flow methods.
    pub step: Option<String>,
    /// Whether the flow says the user can recover from it, for flow methods.
    pub recoverable: Option<bool>,
}

/// What the most recent database action must have done.
#[derive(Debug, Clone, PartialEq)]
pub enum KruxtExpectation {
    /// `ok`: it succeeded (true) or failed (false).
    Ok(bool),
    /// `rows`: it returned this many rows.
    Rows(u64),
    /// `affected`: it inserted, updated or deleted this many rows.
    Affected(u64),
    /// `error`: it failed like this.
    Error(ErrorExpectation),
    /// `result`: its JSON result contains this value (maps by key, lists in any order).
    Result(Value),
    /// `equals`: its JSON result is exactly this value.
    Equals(Value),
    /// `unchanged`: the rows of a table the filter picks are the same before and after it
    /// (read as the service role).
    Unchanged {
        /// The table.
        table: String,
        /// Which rows.
        filter: Filter,
    },
    /// `contains: {path, value}`: the part of the result at `path` holds `value` (maps by key,
    /// lists in any order; a text holds a text it contains).
    Contains {
        /// Where in the result (`$` for all of it).
        path: String,
        /// What it must hold.
        value: Value,
    },
    /// `matches: {path, pattern}`: the text at `path` matches a regular expression.
    Matches {
        /// Where in the result.
        path: String,
        /// The regular expression (checked when the file is read).
        pattern: String,
    },
    /// `absent`: something is not in the result.
    Absent {
        /// Where in the result (`$` for all of it).
        path: String,
        /// What must not be there.
        what: Absence,
    },
    /// `sameAs`: the part of the result at `path` equals a value, usually a captured one
    /// (`sameAs: ${first}` for determinism).
    SameAs {
        /// Where in the result (`$` for all of it).
        path: String,
        /// The value it must equal.
        value: Value,
    },
}

/// What an `absent` expectation says is not there.
#[derive(Debug, Clone, PartialEq)]
pub enum Absence {
    /// Nothing at the path (`absent: snapshot.secret`).
    Value,
    /// The text at the path (JSON text when it is not a text) does not contain this.
    Text(String),
    /// No row of the list at the path holds this (`absent: {row: {id: ...}}`).
    Row(Value),
}

impl KruxtExpectation {
    /// The expectation's kind, as the file names it.
    pub fn kind(&self) -> &'static str {
        match self {
            KruxtExpectation::Ok(_) => "ok",
            KruxtExpectation::Rows(_) => "rows",
            KruxtExpectation::Affected(_) => "affected",
            KruxtExpectation::Error(_) => "error",
            KruxtExpectation::Result(_) => "result",
            KruxtExpectation::Equals(_) => "equals",
            KruxtExpectation::Unchanged { .. } => "unchanged",
            KruxtExpectation::Contains { .. } => "contains",
            KruxtExpectation::Matches { .. } => "matches",
            KruxtExpectation::Absent { .. } => "absent",
            KruxtExpectation::SameAs { .. } => "sameAs",
        }
    }

    /// Whether it is about a failure, so a failing action followed by it is not an accident.
    pub fn expects_failure(&self) -> bool {
        matches!(self, KruxtExpectation::Error(_) | KruxtExpectation::Ok(false))
    }
}

impl KruxtScenario {
    /// How many expectations the scenario holds.
    pub fn assertion_count(&self) -> usize {
        self.items.iter().filter(|item| matches!(item.action, KruxtAction::Expect(_))).count()
    }

    /// The expectations that judge the action at `index`, with their places: those after it, up
    /// to the next action.
    pub fn judging(&self, index: usize) -> impl Iterator<Item = (&KruxtItem, &KruxtExpectation)> {
        self.items[index + 1..].iter().take_while(|item| !matches!(item.action, KruxtAction::Step(KruxtStep::Run { .. }))).filter_map(
            |item| match &item.action {
                KruxtAction::Expect(expectation) => Some((item, expectation)),
                KruxtAction::Step(_) => None,
            },
        )
    }

    /// The expectations that judge the action at `index`.
    pub fn expectations_after(&self, index: usize) -> impl Iterator<Item = &KruxtExpectation> {
        self.judging(index).map(|(_, expectation)| expectation)
    }
}

impl KruxtFile {
    /// How many expectations the file holds.
    pub fn assertion_count(&self) -> usize {
        self.scenarios.iter().map(KruxtScenario::assertion_count).sum()
    }
}
