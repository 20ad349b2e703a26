//! Polaris: client credentials and token exchange at /v1/oauth/tokens.

use super::*;

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
