//! A small OAuth-protected API, described with utoipa (no web framework: the handlers are
//! only annotated signatures). `cargo run` prints `ApiDoc::openapi().to_pretty_json()`, the
//! OpenAPI 3.1 document the corpus harness generates, compiles and round-trips.
//!
//! Security: an OAuth2 scheme with the client credentials and authorization code flows, and
//! one with the password flow; models with optional fields, an enum, an untagged union, a
//! tagged (discriminated) enum, a map, a date-time and examples.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{AuthorizationCode, ClientCredentials, Flow, OAuth2, Password, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// An OAuth 2.0 token response (RFC 6749 §5.1).
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "Bearer", "expires_in": 3600, "scope": "pets:read"}))]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
}

/// An RFC 6749 §5.2 error.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"error": "invalid_client", "error_description": "unknown client"}))]
pub struct OAuthError {
    pub error: String,
    pub error_description: Option<String>,
}

/// The kind of a pet.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Species {
    Cat,
    Dog,
    Parrot,
}

/// How a pet is identified: a number or a chip code.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PetId {
    Number(i64),
    Chip(String),
}

/// Where a pet lives, told apart by `kind`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Home {
    House { street: String, garden: bool },
    Shelter { shelter_id: i64 },
}

/// A pet.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "name": "Rex", "species": "dog", "tags": ["good"], "home": {"kind": "house", "street": "Elm St", "garden": true},
    "born": "2020-02-29T08:00:00Z", "attributes": {"color": "brown"}
}))]
pub struct Pet {
    pub id: PetId,
    pub name: String,
    pub species: Species,
    #[schema(nullable = false)]
    pub nickname: Option<String>,
    pub tags: Vec<String>,
    pub home: Option<Home>,
    pub born: Option<chrono::DateTime<chrono::Utc>>,
    pub weight_kg: Option<f64>,
    pub attributes: BTreeMap<String, String>,
}

/// A new pet.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Tweety", "species": "parrot"}))]
pub struct NewPet {
    pub name: String,
    pub species: Species,
    pub tags: Option<Vec<String>>,
}

/// Issues a token (client credentials, password or authorization code grant).
#[utoipa::path(
    post,
    path = "/oauth/token",
    tag = "oauth",
    request_body(content = BTreeMap<String, String>, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token", body = TokenResponse),
        (status = 400, description = "The request was refused", body = OAuthError),
        (status = 401, description = "The client did not authenticate", body = OAuthError),
    )
)]
fn token() {}

/// Lists the pets.
#[utoipa::path(
    get,
    path = "/pets",
    tag = "pets",
    params(("species" = Option<Species>, Query, description = "Only this kind"), ("limit" = Option<i32>, Query, description = "At most this many")),
    responses((status = 200, description = "The pets", body = Vec<Pet>)),
    security(("oauth2" = ["pets:read"]), ("password" = ["pets:read"]))
)]
fn list_pets() {}

/// Adds a pet.
#[utoipa::path(
    post,
    path = "/pets",
    tag = "pets",
    request_body = NewPet,
    responses(
        (status = 201, description = "Added", body = Pet),
        (status = 403, description = "Missing scope", body = OAuthError),
    ),
    security(("oauth2" = ["pets:write"]))
)]
fn add_pet() {}

/// Gets a pet.
#[utoipa::path(
    get,
    path = "/pets/{id}",
    tag = "pets",
    params(("id" = i64, Path, description = "The pet's number")),
    responses(
        (status = 200, description = "The pet", body = Pet),
        (status = 404, description = "No such pet"),
    ),
    security(("oauth2" = ["pets:read"]))
)]
fn get_pet() {}

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scopes = || Scopes::from_iter([("pets:read", "Read pets"), ("pets:write", "Add pets")]);
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [
                    Flow::ClientCredentials(ClientCredentials::new("https://auth.example.com/oauth/token", scopes())),
                    Flow::AuthorizationCode(AuthorizationCode::new(
                        "https://auth.example.com/oauth/authorize",
                        "https://auth.example.com/oauth/token",
                        scopes(),
                    )),
                ],
                "Client credentials or authorization code",
            )),
        );
        components.add_security_scheme(
            "password",
            SecurityScheme::OAuth2(OAuth2::new([Flow::Password(Password::new("/oauth/token", scopes()))])),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "utoipa OAuth corpus app", version = "1.0.0"),
    paths(token, list_pets, add_pet, get_pet),
    components(schemas(TokenResponse, OAuthError, Species, PetId, Home, Pet, NewPet)),
    modifiers(&SecurityAddon),
    servers((url = "https://pets.example.com/v1")),
)]
struct ApiDoc;

fn main() {
    println!("{}", ApiDoc::openapi().to_pretty_json().expect("the document serializes"));
}
