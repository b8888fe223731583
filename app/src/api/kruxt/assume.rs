//! `POST /api/v1/kruxt/assume`: acts as a KRUXT user, the service role or anonymous from now on (`POST /sandbox/:id/kruxt/assume`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Acts as a KRUXT user, the service role or anonymous from now on (`POST /sandbox/:id/kruxt/assume`).
#[server(prefix = "/api", endpoint = "v1/kruxt/assume", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_assume(
    sandbox: String,
    simulation: Option<String>,
    actor: String,
    version: Option<i64>,
) -> Result<crate::model::KruxtStatus, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::assume(&state, &p, &sandbox, &Target(simulation), crate::model::AssumeActor { actor }, version).await
}
