//! Real OAuth clients against the generated servers: pyiceberg (both auth managers),
//! authlib and requests-oauthlib (`tests/interop/peers/`, installed by
//! `tests/interop/setup.sh`) against the generated Polaris, Nutanix and Treezor routers
//! serving the reference implementations on 127.0.0.1.
//!
//! One test per row of `INTEROP.md` (checked by `interop_doc.rs`). Each test starts its own
//! server, runs one peer process (bounded by `run_peer`), asserts what the library got *and*
//! what it sent (`sent` in the peer's JSON line: content type, client authentication, body
//! parameters), and what the implementation received (`last_client`), then stops the server.
//!
//! "Default mode" is `--auth=basic`: HTTP Basic, which none of these libraries form-encodes
//! (RFC 6749 §2.3.1); the generated server form-decodes Basic credentials and takes text that
//! is not valid form-encoding as it came. `post` puts `client_id`/`client_secret` in the body.

mod interop_common;
mod nutanix_common;

use std::collections::BTreeSet;

use generated::nutanix::{
    OauthTokenRequest, OauthTokenRequestGrantType, ProviderOauthToken,
};
use generated::polaris::{OAuthClientCredentialsRequest, OAuthTokenRequest};
use generated::treezor::{PasswordGrantRequest, PutAuth200Response, PutAuthBody};
use generated::{polaris, treezor};
use interop_common::{run_peer, PeerOutcome};
use oauth_api::oauth::{ClientAuth, ClientAuthMethod};
use oauth_api_tests::harness::TestServer;
use oauth_api_tests::reference::nutanix::Nutanix;
use oauth_api_tests::reference::polaris::{Polaris, ROOT_CLIENT};
use oauth_api_tests::reference::treezor::{Treezor, CLIENT, USER};
use serde_json::Value;

use nutanix_common::{Fixture, BASE, REDIRECT};

const AUTHLIB: &str = "authlib_peer.py";
const REQUESTS_OAUTHLIB: &str = "requests_oauthlib_peer.py";
const PYICEBERG: &str = "pyiceberg_peer.py";
const FORM: &str = "application/x-www-form-urlencoded";
const POLARIS_SCOPE: &str = "PRINCIPAL_ROLE:ALL";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// A secret that is not valid form-encoding (`%&=`): a raw Basic header still works.
const SPECIAL_SECRET: &str = "p@ss w+rd:%&=";
/// A secret that *is* valid form-encoding when sent raw: `+` reads as a space (§2.3.1).
const PLUS_SECRET: &str = "s3cr+t";

// ---------------------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------------------

/// Runs `script FLOW --key=value …` off the async runtime: the Python process blocks its
/// thread while the server under test keeps serving on the runtime.
async fn peer(script: &'static str, flow: &str, options: &[(&str, &str)]) -> PeerOutcome {
    let mut args = vec![flow.to_string()];
    args.extend(options.iter().map(|(k, v)| format!("--{k}={v}")));
    tokio::task::spawn_blocking(move || run_peer(script, &args))
        .await
        .expect("the peer's thread")
}

/// The last request the library sent, as the peer recorded it.
fn last_sent(outcome: &PeerOutcome) -> &Value {
    outcome.line["sent"]
        .as_array()
        .and_then(|sent| sent.last())
        .unwrap_or_else(|| panic!("the peer sent nothing: {}", outcome.line))
}

/// The body parameters a client sends: `params`, plus `client_id`/`client_secret` in `post`
/// mode (and never in `basic` mode).
fn with_client(params: &[&str], auth: &str) -> Vec<String> {
    let mut all: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    if auth == "post" {
        all.extend(["client_id".to_string(), "client_secret".to_string()]);
    }
    all
}

