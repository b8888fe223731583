//! The OpenAPI 3.1 document, generated once at start-up: the REST operations come from the route
//! table (`routes::table`, which also builds the router), the server functions from
//! `app::api::doc`, and every schema from the types' own `utoipa::ToSchema` derives (which read
//! the serde attributes, so the document says what the JSON says). Nothing is written by hand
//! twice, so the document cannot drift from the code.

pub mod op;

use op::Described;
use std::collections::BTreeMap;
use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, Schema};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths, RefOr, Required, ResponseBuilder, ServerBuilder};
use utoipa::PartialSchema;

/// The tags in the order the document lists them.
const TAGS: &[(&str, &str)] = &[
    ("Sandboxes", "Creating, listing, extending and destroying sandboxes; members and the audit trail"),
    ("Simulation", "The assumed role, the hypothetical state, thresholds and checks of one simulation"),
    ("Simulations", "Several named simulations side by side in one sandbox"),
    ("Scenarios", "Scenario files: running them, saved files and the history of runs"),
    (
        "KRUXT",
        "KRUXT sandboxes: acting as KRUXT users against their own database, the staff console, the RLS matrix and the beta test plan",
    ),
    ("Discord", "Discord guilds bound to sandboxes, account links and slash-command interactions"),
    ("Auth", "Signing in and out, API tokens and users"),
    ("System", "Health, readiness, the build and its stores"),
];

/// Error statuses every JSON server function may answer (the REST route's set), and those of the
/// two form targets.
const FN_ERRORS: &[u16] = &[400, 401, 403, 404, 409, 413, 415, 422, 429, 503];
const FORM_ERRORS: &[u16] = &[400, 401, 404, 413, 429, 503];

/// The tag of a server function, by path prefix (first match).
const FN_TAGS: &[(&str, &str)] = &[
    ("/api/v1/auth/", "Auth"),
    ("/api/v1/token/", "Auth"),
    ("/api/v1/user/", "Auth"),
    ("/api/v1/sandbox/", "Sandboxes"),
    ("/api/v1/simulation/create", "Simulations"),
    ("/api/v1/simulation/list", "Simulations"),
    ("/api/v1/simulation/", "Simulation"),
    ("/api/v1/scenario/", "Scenarios"),
    ("/api/v1/kruxt/", "KRUXT"),
    ("/api/v1/discord/", "Discord"),
];

/// Server functions callable without signing in.
const PUBLIC_FNS: &[&str] = &["/api/v1/auth/login", "/api/v1/auth/login_form", "/api/v1/system/info", "/api/v1/system/api_document"];

/// The whole document: the REST operations as described by the route table, then the server
/// functions, with every component schema they refer to.
///
/// Panics (at start-up, caught by the tests) when two different types claim one schema name or
/// two operations one path and method: either would make the document lie.
pub fn document(rest: Vec<Described>) -> OpenApi {
    let mut paths = Paths::new();
    let mut schemas: BTreeMap<String, RefOr<Schema>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |method: HttpMethod, path: &str, operation, found: op::Components, paths: &mut Paths| {
        let key = serde_json::to_string(&method).unwrap_or_default();
        assert!(seen.insert((key.clone(), path.to_owned())), "{key} {path} is described twice");
        for (name, schema) in found {
            collect(&mut schemas, name, schema);
        }
        paths.add_path_operation(path, vec![method], operation);
    };
    for d in rest {
        add(d.method, d.path, d.operation, d.schemas, &mut paths);
    }
    for f in app::api::doc::server_functions() {
        let (operation, found) = server_function(f.path, &f.summary, &f.description, f.request, f.form, f.response, f.schemas);
        add(HttpMethod::Post, f.path, operation, found, &mut paths);
    }
    let mut found = Vec::new();
    collect(&mut schemas, "ApiError".to_owned(), wire::error::ApiError::schema());
    <wire::error::ApiError as utoipa::ToSchema>::schemas(&mut found);
    for (name, schema) in found {
        collect(&mut schemas, name, schema);
    }

    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)))
        .security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("crysknife_session"))))
        .build();
    let info = InfoBuilder::new()
        .title("Crysknife")
        .version(backend::VERSION)
        .description(Some(
            "A QA sandbox for permission systems. The REST routes follow the QA sandbox PRD (section 4.5); every \
             operation is also a server function under /api/v1 with the same answers. Authenticate with \
             `Authorization: Bearer <token>` or a browser session. Every sandbox allows 100 requests a minute by \
             default. Request bodies are JSON (`Content-Type: application/json`); another declared type is refused \
             with 415. Errors are `{code, message, details}` (`ApiError`). This document is generated from the \
             route table and the types themselves.",
        ))
        .build();
    OpenApiBuilder::new()
        .info(info)
        .servers(Some([ServerBuilder::new().url("/").build()]))
        .tags(Some(TAGS.iter().map(|(name, description)| TagBuilder::new().name(*name).description(Some(*description)).build())))
        .security(Some([
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]))
        .paths(paths)
        .components(Some(components))
        .build()
}

