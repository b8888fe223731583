//! Schemas of bodies that are not one of our types.

use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

fn typed(t: Type) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::Type(t))
}

/// Text (XML, CSV, the Prometheus format).
pub fn text() -> RefOr<Schema> {
    typed(Type::String).into()
}

/// A JSON object, described.
pub fn object(description: &str) -> RefOr<Schema> {
    typed(Type::Object).description(Some(description)).into()
}

/// A JSON object of any keys (a function's arguments by name).
pub fn free_object(description: &str) -> RefOr<Schema> {
    typed(Type::Object).description(Some(description)).additional_properties(Some(AdditionalProperties::FreeForm(true))).into()
}

/// One server-sent event of the sandbox's stream.
pub fn change_event() -> RefOr<Schema> {
    typed(Type::Object)
        .description(Some("One server-sent event: `event: change` with a JSON `data` line describing what changed."))
        .property("event", typed(Type::String).enum_values(Some(["change"])))
        .property("data", typed(Type::String).description(Some("JSON")))
        .property("id", typed(Type::String))
        .property("retry", typed(Type::Integer))
        .required("data")
        .into()
}