/// What the library sent: a form body with exactly `params` (in any order), and the client
/// authentication `client_auth` (`basic` means: Basic header, no `client_secret` in the body).
fn assert_sent(outcome: &PeerOutcome, client_auth: &str, params: &[String]) {
    let sent = last_sent(outcome);
    let content_type = sent["content_type"].as_str().unwrap_or_default();
    assert!(
        content_type.starts_with(FORM),
        "content type {content_type:?}: {}",
        outcome.line
    );
    assert_eq!(
        sent["client_auth"], client_auth,
        "client authentication: {}",
        outcome.line
    );
    let got: BTreeSet<&str> = sent["body_params"]
        .as_array()
        .map(|ps| ps.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let want: BTreeSet<&str> = params.iter().map(String::as_str).collect();
    assert_eq!(got, want, "body parameters: {}", outcome.line);
    if client_auth == "basic" {
        assert!(
            !got.contains("client_secret"),
            "Basic mode put the secret in the body: {}",
            outcome.line
        );
        assert!(
            sent["basic_encoding"].is_string(),
            "no Basic header recorded: {}",
            outcome.line
        );
    }
}

/// The flow succeeded with a token of `token_type` (as the server spelled it); returns the
/// access token.
fn assert_token(outcome: &PeerOutcome, token_type: &str) -> String {
    assert!(outcome.ok, "expected a token: {}", outcome.line);
    assert_eq!(outcome.line["status"], 200, "{}", outcome.line);
    assert_eq!(
        outcome.str("token_type"),
        Some(token_type),
        "{}",
        outcome.line
    );
    let token = outcome
        .str("access_token")
        .expect("an access token")
        .to_string();
    assert!(!token.is_empty());
    token
}

/// The flow failed with `status` and the RFC 6749 §5.2 `error` the library read.
fn assert_oauth_error(outcome: &PeerOutcome, status: u16, error: &str) {
    assert!(!outcome.ok, "expected a failure: {}", outcome.line);
    assert_eq!(outcome.line["status"], status, "{}", outcome.line);
    assert_eq!(outcome.str("error"), Some(error), "{}", outcome.line);
}


/// The exception the library raised (`Type: message`).
fn exception(outcome: &PeerOutcome) -> &str {
    outcome.str("exception").unwrap_or_default()
}



/// How the implementation saw the client.
fn assert_client(client: Option<ClientAuth>, id: &str, auth: &str) {
    let client = client.expect("the implementation got a client authentication");
    assert_eq!(client.client_id, id);
    let method = if auth == "basic" {
        ClientAuthMethod::Basic
    } else {
        ClientAuthMethod::Post
    };
    assert_eq!(client.method, method);
}

// ---------------------------------------------------------------------------------------
// Polaris: client credentials and token exchange at /v1/oauth/tokens
// ---------------------------------------------------------------------------------------

struct PolarisRig {
    api: Polaris,
    server: TestServer,
    token_url: String,
}

async fn polaris_rig() -> PolarisRig {
    let api = Polaris::new()
        .with_client("interop-special", SPECIAL_SECRET)
        .with_client("interop-plus", PLUS_SECRET);
    let server = TestServer::start(polaris::server::router(api.clone())).await;
    let token_url = format!("{}/v1/oauth/tokens", server.url());
    PolarisRig {
        api,
        server,
        token_url,
    }
}

/// `script` in mode `auth` gets a client-credentials token from Polaris.
async fn polaris_client_credentials(script: &'static str, auth: &str) {
    let rig = polaris_rig().await;
    let outcome = peer(
        script,
        "client_credentials",
        &[
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", ROOT_CLIENT.1),
            ("auth", auth),
            ("scope", POLARIS_SCOPE),
        ],
    )
    .await;
    let token = assert_token(&outcome, "bearer");
    assert_sent(&outcome, auth, &with_client(&["grant_type", "scope"], auth));
    assert_eq!(
        rig.api.grant_of(&token),
        Some((ROOT_CLIENT.0.to_string(), POLARIS_SCOPE.to_string()))
    );
    assert_client(rig.api.last_client(), ROOT_CLIENT.0, auth);
    rig.server.stop().await;
}

/// `script` in mode `auth` with a wrong secret: `401 invalid_client`.
async fn polaris_wrong_secret(script: &'static str, auth: &str) {
    let rig = polaris_rig().await;
    let outcome = peer(
        script,
        "client_credentials",
        &[
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", "wrong"),
            ("auth", auth),
            ("scope", POLARIS_SCOPE),
        ],
    )
    .await;
    assert_oauth_error(&outcome, 401, "invalid_client");
    assert_sent(&outcome, auth, &with_client(&["grant_type", "scope"], auth));
    rig.server.stop().await;
}

/// `script` in mode `auth` exchanges a Polaris access token (RFC 8693).
async fn polaris_token_exchange(script: &'static str, auth: &str) {
    let rig = polaris_rig().await;
    let subject = polaris::Client::new(rig.server.url())
        .expect("client")
        .with_client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1)
        .get_token(&OAuthTokenRequest::ClientCredentials(
            OAuthClientCredentialsRequest::new(),
        ))
        .await
        .expect("a subject token")
        .into_inner()
        .access_token;
    let outcome = peer(
        script,
        "token_exchange",
        &[
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", ROOT_CLIENT.1),
            ("auth", auth),
            ("subject-token", &subject),
        ],
    )
    .await;
    let token = assert_token(&outcome, "bearer");
    assert_eq!(
        outcome.str("issued_token_type"),
        Some(ACCESS_TOKEN_TYPE),
        "{}",
        outcome.line
    );
    assert_ne!(token, subject);
    assert!(rig.api.is_active(&token));
    assert_sent(
        &outcome,
        auth,
        &with_client(&["grant_type", "subject_token", "subject_token_type"], auth),
    );
    assert_client(rig.api.last_client(), ROOT_CLIENT.0, auth);
    rig.server.stop().await;
}

