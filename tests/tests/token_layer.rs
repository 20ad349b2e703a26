//! The token layer end to end (issue 12): a client generated from a spec's OAuth2 flows
//! (`tests/fixtures/resource.yaml`) gets, caches and renews its tokens from a real
//! authorization server, oidc-provider (tests/interop), and calls its protected resource;
//! then the same against the generated Polaris server, which renews by token exchange.
//!
//! Token lifetimes are short (2 s) and every wait is bounded.

mod interop_common;

use std::time::{Duration, Instant};

use interop_common::OidcProvider;
use oauth_api::client::{Error, RetryPolicy};
use oauth_api::oauth::{ClientAuth, ErrorCode};
use oauth_api::token::{Revocation, TokenError, TokenTypeHint};
use oauth_api_tests::harness::TestServer;
use oauth_api_tests::reference::polaris::{Polaris, ROOT_CLIENT};

#[oauth_api::oauth_api("fixtures/resource.yaml", client)]
mod resource {}

const CLIENT: (&str, &str) = ("interop-basic", "interop-basic-secret");

/// A client of the resource whose tokens come from the spec's client credentials flow.
fn client_credentials_client(provider: &OidcProvider) -> resource::Client {
    let client = resource::Client::new(&provider.url).expect("a client");
    let tokens = client.client_credentials_flow(CLIENT.0, CLIENT.1).expect("the flow").scope("api:read").build();
    client.with_token_source(tokens)
}

#[tokio::test]
async fn a_token_is_reused_while_valid_and_renewed_after_expiry() {
    let provider = OidcProvider::start(&[("ACCESS_TOKEN_TTL", "2")]);
    let client = client_credentials_client(&provider);
    for _ in 0..3 {
        let answer = client.get_resource().await.expect("the resource").into_inner();
        assert_eq!(answer.client_id.as_deref(), Some(CLIENT.0));
    }
    assert_eq!(provider.token_requests("client_credentials").await, 1, "one token for three calls");
    // A 2 s token is renewed after half its life at most (the skew is capped at lifetime / 2).
    tokio::time::sleep(Duration::from_millis(1300)).await;
    client.get_resource().await.expect("the resource");
    assert_eq!(provider.token_requests("client_credentials").await, 2, "renewed once expired");
    let stats = provider.stats().await;
    assert_eq!(stats["resource_requests"]["by_status"]["200"], 4, "{stats}");
    assert!(stats["resource_requests"]["by_status"].get("401").is_none(), "no call used an expired token: {stats}");
}

#[tokio::test]
async fn fifty_concurrent_calls_make_one_token_request() {
    let provider = OidcProvider::start(&[]);
    let client = client_credentials_client(&provider);
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get_resource().await.map(|r| r.into_inner()) })
    });
    for call in calls {
        call.await.expect("the task").expect("the resource");
    }
    assert_eq!(provider.token_requests("client_credentials").await, 1, "single flight");
    assert_eq!(provider.stats().await["resource_requests"]["by_status"]["200"], 50);
}

#[tokio::test]
async fn a_401_renews_the_token_and_retries_the_call_once() {
    let provider = OidcProvider::start(&[]);
    let client = client_credentials_client(&provider);
    client.get_resource().await.expect("the resource");
    provider.reset().await;
    provider.fail("resource", 401, 1, None).await;
    let answer = client.get_resource().await.expect("the retried call succeeds").into_inner();
    assert_eq!(answer.ok, Some(true));
    let stats = provider.stats().await;
    assert_eq!(stats["token_requests"]["by_grant_type"]["client_credentials"], 1, "one renewal: {stats}");
    assert_eq!(stats["resource_requests"]["total"], 2, "one retry: {stats}");

    // Refused twice: the second 401 is the answer, with no loop.
    provider.reset().await;
    provider.fail("resource", 401, 2, None).await;
    let error = client.get_resource().await.expect_err("refused again after the renewal");
    assert!(matches!(error.api_error(), Some(resource::GetResourceError::Unauthorized(_))), "{error:?}");
    let stats = provider.stats().await;
    assert_eq!(stats["resource_requests"]["total"], 2, "{stats}");
    assert_eq!(stats["token_requests"]["total"], 1, "{stats}");
}

