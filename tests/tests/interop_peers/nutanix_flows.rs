//! Nutanix: authorization code, refresh and revocation under /api/nutanix/v3.

use super::*;

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