/// `script` in its Basic mode with a secret the library sends raw (not form-encoded).
async fn polaris_raw_basic(
    script: &'static str,
    extra: &[(&str, &str)],
    client_id: &str,
    secret: &str,
) -> (PolarisRig, PeerOutcome) {
    let rig = polaris_rig().await;
    let mut options = vec![
        ("token-url", rig.token_url.as_str()),
        ("client-id", client_id),
        ("client-secret", secret),
        ("scope", POLARIS_SCOPE),
    ];
    options.extend_from_slice(extra);
    let outcome = peer(script, "client_credentials", &options).await;
    // The library did not form-encode the Basic credentials (RFC 6749 §2.3.1 asks it to).
    assert_eq!(
        last_sent(&outcome)["basic_encoding"],
        "raw",
        "{}",
        outcome.line
    );
    assert_sent(
        &outcome,
        "basic",
        &with_client(&["grant_type", "scope"], "basic"),
    );
    (rig, outcome)
}

/// A raw secret that is not valid form-encoding is taken as it came: a token.
async fn polaris_special_secret(script: &'static str, extra: &[(&str, &str)]) {
    let (rig, outcome) = polaris_raw_basic(script, extra, "interop-special", SPECIAL_SECRET).await;
    assert_token(&outcome, "bearer");
    let client = rig.api.last_client().expect("a client");
    assert_eq!(
        client.client_secret.as_ref().map(|s| s.expose()),
        Some(SPECIAL_SECRET)
    );
    rig.server.stop().await;
}

/// A raw secret that happens to be valid form-encoding is form-decoded (`+` → space), as
/// RFC 6749 §2.3.1 says: the library's secret arrives changed, `401 invalid_client`.
async fn polaris_plus_secret(script: &'static str, extra: &[(&str, &str)]) {
    let (rig, outcome) = polaris_raw_basic(script, extra, "interop-plus", PLUS_SECRET).await;
    assert_oauth_error(&outcome, 401, "invalid_client");
    let client = rig.api.last_client().expect("a client");
    assert_eq!(
        client.client_secret.as_ref().map(|s| s.expose()),
        Some("s3cr t")
    );
    rig.server.stop().await;
}

#[tokio::test]
async fn pyiceberg_legacy_client_credentials_polaris() {
    let rig = polaris_rig().await;
    let outcome = peer(
        PYICEBERG,
        "client_credentials",
        &[
            ("manager", "legacy"),
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", ROOT_CLIENT.1),
            ("scope", POLARIS_SCOPE),
        ],
    )
    .await;
    let token = assert_token(&outcome, "bearer");
    assert_eq!(outcome.line["expires_in"], 3600);
    assert_sent(
        &outcome,
        "post",
        &with_client(&["grant_type", "scope"], "post"),
    );
    assert!(rig.api.is_active(&token));
    assert_client(rig.api.last_client(), ROOT_CLIENT.0, "post");
    rig.server.stop().await;
}