/// Adds a component schema; the same name must always mean the same schema.
fn collect(schemas: &mut BTreeMap<String, RefOr<Schema>>, name: String, schema: RefOr<Schema>) {
    if let Some(existing) = schemas.get(&name) {
        let same = serde_json::to_value(existing).ok() == serde_json::to_value(&schema).ok();
        assert!(same, "two different types are both named `{name}` in the OpenAPI document; rename one (#[schema(as = ...)])");
        return;
    }
    schemas.insert(name, schema);
}

/// A server function as an operation: `POST /api/v1/<area>/<verb>` with its arguments as a JSON
/// object (or a form) and its answer.
fn server_function(
    path: &str,
    summary: &str,
    description: &str,
    request: RefOr<Schema>,
    form: bool,
    response: RefOr<Schema>,
    schemas: op::Components,
) -> (utoipa::openapi::path::Operation, op::Components) {
    let (area, verb) = path.trim_start_matches("/api/v1/").split_once('/').unwrap_or(("", ""));
    let tag = FN_TAGS.iter().find(|(prefix, _)| path.starts_with(prefix)).map_or("System", |(_, tag)| tag);
    let media = if form { "application/x-www-form-urlencoded" } else { "application/json" };
    let how = if form {
        "The form target of a page (works without JavaScript): the fields are the arguments, form-encoded."
    } else {
        "The JSON body is keyed by argument name; the answer and errors match the REST route's."
    };
    let description = if description.is_empty() { how.to_owned() } else { format!("{description}\n\n{how}") };
    let mut operation = OperationBuilder::new()
        .tag(tag)
        .operation_id(Some(format!("fn_{area}_{verb}")))
        .summary(Some(format!("{summary} (server function)")))
        .description(Some(description))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(media, ContentBuilder::new().schema(Some(request)).build())
                .build(),
        ))
        .response(
            "200",
            ResponseBuilder::new()
                .description("OK")
                .content("application/json", ContentBuilder::new().schema(Some(response)).build())
                .build(),
        );
    for status in if form { FORM_ERRORS } else { FN_ERRORS } {
        operation = operation.response(status.to_string(), op::error_response(*status));
    }
    if PUBLIC_FNS.contains(&path) {
        operation = operation.securities(Some(Vec::<SecurityRequirement>::new()));
    }
    (operation.build(), schemas)
}

/// The document as served, with two rewrites that make its schemas say what serde writes:
/// - every `oneOf` becomes `anyOf`: JSON Schema's `oneOf` demands that exactly one branch match,
///   but serde's untagged enums overlap (a BGT amount is also a string, `null` fits an absent
///   optional), so a valid answer would fail `oneOf`;
/// - an `allOf` of objects (utoipa's shape for an internally tagged newtype variant: the inner
///   struct and the tag) becomes the one object serde writes, because the inner struct's
///   `additionalProperties: false` would otherwise refuse the tag.
pub fn served(doc: &OpenApi) -> String {
    let mut value = serde_json::to_value(doc).expect("the OpenAPI document serializes");
    let schemas = value["components"]["schemas"].as_object().cloned().unwrap_or_default();
    rewrite(&mut value, &schemas);
    serde_json::to_string(&value).expect("the OpenAPI document serializes")
}

fn rewrite(value: &mut serde_json::Value, schemas: &serde_json::Map<String, serde_json::Value>) {
    use serde_json::Value;
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, schemas)),
        Value::Object(map) => {
            map.values_mut().for_each(|v| rewrite(v, schemas));
            if let Some(branches) = map.remove("oneOf") {
                map.insert("anyOf".to_owned(), branches);
            }
            let merged = match map.get("allOf") {
                Some(Value::Array(parts)) => merge_objects(parts, schemas),
                _ => None,
            };
            if let Some(merged) = merged {
                map.remove("allOf");
                map.extend(merged);
            }
        }
        _ => {}
    }
}

/// The single object `parts` describe together, when every part is an object schema (directly
/// or by reference).
fn merge_objects(
    parts: &[serde_json::Value],
    schemas: &serde_json::Map<String, serde_json::Value>,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    use serde_json::{json, Value};
    let mut properties = serde_json::Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut additional = None;
    for part in parts {
        let part = match part.get("$ref").and_then(Value::as_str) {
            Some(target) => schemas.get(target.trim_start_matches("#/components/schemas/"))?,
            None => part,
        };
        if part.get("type") != Some(&json!("object")) && part.get("properties").is_none() {
            return None;
        }
        properties.extend(part.get("properties").and_then(Value::as_object).cloned().unwrap_or_default());
        for name in part.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        additional = part.get("additionalProperties").cloned().or(additional);
    }
    let mut object = serde_json::Map::new();
    object.insert("type".to_owned(), json!("object"));
    object.insert("properties".to_owned(), Value::Object(properties));
    if !required.is_empty() {
        object.insert("required".to_owned(), Value::Array(required));
    }
    if let Some(additional) = additional {
        object.insert("additionalProperties".to_owned(), additional);
    }
    Some(object)
}
