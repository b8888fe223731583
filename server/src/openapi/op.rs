//! One operation of the API: the axum route that serves it and its OpenAPI description, made
//! together from one entry so the document cannot drift from the router.

use axum::handler::Handler;
use axum::routing::{self, MethodRouter};
use backend::state::AppState;
use std::borrow::Cow;
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, RefOr, Required, ResponseBuilder};
use utoipa::ToSchema;

pub use wire::schema::{schema_of, Components};

fn json_content(schema: RefOr<Schema>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

macro_rules! method {
    ($name:ident, $route:ident, $method:expr) => {
        /// An operation served by `handler`.
        pub fn $name<H, T>(path: &'static str, handler: H) -> Op
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            Op::new($method, path, routing::$route(handler))
        }
    };
}

/// One operation being described: its route and its OpenAPI operation, built together.
pub struct Op {
    method: HttpMethod,
    path: &'static str,
    route: MethodRouter<AppState>,
    operation: OperationBuilder,
    schemas: Components,
    errors: &'static [u16],
    has_body: bool,
}

impl Op {
    fn new(method: HttpMethod, path: &'static str, route: MethodRouter<AppState>) -> Op {
        Op { method, path, route, operation: OperationBuilder::new(), schemas: Vec::new(), errors: &[], has_body: false }
    }

    method!(get, get, HttpMethod::Get);
    method!(post, post, HttpMethod::Post);
    method!(put, put, HttpMethod::Put);
    method!(patch, patch, HttpMethod::Patch);
    method!(delete, delete, HttpMethod::Delete);

    /// Its tag, one-line summary and longer description.
    pub fn doc(mut self, tag: &str, id: &str, summary: &str, description: &str) -> Op {
        self.operation = self.operation.tag(tag).operation_id(Some(id)).summary(Some(summary));
        if !description.is_empty() {
            self.operation = self.operation.description(Some(description));
        }
        self
    }

    /// A required JSON body of type `T`.
    pub fn body<T: ToSchema>(mut self) -> Op {
        self.has_body = true;
        let schema = schema_of::<T>(&mut self.schemas);
        self.operation = self.operation.request_body(Some(
            RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", json_content(schema)).build(),
        ));
        self
    }

    /// A required JSON body described by `schema` (for bodies that are not one of our types).
    pub fn body_schema(mut self, schema: RefOr<Schema>) -> Op {
        self.has_body = true;
        self.operation = self.operation.request_body(Some(
            RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", json_content(schema)).build(),
        ));
        self
    }

    /// A success answer of type `T` as JSON with `status`.
    pub fn ok<T: ToSchema>(mut self, status: u16, description: &str) -> Op {
        let schema = schema_of::<T>(&mut self.schemas);
        let response = ResponseBuilder::new().description(description).content("application/json", json_content(schema)).build();
        self.operation = self.operation.response(status.to_string(), response);
        self
    }

    /// Another content type for the success answer already described with `status`.
    pub fn also_as(mut self, status: u16, content_type: &str, schema: RefOr<Schema>) -> Op {
        let mut built = self.operation.build();
        if let Some(RefOr::T(response)) = built.responses.responses.get_mut(&status.to_string()) {
            response.content.insert(content_type.to_owned(), RefOr::T(json_content(schema)));
        }
        self.operation = built.into();
        self
    }

    /// A success answer of another content type (an event stream, XML, a JSON Schema).
    pub fn ok_as(mut self, status: u16, description: &str, content_type: &str, schema: RefOr<Schema>) -> Op {
        let response = ResponseBuilder::new().description(description).content(content_type, json_content(schema)).build();
        self.operation = self.operation.response(status.to_string(), response);
        self
    }

    /// A success answer without a body.
    pub fn ok_empty(mut self, status: u16, description: &str) -> Op {
        self.operation = self.operation.response(status.to_string(), ResponseBuilder::new().description(description).build());
        self
    }

    /// Its parameters.
    pub fn params(mut self, params: impl IntoIterator<Item = Parameter>) -> Op {
        for param in params {
            self.operation = self.operation.parameter(param);
        }
        self
    }

    /// The error statuses it may answer.
    pub fn errors(mut self, statuses: &'static [u16]) -> Op {
        self.errors = statuses;
        self
    }

    /// Callable without signing in.
    pub fn public(mut self) -> Op {
        self.operation = self.operation.securities(Some(Vec::<utoipa::openapi::security::SecurityRequirement>::new()));
        self
    }

    /// The finished description, with the error responses added.
    pub fn finish(self) -> (HttpMethod, &'static str, Operation, Components, MethodRouter<AppState>) {
        let mut operation = self.operation;
        let mut errors = self.errors.to_vec();
        // A body declared as anything but JSON is refused before it is read.
        if self.has_body && !errors.contains(&415) {
            errors.push(415);
            errors.sort_unstable();
        }
        for status in errors {
            operation = operation.response(status.to_string(), error_response(status));
        }
        (self.method, self.path, operation.build(), self.schemas, self.route)
    }
}

/// An operation as the document shows it.
pub struct Described {
    pub method: HttpMethod,
    pub path: &'static str,
    pub operation: Operation,
    pub schemas: Components,
}

/// The shared error answer for `status`.
pub fn error_response(status: u16) -> utoipa::openapi::Response {
    let description: Cow<'static, str> = match status {
        400 => "`VALIDATION`: the field and the rule it broke".into(),
        401 => "`UNAUTHENTICATED`: sign in or send a bearer token".into(),
        403 => "`FORBIDDEN`: the caller's role is too low".into(),
        404 => "`NOT_FOUND`: no such thing, or not visible to the caller".into(),
        409 => "`VERSION_CONFLICT`, `SANDBOX_NAME_TAKEN`, `SANDBOX_STATE` or `CONFLICT`".into(),
        413 => "`PAYLOAD_TOO_LARGE`: the body is over 64 KiB".into(),
        415 => "`UNSUPPORTED_MEDIA_TYPE`: the body is declared as something other than JSON".into(),
        422 => "`SANDBOX_LIMIT`: the owner already has 5 live sandboxes".into(),
        429 => "`RATE_LIMITED`: `Retry-After` says when to try again".into(),
        503 => "`STORE_UNAVAILABLE`: a store is down; try again shortly".into(),
        other => format!("error {other}").into(),
    };
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/json", json_content(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("ApiError"))));
    if status == 429 {
        let integer = ObjectBuilder::new().schema_type(SchemaType::Type(Type::Integer)).build();
        response = response.header("Retry-After", HeaderBuilder::new().schema(Some(integer)).description(Some("Seconds to wait")).build());
    }
    response.build()
}

fn parameter(name: &str, place: ParameterIn, required: bool, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(if required { Required::True } else { Required::False })
        .description(Some(description))
        .schema(Some(schema.build()))
        .build()
}

fn text() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::Type(Type::String))
}

/// The parameters operations share.
pub mod param {
    use super::*;

    pub fn id() -> Parameter {
        parameter(
            "id",
            ParameterIn::Path,
            true,
            "Sandbox id",
            text().format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Uuid))),
        )
    }
    pub fn simulation() -> Parameter {
        parameter("simulation", ParameterIn::Query, false, "A simulation's id or name; the default simulation when absent", text())
    }
    pub fn if_match() -> Parameter {
        parameter(
            "If-Match",
            ParameterIn::Header,
            false,
            "The simulation's version the change is based on (`\"3\"`); a stale one gets 409",
            text(),
        )
    }
    pub fn path_text(name: &str, description: &str) -> Parameter {
        parameter(name, ParameterIn::Path, true, description, text())
    }
    pub fn query_text(name: &str, description: &str) -> Parameter {
        parameter(name, ParameterIn::Query, false, description, text())
    }
    pub fn header_text(name: &str, description: &str) -> Parameter {
        parameter(name, ParameterIn::Header, true, description, text())
    }
}
