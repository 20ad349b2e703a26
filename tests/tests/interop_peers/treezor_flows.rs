//! Treezor: client credentials, password and refresh at /oauth/token (form bodies, §3.2).

use super::*;

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