#[tokio::test]
async fn pyiceberg_legacy_default_scope_polaris() {
    // RestCatalog's default scope `catalog` is not a Polaris scope (PRINCIPAL_ROLE:<role>).
    let rig = polaris_rig().await;
    let outcome = peer(
        PYICEBERG,
        "client_credentials",
        &[
            ("manager", "legacy"),
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", ROOT_CLIENT.1),
        ],
    )
    .await;
    assert_oauth_error(&outcome, 400, "invalid_scope");
    assert!(
        exception(&outcome).starts_with("OAuthError"),
        "{}",
        outcome.line
    );
    assert_sent(
        &outcome,
        "post",
        &with_client(&["grant_type", "scope"], "post"),
    );
    rig.server.stop().await;
}

#[tokio::test]
async fn pyiceberg_legacy_wrong_secret_polaris() {
    let rig = polaris_rig().await;
    let outcome = peer(
        PYICEBERG,
        "client_credentials",
        &[
            ("manager", "legacy"),
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", "wrong"),
            ("scope", POLARIS_SCOPE),
        ],
    )
    .await;
    assert_oauth_error(&outcome, 401, "invalid_client");
    assert!(
        exception(&outcome).starts_with("OAuthError: invalid_client"),
        "{}",
        outcome.line
    );
    rig.server.stop().await;
}

#[tokio::test]
async fn pyiceberg_oauth2_client_credentials_polaris() {
    let rig = polaris_rig().await;
    let outcome = peer(
        PYICEBERG,
        "client_credentials",
        &[
            ("manager", "oauth2"),
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", ROOT_CLIENT.1),
            ("scope", POLARIS_SCOPE),
        ],
    )
    .await;
    let token = assert_token(&outcome, "bearer");
    assert_eq!(
        outcome.line["expires_in"], 3600,
        "OAuth2AuthManager needs expires_in"
    );
    assert_sent(
        &outcome,
        "basic",
        &with_client(&["grant_type", "scope"], "basic"),
    );
    assert!(rig.api.is_active(&token));
    assert_client(rig.api.last_client(), ROOT_CLIENT.0, "basic");
    rig.server.stop().await;
}

#[tokio::test]
async fn pyiceberg_oauth2_wrong_secret_polaris() {
    let rig = polaris_rig().await;
    let outcome = peer(
        PYICEBERG,
        "client_credentials",
        &[
            ("manager", "oauth2"),
            ("token-url", &rig.token_url),
            ("client-id", ROOT_CLIENT.0),
            ("client-secret", "wrong"),
        ],
    )
    .await;
    assert_oauth_error(&outcome, 401, "invalid_client");
    assert!(
        exception(&outcome).starts_with("HTTPError: 401"),
        "{}",
        outcome.line
    );
    assert_sent(&outcome, "basic", &with_client(&["grant_type"], "basic"));
    rig.server.stop().await;
}

#[tokio::test]
async fn pyiceberg_oauth2_special_secret_polaris() {
    polaris_special_secret(PYICEBERG, &[("manager", "oauth2")]).await;
}

#[tokio::test]
async fn pyiceberg_oauth2_plus_secret_polaris() {
    polaris_plus_secret(PYICEBERG, &[("manager", "oauth2")]).await;
}

