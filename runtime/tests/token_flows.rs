//! The flows on the wire: client authentication, grants, refresh, failures, token exchange,
//! Iceberg's refresh by token exchange, discovery, revocation.

mod token_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oauth_api::oauth::{ClientAuth, ErrorCode};
use oauth_api::token::{
    resolve, ClientCredentials, Password, ProviderMetadata, RefreshToken, Revocation, TokenError, TokenExchange, TokenSet, TokenSource,
    TokenStore, TokenTypeHint, ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE,
};
use serde_json::json;
use token_support::{within, MockServer, Reply};

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

async fn token(source: &dyn TokenSource) -> Result<String, TokenError> {
    source.token().await.map(|t| t.secret().expose().to_string())
}

fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
}

#[tokio::test]
async fn client_credentials_with_basic_authentication_on_the_wire() {
    let server = MockServer::issuing(Some(3600), false).await;
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("my client", "s3:cr/t"))
        .scope("catalog")
        .scopes(["read", "write"])
        .param("audience", "https://api.example")
        .param("resource", "urn:r")
        .build();
    assert_eq!(token(&source).await.expect("token"), "at-1");
    let seen = server.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/token");
    assert_eq!(seen.authorization.as_deref(), Some(basic("my+client", "s3%3Acr%2Ft").as_str()), "RFC 6749 §2.3.1 form-encodes first");
    assert_eq!(seen.content_type.as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(seen.accept.as_deref(), Some("application/json"));
    assert_eq!(seen.grant(), "client_credentials");
    assert_eq!(seen.get("scope"), Some("catalog read write"));
    assert_eq!(seen.get("audience"), Some("https://api.example"));
    assert_eq!(seen.get("resource"), Some("urn:r"));
    assert_eq!(seen.get("client_id"), None);
    assert_eq!(seen.get("client_secret"), None);
}

#[tokio::test]
async fn client_credentials_with_body_authentication_on_the_wire() {
    let server = MockServer::issuing(Some(3600), false).await;
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::post("my client", "s3:cr/t")).build();
    assert_eq!(token(&source).await.expect("token"), "at-1");
    let seen = server.last();
    assert_eq!(seen.authorization, None);
    assert_eq!(seen.get("client_id"), Some("my client"));
    assert_eq!(seen.get("client_secret"), Some("s3:cr/t"));
    assert_eq!(seen.get("scope"), None);
}

#[tokio::test]
async fn password_grant_fields() {
    let server = MockServer::issuing(Some(3600), true).await;
    let source = Password::builder(server.token_url(), ClientAuth::public("app"), "alice", "pa ss&word").scope("openid").build();
    assert_eq!(token(&source).await.expect("token"), "at-1");
    let seen = server.last();
    assert_eq!(seen.grant(), "password");
    assert_eq!(seen.get("username"), Some("alice"));
    assert_eq!(seen.get("password"), Some("pa ss&word"));
    assert_eq!(seen.get("scope"), Some("openid"));
    assert_eq!(seen.get("client_id"), Some("app"));
    assert_eq!(seen.authorization, None);
}