#[tokio::test]
async fn the_pkce_code_flow_end_to_end_and_a_revoked_refresh_token_is_a_typed_error() {
    let provider = OidcProvider::start(&[("ACCESS_TOKEN_TTL", "2")]);
    let client = resource::Client::new(&provider.url).expect("a client");
    let flow = client
        .authorization_code_flow(ClientAuth::public("interop-public"), "http://127.0.0.1/callback")
        .expect("the flow")
        .scope("openid api:read")
        .build();
    let pending = flow.authorize().expect("an authorization URL");
    let url = pending.url().to_string();
    assert!(url.starts_with(&format!("{}/auth?", provider.url)), "the spec's relative authorizationUrl is resolved: {url}");
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    let answer = provider.code(&url).await;
    let code = answer["code"].as_str().expect("a code");
    assert_eq!(answer["state"].as_str(), Some(pending.state()), "the state comes back");
    let tokens = pending.exchange(code, pending.state()).await.expect("the code is exchanged with its verifier");
    let held = tokens.tokens().expect("tokens");
    let refresh = held.refresh_token.clone().expect("a refresh token");
    let client = client.with_token_source(tokens.clone());
    let answer = client.get_resource().await.expect("the resource").into_inner();
    assert_eq!(answer.sub.as_deref(), Some("alice"));

    // Renewal by the refresh token once the access token expires.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    client.get_resource().await.expect("renewed with the refresh token");
    assert_eq!(provider.token_requests("refresh_token").await, 1);

    // RFC 7009: revoking the refresh token ends the grant; the next renewal is refused with
    // `invalid_grant`, as a typed error, and no call loops.
    let revocation = Revocation::new(format!("{}/token/revocation", provider.url).parse().expect("a URL"), ClientAuth::public("interop-public"));
    revocation.revoke(&tokens.tokens().and_then(|t| t.refresh_token).unwrap_or(refresh), Some(TokenTypeHint::RefreshToken)).await.expect("revoked");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    provider.reset().await;
    for _ in 0..3 {
        match client.get_resource().await {
            Err(Error::Token(TokenError::OAuth { status, error })) => {
                assert_eq!(status, 400);
                assert_eq!(error.error, ErrorCode::InvalidGrant);
            }
            other => panic!("expected the typed invalid_grant, got {other:?}"),
        }
    }
    let stats = provider.stats().await;
    assert_eq!(stats["token_requests"]["total"], 1, "one refresh attempt, then no more requests: {stats}");
    assert_eq!(stats["resource_requests"]["total"], 0, "{stats}");
}

#[tokio::test]
async fn the_password_flow_renews_with_its_refresh_token() {
    let provider = OidcProvider::start(&[("ACCESS_TOKEN_TTL", "2")]);
    let client = resource::Client::new(&provider.url).expect("a client");
    let tokens = client
        .password_flow(ClientAuth::basic(CLIENT.0, CLIENT.1), "bob", "builder")
        .expect("the flow")
        .scope("api:read offline_access")
        .build();
    let client = client.with_token_source(tokens);
    assert_eq!(client.get_resource().await.expect("the resource").into_inner().sub.as_deref(), Some("bob"));
    tokio::time::sleep(Duration::from_millis(1300)).await;
    client.get_resource().await.expect("the resource");
    assert_eq!(provider.token_requests("password").await, 1);
    assert_eq!(provider.token_requests("refresh_token").await, 1);
}