#[tokio::test]
async fn authlib_basic_client_credentials_polaris() {
    polaris_client_credentials(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_client_credentials_polaris() {
    polaris_client_credentials(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_token_exchange_polaris() {
    polaris_token_exchange(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_token_exchange_polaris() {
    polaris_token_exchange(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_wrong_secret_polaris() {
    polaris_wrong_secret(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_wrong_secret_polaris() {
    polaris_wrong_secret(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_special_secret_polaris() {
    polaris_special_secret(AUTHLIB, &[]).await;
}

#[tokio::test]
async fn authlib_basic_plus_secret_polaris() {
    polaris_plus_secret(AUTHLIB, &[]).await;
}

#[tokio::test]
async fn requests_oauthlib_basic_client_credentials_polaris() {
    polaris_client_credentials(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_client_credentials_polaris() {
    polaris_client_credentials(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_wrong_secret_polaris() {
    polaris_wrong_secret(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_wrong_secret_polaris() {
    polaris_wrong_secret(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_special_secret_polaris() {
    polaris_special_secret(REQUESTS_OAUTHLIB, &[]).await;
}

#[tokio::test]
async fn requests_oauthlib_basic_plus_secret_polaris() {
    polaris_plus_secret(REQUESTS_OAUTHLIB, &[]).await;
}

// ---------------------------------------------------------------------------------------
// Nutanix: authorization code, refresh and revocation under /api/nutanix/v3
// ---------------------------------------------------------------------------------------

struct NutanixRig {
    f: Fixture,
    app: generated::nutanix::OauthClientResponse,
    token_url: String,
    revocation_url: String,
}

async fn nutanix_rig() -> NutanixRig {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("interop").await;
    let base = format!("{}{BASE}", f.server.url());
    NutanixRig {
        app,
        token_url: format!("{base}/oauth/token"),
        revocation_url: format!("{base}/oauth/revoke_token"),
        f,
    }
}

impl NutanixRig {
    /// A code for the app, approved by the admin through the reference's authorize endpoint
    /// (the generated client), for [`REDIRECT`].
    async fn code(&self) -> String {
        self.f.authorization_code(&self.app, Some("interop")).await
    }

    /// A token pair for the app (code exchanged by the generated client, HTTP Basic).
    async fn token_pair(&self) -> ProviderOauthToken {
        let exchange = OauthTokenRequest {
            code: Some(self.code().await),
            redirect_uri: Some(REDIRECT.to_string()),
            ..OauthTokenRequest::new(OauthTokenRequestGrantType::AuthorizationCode)
        };
        self.f
            .oauth_client(&self.app)
            .oauth_token_post(&exchange)
            .await
            .expect("a token pair")
            .into_inner()
    }

    /// `--client-id`, `--client-secret` (or `secret`) and `--auth`.
    fn client<'a>(&'a self, secret: &'a str, auth: &'a str) -> [(&'a str, &'a str); 3] {
        [
            ("client-id", self.app.client_id.as_str()),
            ("client-secret", secret),
            ("auth", auth),
        ]
    }
}

async fn nutanix_authorization_code(script: &'static str, auth: &str) {
    let rig = nutanix_rig().await;
    let code = rig.code().await;
    let mut options = vec![
        ("token-url", rig.token_url.as_str()),
        ("code", &code),
        ("redirect-uri", REDIRECT),
    ];
    options.extend(rig.client(&rig.app.client_secret, auth));
    let outcome = peer(script, "authorization_code", &options).await;
    let token = assert_token(&outcome, "Bearer");
    assert!(
        outcome
            .str("refresh_token")
            .is_some_and(|rt| rig.f.api.is_active(rt)),
        "{}",
        outcome.line
    );
    assert!(rig.f.api.is_active(&token));
    assert_sent(
        &outcome,
        auth,
        &with_client(&["grant_type", "code", "redirect_uri"], auth),
    );
    assert_client(rig.f.api.last_client(), &rig.app.client_id, auth);
    rig.f.stop().await;
}

async fn nutanix_refresh_token(script: &'static str, auth: &str) {
    let rig = nutanix_rig().await;
    let pair = rig.token_pair().await;
    let mut options = vec![
        ("token-url", rig.token_url.as_str()),
        ("refresh-token", &pair.refresh_token),
    ];
    options.extend(rig.client(&rig.app.client_secret, auth));
    let outcome = peer(script, "refresh_token", &options).await;
    let token = assert_token(&outcome, "Bearer");
    assert!(rig.f.api.is_active(&token));
    // Refresh tokens rotate: the old one is gone, the new one works.
    assert!(!rig.f.api.is_active(&pair.refresh_token));
    assert!(
        outcome
            .str("refresh_token")
            .is_some_and(|rt| rig.f.api.is_active(rt)),
        "{}",
        outcome.line
    );
    assert_sent(
        &outcome,
        auth,
        &with_client(&["grant_type", "refresh_token"], auth),
    );
    assert_client(rig.f.api.last_client(), &rig.app.client_id, auth);
    rig.f.stop().await;
}

/// RFC 7009 §2.1 sends `token` in the form body; the spec takes it in the query (and has
/// no body): the revocation fails and the token stays active. Then the documented way out:
/// the generated client, which sends the token where the spec says.
async fn nutanix_revocation(script: &'static str, auth: &str) -> PeerOutcome {
    let rig = nutanix_rig().await;
    let pair = rig.token_pair().await;
    let mut options = vec![
        ("token-url", rig.token_url.as_str()),
        ("revocation-url", &rig.revocation_url),
        ("token", &pair.refresh_token),
        ("token-type-hint", "refresh_token"),
    ];
    options.extend(rig.client(&rig.app.client_secret, auth));
    let outcome = peer(script, "revocation", &options).await;
    assert!(!outcome.ok, "{}", outcome.line);
    assert_sent(
        &outcome,
        auth,
        &with_client(&["token", "token_type_hint"], auth),
    );
    assert!(
        last_sent(&outcome)["url"]
            .as_str()
            .is_some_and(|u| !u.contains('?')),
        "no query: {}",
        outcome.line
    );
    // The spec's `OauthStatus`, with RFC 6749 §5.2 `error` added on this OAuth endpoint.
    if auth == "basic" {
        // The client authenticated; the token was not where the spec looks for it.
        assert_oauth_error(&outcome, 400, "invalid_request");
        assert_eq!(outcome.str("error_description"), Some("missing required query parameter `token`"), "{}", outcome.line);
    } else {
        // The spec's operation has no body: body credentials are not read either.
        assert_oauth_error(&outcome, 401, "invalid_client");
    }
    assert!(
        rig.f.api.is_active(&pair.refresh_token),
        "the token must still be active"
    );

    // The way out: the generated client puts the token in the query.
    let params = generated::nutanix::OauthRevokeTokenPostParams {
        token: pair.refresh_token.clone(),
        token_type_hint: Some("refresh_token".to_string()),
    };
    let revoked = rig
        .f
        .oauth_client(&rig.app)
        .oauth_revoke_token_post(&params)
        .await
        .expect("revocation by the generated client");
    assert_eq!(revoked.status(), 200);
    assert!(!rig.f.api.is_active(&pair.refresh_token));
    rig.f.stop().await;
    outcome
}

/// A wrong secret: `401`, with the spec's `OauthStatus` body (reason `INVALID_CLIENT`), not
/// an RFC 6749 §5.2 body: the libraries see the status but no `error` to name.
async fn nutanix_wrong_secret(script: &'static str, auth: &str) -> PeerOutcome {
    let rig = nutanix_rig().await;
    let code = rig.code().await;
    let mut options = vec![
        ("token-url", rig.token_url.as_str()),
        ("code", &code),
        ("redirect-uri", REDIRECT),
    ];
    options.extend(rig.client("wrong", auth));
    let outcome = peer(script, "authorization_code", &options).await;
    // The spec's `OauthStatus` (reason `INVALID_CLIENT`), read by the library as RFC 6749 §5.2.
    assert_oauth_error(&outcome, 401, "invalid_client");
    assert_sent(
        &outcome,
        auth,
        &with_client(&["grant_type", "code", "redirect_uri"], auth),
    );
    rig.f.stop().await;
    outcome
}

#[tokio::test]
async fn authlib_basic_authorization_code_nutanix() {
    nutanix_authorization_code(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_authorization_code_nutanix() {
    nutanix_authorization_code(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_refresh_token_nutanix() {
    nutanix_refresh_token(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_refresh_token_nutanix() {
    nutanix_refresh_token(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_revocation_nutanix() {
    nutanix_revocation(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_revocation_nutanix() {
    nutanix_revocation(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_wrong_secret_nutanix() {
    let outcome = nutanix_wrong_secret(AUTHLIB, "basic").await;
    assert_eq!(exception(&outcome), "OAuthError: invalid_client: client authentication failed");
}

#[tokio::test]
async fn authlib_post_wrong_secret_nutanix() {
    let outcome = nutanix_wrong_secret(AUTHLIB, "post").await;
    assert_eq!(exception(&outcome), "OAuthError: invalid_client: client authentication failed");
}

#[tokio::test]
async fn requests_oauthlib_basic_authorization_code_nutanix() {
    nutanix_authorization_code(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_authorization_code_nutanix() {
    nutanix_authorization_code(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_refresh_token_nutanix() {
    nutanix_refresh_token(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_refresh_token_nutanix() {
    nutanix_refresh_token(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_revocation_nutanix() {
    nutanix_revocation(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_revocation_nutanix() {
    nutanix_revocation(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_wrong_secret_nutanix() {
    let outcome = nutanix_wrong_secret(REQUESTS_OAUTHLIB, "basic").await;
    assert!(exception(&outcome).starts_with("InvalidClientError"), "{}", outcome.line);
}

#[tokio::test]
async fn requests_oauthlib_post_wrong_secret_nutanix() {
    let outcome = nutanix_wrong_secret(REQUESTS_OAUTHLIB, "post").await;
    assert!(exception(&outcome).starts_with("InvalidClientError"), "{}", outcome.line);
}

// ---------------------------------------------------------------------------------------
// Treezor: client credentials, password and refresh at /oauth/token (form bodies, §3.2)
// ---------------------------------------------------------------------------------------

struct TreezorRig {
    api: Treezor,
    server: TestServer,
    token_url: String,
}

async fn treezor_rig() -> TreezorRig {
    let api = Treezor::new();
    let server = TestServer::start(treezor::server::router(api.clone())).await;
    let token_url = format!("{}/oauth/token", server.url());
    TreezorRig {
        api,
        server,
        token_url,
    }
}

/// The claims of a Treezor access token (a JWT).
fn treezor_claims(token: &str) -> Value {
    oauth_api_tests::reference::jwt_claims(token).expect("a JWT access token")
}

async fn treezor_client_credentials(script: &'static str, auth: &str) {
    let rig = treezor_rig().await;
    let outcome = peer(
        script,
        "client_credentials",
        &[
            ("token-url", &rig.token_url),
            ("client-id", CLIENT.0),
            ("client-secret", CLIENT.1),
            ("auth", auth),
        ],
    )
    .await;
    let token = assert_token(&outcome, "Bearer");
    assert_eq!(treezor_claims(&token)["sub"], CLIENT.0);
    assert_sent(&outcome, auth, &with_client(&["grant_type"], auth));
    assert_client(rig.api.last_client(), CLIENT.0, auth);
    rig.server.stop().await;
}

async fn treezor_password(script: &'static str, auth: &str) {
    let rig = treezor_rig().await;
    let outcome = peer(
        script,
        "password",
        &[
            ("token-url", &rig.token_url),
            ("client-id", CLIENT.0),
            ("client-secret", CLIENT.1),
            ("auth", auth),
            ("username", USER.0),
            ("password", USER.1),
        ],
    )
    .await;
    let token = assert_token(&outcome, "Bearer");
    assert_eq!(treezor_claims(&token)["sub"], USER.0);
    assert!(
        outcome
            .str("refresh_token")
            .is_some_and(|rt| rig.api.is_active_refresh_token(rt)),
        "{}",
        outcome.line
    );
    assert_sent(
        &outcome,
        auth,
        &with_client(&["grant_type", "username", "password"], auth),
    );
    assert_client(rig.api.last_client(), CLIENT.0, auth);
    rig.server.stop().await;
}

async fn treezor_refresh_token(script: &'static str, auth: &str) {
    let rig = treezor_rig().await;
    // A refresh token from the password grant, through the generated client (multipart).
    let password = PasswordGrantRequest {
        username: Some(USER.0.to_string()),
        password: Some(USER.1.to_string()),
        ..PasswordGrantRequest::new()
    };
    let issued = treezor::Client::new(rig.server.url())
        .expect("client")
        .with_client_credentials(CLIENT.0, CLIENT.1)
        .put_auth(&PutAuthBody::Password(password))
        .await
        .expect("a password grant")
        .into_inner();
    let refresh = match issued {
        PutAuth200Response::Password(p) => p.refresh_token,
        PutAuth200Response::Refresh(r) => r.refresh_token,
        PutAuth200Response::ClientCredentials(_) => None,
    }
    .expect("a refresh token");
    let outcome = peer(
        script,
        "refresh_token",
        &[
            ("token-url", &rig.token_url),
            ("client-id", CLIENT.0),
            ("client-secret", CLIENT.1),
            ("auth", auth),
            ("refresh-token", &refresh),
        ],
    )
    .await;
    let token = assert_token(&outcome, "Bearer");
    assert_eq!(treezor_claims(&token)["sub"], USER.0);
    assert!(
        !rig.api.is_active_refresh_token(&refresh),
        "the refresh token rotates"
    );
    assert!(
        outcome
            .str("refresh_token")
            .is_some_and(|rt| rig.api.is_active_refresh_token(rt)),
        "{}",
        outcome.line
    );
    assert_sent(
        &outcome,
        auth,
        &with_client(&["grant_type", "refresh_token"], auth),
    );
    assert_client(rig.api.last_client(), CLIENT.0, auth);
    rig.server.stop().await;
}

/// A wrong secret: `401`, with the spec's `DefaultError` body (`type: invalid_client`), not
/// an RFC 6749 §5.2 body.
async fn treezor_wrong_secret(script: &'static str, auth: &str) -> PeerOutcome {
    let rig = treezor_rig().await;
    let outcome = peer(
        script,
        "client_credentials",
        &[
            ("token-url", &rig.token_url),
            ("client-id", CLIENT.0),
            ("client-secret", "wrong"),
            ("auth", auth),
        ],
    )
    .await;
    // The spec's `DefaultError`, read by the library as RFC 6749 §5.2.
    assert_oauth_error(&outcome, 401, "invalid_client");
    assert_sent(&outcome, auth, &with_client(&["grant_type"], auth));
    rig.server.stop().await;
    outcome
}

#[tokio::test]
async fn authlib_basic_client_credentials_treezor() {
    treezor_client_credentials(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_client_credentials_treezor() {
    treezor_client_credentials(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_password_treezor() {
    treezor_password(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_password_treezor() {
    treezor_password(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_refresh_token_treezor() {
    treezor_refresh_token(AUTHLIB, "basic").await;
}

#[tokio::test]
async fn authlib_post_refresh_token_treezor() {
    treezor_refresh_token(AUTHLIB, "post").await;
}

#[tokio::test]
async fn authlib_basic_wrong_secret_treezor() {
    let outcome = treezor_wrong_secret(AUTHLIB, "basic").await;
    assert_eq!(exception(&outcome), "OAuthError: invalid_client: client authentication failed");
}

#[tokio::test]
async fn authlib_post_wrong_secret_treezor() {
    let outcome = treezor_wrong_secret(AUTHLIB, "post").await;
    assert_eq!(exception(&outcome), "OAuthError: invalid_client: client authentication failed");
}

#[tokio::test]
async fn requests_oauthlib_basic_client_credentials_treezor() {
    treezor_client_credentials(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_client_credentials_treezor() {
    treezor_client_credentials(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_password_treezor() {
    treezor_password(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_password_treezor() {
    treezor_password(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_refresh_token_treezor() {
    treezor_refresh_token(REQUESTS_OAUTHLIB, "basic").await;
}

#[tokio::test]
async fn requests_oauthlib_post_refresh_token_treezor() {
    treezor_refresh_token(REQUESTS_OAUTHLIB, "post").await;
}

#[tokio::test]
async fn requests_oauthlib_basic_wrong_secret_treezor() {
    let outcome = treezor_wrong_secret(REQUESTS_OAUTHLIB, "basic").await;
    assert!(exception(&outcome).starts_with("InvalidClientError"), "{}", outcome.line);
}

#[tokio::test]
async fn requests_oauthlib_post_wrong_secret_treezor() {
    let outcome = treezor_wrong_secret(REQUESTS_OAUTHLIB, "post").await;
    assert!(exception(&outcome).starts_with("InvalidClientError"), "{}", outcome.line);
}