#[tokio::test]
async fn the_refresh_token_is_used_when_present() {
    let server = MockServer::start(|seen, n| match seen.grant() {
        // A server that does not rotate refresh tokens.
        "refresh_token" => Reply::token(&format!("at-{n}"), Some(1), None),
        _ => Reply::token(&format!("at-{n}"), Some(1), Some("rt-1")),
    })
    .await;
    let source = Password::builder(server.token_url(), ClientAuth::basic("app", "secret"), "alice", "pw").skew(Duration::ZERO).build();
    within(10, async {
        assert_eq!(token(&source).await.expect("token"), "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await.expect("token"), "at-2");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await.expect("token"), "at-3");
    })
    .await;
    assert_eq!(server.grants(), ["password", "refresh_token", "refresh_token"]);
    assert!(server.requests()[1..].iter().all(|s| s.get("refresh_token") == Some("rt-1")), "the old refresh token is kept");
    assert!(server.requests()[1..].iter().all(|s| s.authorization == Some(basic("app", "secret"))));
}

#[derive(Default)]
struct Cleared(Mutex<usize>);

impl TokenStore for Cleared {
    fn save(&self, _: &TokenSet) {}

    fn clear(&self) {
        *self.0.lock().expect("lock") += 1;
    }
}

#[tokio::test]
async fn a_revoked_refresh_token_is_a_typed_error_and_no_loop() {
    let server = MockServer::start(|seen, n| match seen.get("refresh_token") {
        Some("good") => Reply::token(&format!("at-{n}"), Some(3600), None),
        _ => Reply::error(400, "invalid_grant"),
    })
    .await;
    let store = Arc::new(Cleared::default());
    let source = RefreshToken::builder(server.token_url(), ClientAuth::public("cli"), "revoked").store(store.clone()).build();
    for _ in 0..5 {
        match within(10, source.token()).await {
            Err(TokenError::OAuth { status: 400, error }) => assert_eq!(error.error, ErrorCode::InvalidGrant),
            other => panic!("expected invalid_grant, got {other:?}"),
        }
    }
    assert_eq!(server.count(), 1, "later calls do not ask again");
    assert_eq!(*store.0.lock().expect("lock"), 1, "the store is cleared");
    assert_eq!(source.tokens().and_then(|s| s.refresh_token), None);
    source.set_tokens(TokenSet::from_refresh_token("good"));
    assert_eq!(token(&source).await.expect("token"), "at-2");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_revoked_refresh_token_falls_back_to_client_credentials() {
    let server = MockServer::start(|seen, n| match seen.grant() {
        "refresh_token" => Reply::error(400, "invalid_grant"),
        _ => Reply::token(&format!("at-{n}"), Some(1), Some(&format!("rt-{n}"))),
    })
    .await;
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("c", "s")).skew(Duration::ZERO).build();
    within(10, async {
        assert_eq!(token(&source).await.expect("token"), "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await.expect("token"), "at-3");
    })
    .await;
    assert_eq!(server.grants(), ["client_credentials", "refresh_token", "client_credentials"]);
    assert_eq!(source.tokens().and_then(|s| s.refresh_token).map(|s| s.expose().to_string()).as_deref(), Some("rt-3"));
}

#[tokio::test]
async fn a_transient_refresh_failure_keeps_the_refresh_token() {
    let server = MockServer::start(|seen, n| match (seen.grant(), n) {
        ("refresh_token", 1) => Reply::json(503, json!("busy")),
        _ => Reply::token(&format!("at-{n}"), Some(3600), Some("rt-next")),
    })
    .await;
    let source = RefreshToken::builder(server.token_url(), ClientAuth::public("cli"), "rt-0").build();
    match source.token().await {
        Err(TokenError::InvalidResponse { status: 503, .. }) => {}
        other => panic!("expected the 503, got {other:?}"),
    }
    assert_eq!(token(&source).await.expect("token"), "at-2");
    let requests = server.requests();
    assert_eq!(requests[1].get("refresh_token"), Some("rt-0"));
    assert_eq!(source.tokens().and_then(|s| s.refresh_token).map(|s| s.expose().to_string()).as_deref(), Some("rt-next"));
}

#[tokio::test]
async fn failures_are_typed() {
    let server = MockServer::start(|seen, _| match seen.get("scope") {
        Some("bad-client") => Reply::error(401, "invalid_client"),
        Some("html") => Reply::json(502, json!("<html>bad gateway</html>")),
        _ => Reply::json(200, json!({ "token": "not an OAuth response" })),
    })
    .await;
    let with = |scope: &str| ClientCredentials::builder(server.token_url(), ClientAuth::basic("c", "s")).scope(scope).build();
    match with("bad-client").token().await {
        Err(TokenError::OAuth { status: 401, error }) => assert_eq!(error.error, ErrorCode::InvalidClient),
        other => panic!("{other:?}"),
    }
    match with("html").token().await {
        Err(TokenError::InvalidResponse { status: 502, .. }) => {}
        other => panic!("{other:?}"),
    }
    match with("odd").token().await {
        Err(TokenError::InvalidResponse { status: 200, reason }) => assert!(reason.contains("access_token"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_relative_token_url_is_resolved_against_the_base() {
    let server = MockServer::issuing(Some(3600), false).await;
    let base = server.url("api/catalog");
    let token_url = resolve(&base, "v1/oauth/tokens").expect("resolve");
    assert_eq!(token_url, server.url("api/catalog/v1/oauth/tokens"));
    assert_eq!(resolve(&server.url("api/catalog/"), "v1/oauth/tokens").expect("resolve"), token_url);
    assert_eq!(resolve(&base, "/oauth/token").expect("resolve"), server.url("oauth/token"));
    let source = ClientCredentials::builder(token_url, ClientAuth::basic("c", "s")).build();
    token(&source).await.expect("token");
    assert_eq!(server.last().path, "/api/catalog/v1/oauth/tokens");
}

#[tokio::test]
async fn token_requests_time_out() {
    let server = MockServer::start(|_, _| Reply::token("late", Some(3600), None).after(Duration::from_secs(5))).await;
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("c", "s")).timeout(Duration::from_millis(200)).build();
    let started = Instant::now();
    match within(4, source.token()).await {
        Err(TokenError::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn token_exchange_request_fields() {
    let server = MockServer::start(|_, _| {
        Reply::json(200, json!({ "access_token": "exchanged", "token_type": "N_A", "issued_token_type": JWT_TOKEN_TYPE, "expires_in": 60 }))
    })
    .await;
    let source = TokenExchange::builder(server.token_url(), ClientAuth::basic("svc", "secret"))
        .subject_token("subject", ACCESS_TOKEN_TYPE)
        .actor_token("actor", JWT_TOKEN_TYPE)
        .requested_token_type(JWT_TOKEN_TYPE)
        .audience("a1")
        .audience("a2")
        .resource("https://r.example/api")
        .scope("read")
        .build();
    let issued = source.token().await.expect("token");
    assert_eq!(issued.secret().expose(), "exchanged");
    assert_eq!(issued.token_type().as_str(), "N_A");
    let seen = server.last();
    assert_eq!(seen.grant(), TOKEN_EXCHANGE);
    assert_eq!(seen.get("subject_token"), Some("subject"));
    assert_eq!(seen.get("subject_token_type"), Some(ACCESS_TOKEN_TYPE));
    assert_eq!(seen.get("actor_token"), Some("actor"));
    assert_eq!(seen.get("actor_token_type"), Some(JWT_TOKEN_TYPE));
    assert_eq!(seen.get("requested_token_type"), Some(JWT_TOKEN_TYPE));
    assert_eq!(seen.all("audience"), ["a1", "a2"]);
    assert_eq!(seen.get("resource"), Some("https://r.example/api"));
    assert_eq!(seen.get("scope"), Some("read"));
    assert_eq!(seen.authorization, Some(basic("svc", "secret")));
}

#[tokio::test]
async fn token_exchange_takes_its_subject_from_a_source_and_renews_a_refused_one() {
    let server = MockServer::start(|seen, n| match (seen.grant(), seen.get("subject_token")) {
        (TOKEN_EXCHANGE, Some("at-1")) => Reply::error(400, "invalid_grant"),
        (TOKEN_EXCHANGE, Some(subject)) => Reply::token(&format!("for-{subject}"), Some(3600), None),
        _ => Reply::token(&format!("at-{n}"), Some(3600), None),
    })
    .await;
    let own = ClientCredentials::builder(server.token_url(), ClientAuth::basic("svc", "secret")).build();
    let source = TokenExchange::builder(server.token_url(), ClientAuth::basic("svc", "secret"))
        .subject_from(Arc::new(own), ACCESS_TOKEN_TYPE)
        .build();
    assert_eq!(token(&source).await.expect("token"), "for-at-3");
    assert_eq!(server.grants(), ["client_credentials", TOKEN_EXCHANGE, "client_credentials", TOKEN_EXCHANGE]);
    assert_eq!(token(&source).await.expect("token"), "for-at-3");
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn iceberg_refresh_by_token_exchange_while_the_token_is_valid() {
    let server = MockServer::start(|seen, n| match seen.grant() {
        TOKEN_EXCHANGE => Reply::json(
            200,
            json!({ "access_token": format!("at-{n}"), "token_type": "bearer", "issued_token_type": ACCESS_TOKEN_TYPE, "expires_in": 2 }),
        ),
        _ => Reply::token(&format!("at-{n}"), Some(2), None),
    })
    .await;
    // expires_in 2, default skew: renewed after 1 s, while still valid.
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("root", "s3cr3t"))
        .scope("PRINCIPAL_ROLE:ALL")
        .renew_by_token_exchange()
        .build();
    within(10, async {
        assert_eq!(token(&source).await.expect("token"), "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await.expect("token"), "at-2");
    })
    .await;
    let seen = server.last();
    assert_eq!(seen.grant(), TOKEN_EXCHANGE);
    assert_eq!(seen.get("subject_token"), Some("at-1"));
    assert_eq!(seen.get("subject_token_type"), Some(ACCESS_TOKEN_TYPE));
    assert_eq!(seen.get("scope"), Some("PRINCIPAL_ROLE:ALL"));
    assert_eq!(seen.authorization.as_deref(), Some("Bearer at-1"));
    assert_eq!(seen.get("client_secret"), None);
}

#[tokio::test]
async fn iceberg_refresh_falls_back_to_client_credentials() {
    let server = MockServer::start(|seen, n| match seen.grant() {
        TOKEN_EXCHANGE => Reply::error(401, "invalid_token"),
        _ => Reply::token(&format!("at-{n}"), Some(2), None),
    })
    .await;
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("root", "s3cr3t")).renew_by_token_exchange().build();
    within(10, async {
        assert_eq!(token(&source).await.expect("token"), "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        // The exchange is refused: client credentials in the same call.
        assert_eq!(token(&source).await.expect("token"), "at-3");
    })
    .await;
    assert_eq!(server.grants(), ["client_credentials", TOKEN_EXCHANGE, "client_credentials"]);
    assert_eq!(server.last().authorization, Some(basic("root", "s3cr3t")));

    // A token refused with 401 is not exchanged: client credentials directly.
    let current = source.token().await.expect("token");
    source.invalidate(&current);
    assert_eq!(token(&source).await.expect("token"), "at-4");
    assert_eq!(server.grants().last().map(String::as_str), Some("client_credentials"));

    // An expired token is not exchanged either (no skew: renewal is due at expiry).
    let server = MockServer::issuing(Some(1), false).await;
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("root", "s3cr3t"))
        .renew_by_token_exchange()
        .skew(Duration::ZERO)
        .build();
    within(10, async {
        assert_eq!(token(&source).await.expect("token"), "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await.expect("token"), "at-2");
    })
    .await;
    assert_eq!(server.grants(), ["client_credentials", "client_credentials"]);
}

#[tokio::test]
async fn discovery_finds_the_endpoints() {
    let server = MockServer::start(|seen, _| match seen.path.as_str() {
        "/realms/main/.well-known/openid-configuration" => {
            let issuer = format!("{}/realms/main", seen.base());
            Reply::json(
                200,
                json!({
                    "issuer": issuer,
                    "authorization_endpoint": format!("{issuer}/auth"),
                    "token_endpoint": format!("{issuer}/token"),
                    "revocation_endpoint": format!("{issuer}/revoke"),
                    "grant_types_supported": ["client_credentials", "refresh_token"],
                    "code_challenge_methods_supported": ["S256"],
                    "claims_supported": ["sub"]
                }),
            )
        }
        "/other/.well-known/openid-configuration" => Reply::json(200, json!({ "issuer": "https://somewhere.else" })),
        _ => Reply::error(404, "not_found"),
    })
    .await;
    let metadata = ProviderMetadata::discover(&server.url("realms/main")).await.expect("metadata");
    assert_eq!(metadata.token_endpoint().expect("token endpoint"), &server.url("realms/main/token"));
    assert_eq!(metadata.revocation_endpoint, Some(server.url("realms/main/revoke")));
    assert_eq!(metadata.authorization_endpoint, Some(server.url("realms/main/auth")));
    assert!(metadata.supports_grant("client_credentials"));
    assert!(!metadata.supports_grant("password"));
    assert_eq!(metadata.code_challenge_methods_supported, ["S256"]);
    assert!(metadata.extra.contains_key("claims_supported"));
    assert!(matches!(ProviderMetadata::discover(&server.url("other")).await, Err(TokenError::InvalidResponse { .. })));
    assert!(matches!(ProviderMetadata::discover(&server.url("missing")).await, Err(TokenError::OAuth { status: 404, .. })));
    let fetched = ProviderMetadata::fetch(&server.url("other/.well-known/openid-configuration")).await.expect("metadata");
    assert_eq!(fetched.token_endpoint, None);
    assert!(fetched.token_endpoint().is_err());
}

#[tokio::test]
async fn revocation_posts_the_token_with_client_authentication() {
    let server = MockServer::start(|seen, n| match (seen.path.as_str(), seen.get("token_type_hint")) {
        ("/revoke", Some("weird")) => Reply::error(400, "unsupported_token_type"),
        ("/revoke", _) => Reply::json(200, json!({})),
        _ => Reply::token(&format!("at-{n}"), Some(3600), Some(&format!("rt-{n}"))),
    })
    .await;
    let revocation = Revocation::new(server.url("revoke"), ClientAuth::basic("c", "s"));
    revocation.revoke(&"tok".into(), Some(TokenTypeHint::AccessToken)).await.expect("revoked");
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.get("token"), seen.get("token_type_hint")), ("POST", Some("tok"), Some("access_token")));
    assert_eq!(seen.authorization, Some(basic("c", "s")));
    assert_eq!(seen.content_type.as_deref(), Some("application/x-www-form-urlencoded"));
    match revocation.revoke(&"tok".into(), Some(TokenTypeHint::Other("weird".into()))).await {
        Err(TokenError::OAuth { status: 400, error }) => assert_eq!(error.error, ErrorCode::UnsupportedTokenType),
        other => panic!("{other:?}"),
    }

    let post = Revocation::new(server.url("revoke"), ClientAuth::post("c", "s"));
    post.revoke(&"tok".into(), None).await.expect("revoked");
    let seen = server.last();
    assert_eq!((seen.get("client_id"), seen.get("client_secret"), seen.get("token_type_hint")), (Some("c"), Some("s"), None));

    // A source revokes its refresh token and forgets its tokens.
    let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("c", "s")).build();
    token(&source).await.expect("token");
    let before = server.count();
    source.revoke(&Revocation::for_endpoint(server.url("revoke"), source.endpoint())).await.expect("revoked");
    let seen = server.last();
    assert_eq!((seen.get("token"), seen.get("token_type_hint")), (Some(format!("rt-{before}").as_str()), Some("refresh_token")));
    assert_eq!(source.tokens(), None);
}

/// Connections belong to the runtime that opened them. A token source used under a second
/// runtime, while the first one is idle (one `#[tokio::test]` after another, or a
/// synchronous wrapper per call), opens its own connection: it does not queue its request on a
/// connection whose task only the idle runtime would run (the default HTTP client is not one
/// for the whole process).
#[test]
fn a_second_runtime_does_not_wait_on_the_connections_of_an_idle_one() {
    let serving = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let server = serving.block_on(MockServer::issuing(Some(3600), false));
    let fetch = |runtime: &tokio::runtime::Runtime| {
        let source = ClientCredentials::builder(server.token_url(), ClientAuth::basic("c", "s")).build();
        runtime.block_on(within(10, token(&source)))
    };
    let first = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let second = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    assert_eq!(fetch(&first).expect("token"), "at-1");
    // `first` is idle from here on, and alive: its connections' tasks are not polled.
    assert_eq!(fetch(&second).expect("token"), "at-2");
    drop((first, second));
}
