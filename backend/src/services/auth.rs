//! Who is asking: passwords (argon2id), API tokens (SHA-256 of a random secret), sessions,
//! roles, and the first admin's bootstrap token.

use crate::state::AppState;
use crate::store;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wire::error::{ApiError, ErrorCode};
use wire::model::{Credentials, NewToken, NewUser, Role, TokenView, UserView};

/// The session key holding the signed-in user's id.
const SESSION_USER: &str = "uid";
pub use crate::principal::Principal;

/// SHA-256 of a token: tokens are long random secrets, so a fast hash is enough.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A fresh token `ck_` + 64 hex digits, with its hash and display prefix.
pub fn new_token() -> (String, [u8; 32], String) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    let token = format!("ck_{}", hex::encode(bytes));
    let prefix = token[..10].to_owned();
    (token.clone(), token_hash(&token), prefix)
}

/// An argon2id hash of a password, computed off the async threads.
#[tracing::instrument(name = "auth::hash_password", skip_all)]
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| argon2::password_hash::Error::Crypto)?;
        let salt = SaltString::encode_b64(&bytes)?;
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

async fn verify_password(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

fn unauthenticated(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, message)
}

/// The owner of a bearer token.
#[tracing::instrument(name = "auth::principal_for_token", skip_all)]
pub async fn principal_for_token(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    let hash = token_hash(token.trim());
    if let Some((principal, _)) = state.tokens.get(&hash) {
        return Ok(principal);
    }
    let owner = store::token::owner_by_hash(&state.stores.pg, &hash)
        .await?
        .ok_or_else(|| unauthenticated("the API token is unknown or revoked"))?;
    let principal = Principal { user_id: owner.user_id, username: owner.username, role: owner.role };
    state.tokens.insert(hash, (principal.clone(), owner.token_id));
    if let Err(e) = store::token::touch(&state.stores.pg, owner.token_id).await {
        tracing::warn!(error = %e, "could not record a token's use");
    }
    Ok(principal)
}

async fn principal_for_user(state: &AppState, id: Uuid) -> Result<Option<Principal>, ApiError> {
    Ok(store::user::by_id(&state.stores.pg, id).await?.map(|u| Principal { user_id: u.id, username: u.username, role: u.role }))
}

/// The caller of a request: a bearer token, else the session's user; else `UNAUTHENTICATED`.
#[tracing::instrument(name = "auth::authenticate", skip_all)]
pub async fn authenticate(state: &AppState, parts: &Parts) -> Result<Principal, ApiError> {
    if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let value = header.to_str().unwrap_or_default();
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| unauthenticated("the Authorization header must be `Bearer <token>`"))?;
        return principal_for_token(state, token).await;
    }
    if let Some(session) = parts.extensions.get::<tower_sessions::Session>() {
        let uid: Option<Uuid> = session.get(SESSION_USER).await.map_err(|_| ApiError::store_unavailable("redis"))?;
        if let Some(uid) = uid {
            if let Some(p) = principal_for_user(state, uid).await? {
                return Ok(p);
            }
        }
    }
    Err(unauthenticated("sign in, or send `Authorization: Bearer <token>`"))
}

/// Checks credentials and, when a session is given, signs it in (with a fresh session id).
#[tracing::instrument(name = "auth::login", skip_all)]
pub async fn login(state: &AppState, credentials: Credentials, session: Option<&tower_sessions::Session>) -> Result<UserView, ApiError> {
    let user = match credentials {
        Credentials { token: Some(token), username: None, password: None } => {
            let p = principal_for_token(state, &token).await?;
            store::user::by_id(&state.stores.pg, p.user_id).await?
        }
        Credentials { token: None, username: Some(username), password: Some(password) } => {
            let user = store::user::by_username(&state.stores.pg, &username).await?;
            match user {
                Some(u) if verify_password(u.password_hash.clone().unwrap_or_default(), password).await => Some(u),
                _ => None,
            }
        }
        _ => return Err(ApiError::validation("credentials", "give either a username and a password, or a token")),
    };
    let user = user.ok_or_else(|| unauthenticated("wrong username, password or token"))?;
    if let Some(session) = session {
        session.cycle_id().await.map_err(|_| ApiError::store_unavailable("redis"))?;
        session.insert(SESSION_USER, user.id).await.map_err(|_| ApiError::store_unavailable("redis"))?;
    }
    Ok(user.view())
}

