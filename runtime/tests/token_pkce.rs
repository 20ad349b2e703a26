//! The authorization code flow with PKCE.

mod token_support;

use std::collections::BTreeMap;
use std::time::Duration;

use oauth_api::oauth::ClientAuth;
use oauth_api::token::{pkce_challenge, AuthorizationCode, TokenError, TokenSource};
use token_support::{within, MockServer, Reply};

fn query(url: &url::Url) -> BTreeMap<String, String> {
    url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn flow(server: &MockServer, auth: ClientAuth) -> AuthorizationCode {
    let mut authorize = server.url("authorize");
    authorize.set_query(Some("tenant=t1"));
    AuthorizationCode::builder(authorize, server.token_url(), auth, "http://127.0.0.1:8400/callback")
        .scope("openid")
        .scope("offline_access")
        .param("prompt", "consent")
        .skew(Duration::ZERO)
        .build()
}

#[tokio::test]
async fn the_authorization_url_has_the_pkce_parameters() {
    let server = MockServer::issuing(Some(3600), true).await;
    let pending = flow(&server, ClientAuth::public("my-cli")).authorize().expect("authorize");
    let url = pending.url();
    assert_eq!(url.path(), "/authorize");
    let q = query(url);
    assert_eq!(q["tenant"], "t1", "the endpoint's own query is kept");
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "my-cli");
    assert_eq!(q["redirect_uri"], "http://127.0.0.1:8400/callback");
    assert_eq!(q["scope"], "openid offline_access");
    assert_eq!(q["state"], pending.state());
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"], pkce_challenge(pending.verifier().expose()));
    assert_eq!(q["prompt"], "consent");
    assert_eq!(pending.verifier().expose().len(), 43);
    assert!(pending.state().len() >= 22);
    let again = flow(&server, ClientAuth::public("my-cli")).authorize().expect("authorize");
    assert_ne!(again.state(), pending.state());
    assert_ne!(again.verifier(), pending.verifier());
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn the_verifier_matches_the_challenge_rfc7636_appendix_b() {
    let server = MockServer::issuing(Some(3600), true).await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let pending = flow(&server, ClientAuth::public("c")).authorize_with("st".into(), verifier.into()).expect("authorize");
    assert_eq!(query(pending.url())["code_challenge"], "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assert!(flow(&server, ClientAuth::public("c")).authorize_with("st".into(), "too-short".into()).is_err());
}

#[tokio::test]
async fn a_state_mismatch_is_refused_without_a_request() {
    let server = MockServer::issuing(Some(3600), true).await;
    let pending = flow(&server, ClientAuth::public("c")).authorize().expect("authorize");
    match pending.exchange("the-code", "forged-state").await {
        Err(TokenError::Unavailable(why)) => assert!(why.contains("state"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn the_code_is_exchanged_with_the_verifier_and_refreshed_later() {
    let server = MockServer::start(|seen, n| match (seen.grant(), seen.get("code")) {
        ("authorization_code", Some("the-code")) => Reply::token(&format!("at-{n}"), Some(1), Some("rt-1")),
        ("authorization_code", _) => Reply::error(400, "invalid_grant"),
        _ => Reply::token(&format!("at-{n}"), Some(1), Some(&format!("rt-{n}"))),
    })
    .await;
    let pending = flow(&server, ClientAuth::basic("web", "secret")).authorize().expect("authorize");
    let state = pending.state().to_string();
    let source = pending.exchange("the-code", &state).await.expect("tokens");
    let seen = server.last();
    assert_eq!(seen.grant(), "authorization_code");
    assert_eq!(seen.get("code"), Some("the-code"));
    assert_eq!(seen.get("redirect_uri"), Some("http://127.0.0.1:8400/callback"));
    assert_eq!(seen.get("code_verifier"), Some(pending.verifier().expose()));
    assert!(seen.authorization.as_deref().is_some_and(|a| a.starts_with("Basic ")));
    within(10, async {
        assert_eq!(source.token().await.expect("token").secret().expose(), "at-1");
        assert_eq!(server.count(), 1);
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(source.token().await.expect("token").secret().expose(), "at-2");
    })
    .await;
    assert_eq!(server.grants(), ["authorization_code", "refresh_token"]);
    assert_eq!(server.last().get("refresh_token"), Some("rt-1"));
    match pending.exchange("another-code", &state).await {
        Err(TokenError::OAuth { status: 400, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn without_a_refresh_token_the_source_fails_after_expiry_without_a_request() {
    let server = MockServer::issuing(Some(1), false).await;
    let pending = flow(&server, ClientAuth::public("c")).authorize().expect("authorize");
    let state = pending.state().to_string();
    let source = pending.exchange("code", &state).await.expect("tokens");
    let first = source.token().await.expect("token");
    assert_eq!(first.secret().expose(), "at-1");
    source.invalidate(&first);
    assert!(matches!(source.token().await, Err(TokenError::Unavailable(_))));
    assert_eq!(server.count(), 1);
    assert_eq!(server.last().get("client_id"), Some("c"), "a public client names itself");
}

#[tokio::test]
async fn saved_tokens_resume_without_signing_in() {
    let server = MockServer::issuing(Some(3600), true).await;
    let mut saved = oauth_api::token::TokenSet::from_refresh_token("saved-rt");
    saved.scope = Some("openid".into());
    let source = flow(&server, ClientAuth::public("c")).resume(saved);
    assert_eq!(source.token().await.expect("token").secret().expose(), "at-1");
    assert_eq!(server.grants(), ["refresh_token"]);
    assert_eq!(server.last().get("refresh_token"), Some("saved-rt"));
}
