//! Schemas of the types the doors exchange, for the OpenAPI document the server generates.

use utoipa::openapi::schema::Schema;
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

/// Component schemas gathered while describing operations: (name, schema).
pub type Components = Vec<(String, RefOr<Schema>)>;

/// Names `utoipa` gives to types that are not components of ours: standard containers and
/// scalars, whose schema is always written inline.
const INLINE: &[&str] = &[
    "Vec",
    "Option",
    "TupleUnit",
    "Value",
    "String",
    "str",
    "bool",
    "char",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "HashMap",
    "BTreeMap",
    "Map",
    "Box",
    "Arc",
    "Cow",
    "HashSet",
    "BTreeSet",
    "OffsetDateTime",
    "Uuid",
];

/// `T`'s schema as it appears in a body: a reference to the component `T` (added to
/// `components` with everything it refers to) for our own types, the schema itself for
/// containers and scalars.
pub fn schema_of<T: ToSchema>(components: &mut Components) -> RefOr<Schema> {
    T::schemas(components);
    let name = T::name();
    if INLINE.contains(&name.as_ref()) {
        return T::schema();
    }
    components.push((name.to_string(), T::schema()));
    RefOr::Ref(Ref::from_schema_name(name))
}

/// `T`'s own schema inline (its description included), and the schemas it refers to.
pub fn inline_of<T: ToSchema>(components: &mut Components) -> RefOr<Schema> {
    T::schemas(components);
    T::schema()
}
