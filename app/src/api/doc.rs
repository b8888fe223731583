//! The server functions as the OpenAPI document shows them: each one's path, summary, the JSON
//! body its arguments make (from the argument struct `#[server]` generates) and its answer (the
//! function's `Ok` type). The server adds these to its REST operations.

use leptos::server_fn::ServerFn;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use wire::schema::{inline_of, schema_of, Components};

/// One server function.
pub struct ServerFnDoc {
    /// `/api/v1/<area>/<verb>`.
    pub path: &'static str,
    /// The first line of its documentation.
    pub summary: String,
    /// The rest of its documentation.
    pub description: String,
    /// The body: a JSON object keyed by argument name, or (for the HTML forms) the same keys
    /// form-encoded.
    pub request: RefOr<Schema>,
    pub form: bool,
    /// The answer.
    pub response: RefOr<Schema>,
    /// Component schemas the request and answer refer to.
    pub schemas: Components,
}

fn describe<S>(form: bool) -> ServerFnDoc
where
    S: ServerFn + ToSchema,
    S::Output: ToSchema,
{
    let mut schemas = Vec::new();
    let mut request = inline_of::<S>(&mut schemas);
    // The argument struct's documentation is "Serialized arguments for the [`f`] server
    // function." followed by the function's own: keep the function's.
    let text = match &mut request {
        RefOr::T(Schema::Object(object)) => object.description.take().unwrap_or_default(),
        _ => String::new(),
    };
    let own = text.split_once("server function.").map(|(_, rest)| rest).unwrap_or(&text).trim();
    let (summary, description) = own.split_once("\n\n").map(|(a, b)| (a.trim(), b.trim())).unwrap_or((own, ""));
    let response = schema_of::<S::Output>(&mut schemas);
    ServerFnDoc {
        path: S::PATH,
        summary: summary.replace('\n', " "),
        description: description.to_owned(),
        request,
        form,
        response,
        schemas,
    }
}

fn json<S>() -> ServerFnDoc
where
    S: ServerFn + ToSchema,
    S::Output: ToSchema,
{
    describe::<S>(false)
}

fn form<S>() -> ServerFnDoc
where
    S: ServerFn + ToSchema,
    S::Output: ToSchema,
{
    describe::<S>(true)
}

/// Every server function. `server/tests` checks this list against the registered ones.
pub fn server_functions() -> Vec<ServerFnDoc> {
    vec![
        json::<super::auth::Login>(),
        form::<super::auth::LoginForm>(),
        json::<super::auth::Logout>(),
        form::<super::auth::LogoutForm>(),
        json::<super::auth::Me>(),
        json::<super::discord::ListGuilds>(),
        json::<super::discord::CreateLinkCode>(),
        json::<super::discord::link_user::LinkUser>(),
        json::<super::discord::register_guild::RegisterGuild>(),
        json::<super::discord::UnlinkUser>(),
        json::<super::discord::UnregisterGuild>(),
        json::<super::kruxt::KruxtActors>(),
        json::<super::kruxt::KruxtAddActor>(),
        json::<super::kruxt::KruxtAssume>(),
        json::<super::kruxt::KruxtCompare>(),
        json::<super::kruxt::KruxtConsole>(),
        json::<super::kruxt::KruxtMatrix>(),
        json::<super::kruxt::KruxtQuery>(),
        json::<super::kruxt::KruxtReset>(),
        json::<super::kruxt::KruxtResetActor>(),
        json::<super::kruxt::KruxtRpc>(),
        json::<super::kruxt::KruxtRunSuite>(),
        json::<super::kruxt::KruxtSetClock>(),
        json::<super::kruxt::KruxtStatus>(),
        json::<super::kruxt::KruxtTestPlan>(),
        json::<super::sandbox::AddMember>(),
        json::<super::sandbox::SandboxAudit>(),
        json::<super::sandbox::CreateSandbox>(),
        json::<super::sandbox::DestroySandbox>(),
        json::<super::sandbox::ExtendSandbox>(),
        json::<super::sandbox::GetSandbox>(),
        json::<super::sandbox::ListSandboxes>(),
        json::<super::sandbox::RemoveMember>(),
        json::<super::sandbox::Workbench>(),
        json::<super::scenario::DeleteSavedScenario>(),
        json::<super::scenario::ScenarioReport>(),
        json::<super::scenario::RunScenario>(),
        json::<super::scenario::RunSavedScenario>(),
        json::<super::scenario::ScenarioRuns>(),
        json::<super::scenario::SaveScenario>(),
        json::<super::scenario::SavedScenarios>(),
        json::<super::simulation::RecordActivity>(),
        json::<super::simulation::Assume>(),
        json::<super::simulation::Check>(),
        json::<super::simulation::CreateSimulation>(),
        json::<super::simulation::ListSimulations>(),
        json::<super::simulation::PatchState>(),
        json::<super::simulation::PatchThresholds>(),
        json::<super::simulation::ResetAssume>(),
        json::<super::simulation::ResetThresholds>(),
        json::<super::simulation::GetState>(),
        json::<super::simulation::GetThresholds>(),
        json::<super::simulation::Whoami>(),
        json::<super::system::SystemInfo>(),
        json::<super::system::ApiDocument>(),
        json::<super::token::CreateToken>(),
        json::<super::token::ListTokens>(),
        json::<super::token::RevokeToken>(),
        json::<super::user::CreateUser>(),
        json::<super::user::ListUsers>(),
    ]
}