/// Ends the session.
#[tracing::instrument(name = "auth::logout", skip_all)]
pub async fn logout(session: &tower_sessions::Session) -> Result<(), ApiError> {
    session.flush().await.map_err(|_| ApiError::store_unavailable("redis"))
}

/// The caller as a user view.
#[tracing::instrument(name = "auth::me", skip_all)]
pub async fn me(state: &AppState, principal: &Principal) -> Result<UserView, ApiError> {
    store::user::by_id(&state.stores.pg, principal.user_id)
        .await?
        .map(|u| u.view())
        .ok_or_else(|| unauthenticated("this user no longer exists"))
}

/// Creates a user (admins only).
#[tracing::instrument(name = "auth::create_user", skip_all)]
pub async fn create_user(state: &AppState, principal: &Principal, new: NewUser) -> Result<UserView, ApiError> {
    principal.require(Role::QaAdmin, "creating users")?;
    let username = new.username.trim();
    if username.is_empty() || username.len() > 64 || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(ApiError::validation("username", "1 to 64 letters, digits, dots, dashes or underscores"));
    }
    if new.password.as_deref().is_some_and(|p| p.chars().count() < 8) {
        return Err(ApiError::validation("password", "at least 8 characters"));
    }
    let hash = match new.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let display = new.display_name.as_deref().map(str::trim).filter(|d| !d.is_empty()).unwrap_or(username);
    match store::user::insert(&state.stores.pg, username, display, new.role, hash.as_deref()).await {
        Ok(u) => Ok(u.view()),
        Err(e) if e.constraint() == Some("app_user_username_key") => {
            Err(ApiError::new(ErrorCode::Conflict, format!("username `{username}` is taken"))
                .with_details(serde_json::json!({ "field": "username", "rule": "unique" })))
        }
        Err(e) => Err(e.into()),
    }
}

/// Every user (admins only).
#[tracing::instrument(name = "auth::list_users", skip_all)]
pub async fn list_users(state: &AppState, principal: &Principal) -> Result<Vec<UserView>, ApiError> {
    principal.require(Role::QaAdmin, "listing users")?;
    Ok(store::user::list(&state.stores.pg).await?.iter().map(|u| u.view()).collect())
}

/// Creates an API token for the caller; the secret is in the answer and nowhere else.
#[tracing::instrument(name = "auth::create_token", skip_all)]
pub async fn create_token(state: &AppState, principal: &Principal, name: &str) -> Result<NewToken, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name", "1 to 100 characters"));
    }
    let (token, hash, prefix) = new_token();
    let row = store::token::insert(&state.stores.pg, principal.user_id, name, &hash, &prefix).await?;
    Ok(NewToken { token, view: row.view() })
}

/// The caller's tokens.
#[tracing::instrument(name = "auth::list_tokens", skip_all)]
pub async fn list_tokens(state: &AppState, principal: &Principal) -> Result<Vec<TokenView>, ApiError> {
    Ok(store::token::list_for_user(&state.stores.pg, principal.user_id).await?.iter().map(|t| t.view()).collect())
}

/// Revokes one of the caller's tokens.
#[tracing::instrument(name = "auth::revoke_token", skip_all, fields(sandbox = %id))]
pub async fn revoke_token(state: &AppState, principal: &Principal, id: &str) -> Result<(), ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::not_found("token"))?;
    let hash = store::token::revoke(&state.stores.pg, id, principal.user_id).await?.ok_or_else(|| ApiError::not_found("token"))?;
    if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
        state.tokens.invalidate(&hash);
    }
    Ok(())
}

/// At start-up: with no users yet, creates the `admin` user; makes sure the configured
/// bootstrap token (or, on first start without one, a generated token that is returned to be
/// printed once) signs in as the first admin.
#[tracing::instrument(name = "auth::bootstrap", skip_all)]
pub async fn bootstrap(state: &AppState) -> Result<Option<String>, ApiError> {
    let pg = &state.stores.pg;
    let first_start = store::user::count(pg).await? == 0;
    let admin = match store::user::first_admin(pg).await? {
        Some(admin) => admin,
        None => store::user::insert(pg, "admin", "Administrator", Role::QaAdmin, None).await?,
    };
    let (token, print) = match &state.settings.bootstrap_token {
        Some(t) => (t.expose().to_owned(), false),
        None if first_start => (new_token().0, true),
        None => return Ok(None),
    };
    let hash = token_hash(&token);
    if !store::token::exists(pg, &hash).await? {
        store::token::insert(pg, admin.id, "bootstrap", &hash, &token.chars().take(10).collect::<String>()).await?;
    }
    Ok(print.then_some(token))
}
