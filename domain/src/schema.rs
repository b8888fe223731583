//! OpenAPI schemas of the engine's values that serialize by hand (amounts as decimal text,
//! ranks and blur levels as numbers); every other type derives its schema from its serde
//! shape.

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::bgt::{Bgt, BgtDelta};
use crate::rank::Rank;
use crate::stage::BlurLevel;

fn string(description: &str, pattern: &str) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)).description(Some(description)).pattern(Some(pattern)).into()
}

impl PartialSchema for Bgt {
    fn schema() -> RefOr<Schema> {
        string("A BGT amount as decimal text, up to 18 fractional digits (\"420\", \"6.9\").", r"^[0-9]+(\.[0-9]{1,18})?$")
    }
}
impl ToSchema for Bgt {}

impl PartialSchema for BgtDelta {
    fn schema() -> RefOr<Schema> {
        string("A signed change of a BGT amount (\"+80\", \"-0.5\").", r"^[+-][0-9]+(\.[0-9]{1,18})?$")
    }
}
impl ToSchema for BgtDelta {}

impl PartialSchema for Rank {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .description(Some("A leaderboard rank; 1 is the best."))
            .minimum(Some(1.0))
            .maximum(Some(f64::from(u32::MAX)))
            .into()
    }
}
impl ToSchema for Rank {}

impl PartialSchema for BlurLevel {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Number))
            .description(Some("How blurred content is, in percent (0 to 100, two decimals)."))
            .minimum(Some(0.0))
            .maximum(Some(100.0))
            .into()
    }
}
impl ToSchema for BlurLevel {}