#[tokio::test]
async fn retries_honour_retry_after_within_bounds() {
    let provider = OidcProvider::start(&[]);
    let client = client_credentials_client(&provider).with_retry(RetryPolicy::standard());
    client.get_resource().await.expect("the resource");

    // Seconds.
    provider.fail("resource", 429, 2, Some("1")).await;
    let started = Instant::now();
    client.get_resource().await.expect("the third attempt succeeds");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(2), "two waits of Retry-After: 1 ({waited:?})");
    assert!(waited < Duration::from_secs(6), "bounded ({waited:?})");

    // Too many failures: attempts are bounded, and the last answer comes back.
    provider.reset().await;
    provider.fail("resource", 503, 5, Some("0")).await;
    let error = client.get_resource().await.expect_err("three attempts, then the 503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(provider.stats().await["resource_requests"]["total"], 3, "RetryPolicy::standard has 3 attempts");

    // Without a policy (the default), no retry.
    let plain = client_credentials_client(&provider);
    provider.reset().await;
    provider.fail("resource", 429, 1, Some("1")).await;
    assert_eq!(plain.get_resource().await.expect_err("no retry").status(), Some(429));
    assert_eq!(provider.stats().await["resource_requests"]["total"], 1);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let provider = OidcProvider::start(&[]);
    let client = client_credentials_client(&provider).with_retry(RetryPolicy::standard());
    client.get_resource().await.expect("the resource");
    let http = reqwest::Client::new();
    let status = http
        .post(format!("{}/__fail", provider.url))
        .query(&[("target", "resource"), ("status", "503"), ("times", "1"), ("retry_after", "2"), ("retry_after_format", "date")])
        .send()
        .await
        .expect("__fail")
        .status();
    assert!(status.is_success());
    let started = Instant::now();
    client.get_resource().await.expect("the retry succeeds");
    let waited = started.elapsed();
    // An HTTP date has a resolution of one second.
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(5), "{waited:?}");
}

/// The generated Polaris server as the authorization server: the Polaris client's own flow
/// (its spec's relative `tokenUrl`) renews a valid token by token exchange (RFC 8693), as
/// Iceberg clients do, and calls the endpoint with the Bearer token its security asks for.
#[tokio::test]
async fn polaris_tokens_renew_by_token_exchange_against_the_generated_server() {
    let polaris = Polaris::new().with_token_lifetime(2);
    let server = TestServer::start(generated::polaris::server::router(polaris.clone())).await;
    let client = generated::polaris::Client::new(server.url()).expect("a client");
    let tokens = client.client_credentials_flow(ROOT_CLIENT.0, ROOT_CLIENT.1).expect("the flow").scope("PRINCIPAL_ROLE:ALL").build();
    let client = client.with_token_source(tokens.clone());

    // A token exchange call authenticated with the source's Bearer token.
    let exchange = |subject: String| generated::polaris::OAuthTokenRequest::from(generated::polaris::OAuthTokenExchangeRequest::new(subject, generated::polaris::TokenType::AccessToken));
    let first = tokens.tokens();
    assert!(first.is_none(), "nothing fetched before the first call");
    let issued = client.get_token(&exchange("subject".into())).await;
    // The subject is not a token of the server: refused, but the call was authenticated.
    assert_eq!(issued.expect_err("an unknown subject").status(), Some(400));
    assert_eq!(polaris.grants(), ["client_credentials", "token_exchange"]);
    assert!(matches!(polaris.last_credentials(), Some(generated::polaris::server::Credentials::Bearer(_))), "the spec's BearerAuth");

    // Within half its life the token is renewed by exchanging it.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let current = tokens.tokens().and_then(|t| t.access_token).expect("a token");
    let before = polaris.grants().len();
    client.get_token(&exchange(current.expose().to_string())).await.expect("an exchange of a valid token");
    assert_eq!(&polaris.grants()[before..], ["token_exchange", "token_exchange"], "renewed by exchange, then the call");
    let renewed = tokens.tokens().and_then(|t| t.access_token).expect("a token");
    assert_ne!(renewed, current);
    assert!(polaris.is_active(renewed.expose()));
    server.stop().await;
}
