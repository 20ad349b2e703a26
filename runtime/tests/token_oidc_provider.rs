//! The token layer against a real authorization server: oidc-provider, as
//! `tests/interop/README.md` describes it. The tests need a running server with short token
//! lifetimes, named by `OIDC_PROVIDER_URL`, so they are `#[ignore]`d in a plain `cargo test`;
//! `./tests/run.sh` starts the server and runs them with `--ignored`. By hand:
//!
//! ```sh
//! tests/interop/setup.sh
//! ACCESS_TOKEN_TTL=2 node tests/interop/oidc/server.mjs 0   # prints READY http://127.0.0.1:PORT
//! OIDC_PROVIDER_URL=http://127.0.0.1:PORT cargo test -p oauth-api --test token_oidc_provider -- --ignored
//! ```
//!
//! The expiry steps need `ACCESS_TOKEN_TTL` of at most 5 s.
//! The tests read the server's counters (`/__stats`), so they take turns.

use std::sync::Arc;
use std::time::Duration;

use oauth_api::oauth::{ClientAuth, ErrorCode};
use oauth_api::token::{
    AuthorizationCode, CachedTokenSource, ClientCredentials, Password, ProviderMetadata, RefreshToken, Revocation, TokenError,
    TokenExchange, TokenSource, TokenTypeHint, ACCESS_TOKEN_TYPE,
};
use serde_json::Value;
use url::Url;

static TURNS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

struct Provider {
    issuer: Url,
    metadata: ProviderMetadata,
    ttl: u64,
    http: reqwest::Client,
}

impl Provider {
    /// The server named by `OIDC_PROVIDER_URL`, counters reset.
    async fn get() -> Option<Self> {
        let url = std::env::var("OIDC_PROVIDER_URL").expect("OIDC_PROVIDER_URL names a running oidc-provider (./tests/run.sh starts one)");
        let issuer = Url::parse(&url).expect("OIDC_PROVIDER_URL is a URL");
        let http = reqwest::Client::new();
        let metadata = ProviderMetadata::discover(&issuer).await.expect("discovery");
        let config: Value = http.get(issuer.join("__config").expect("URL")).send().await.expect("config").json().await.expect("json");
        let ttl = config["access_token_ttl"].as_u64().expect("access_token_ttl");
        let provider = Provider { issuer, metadata, ttl, http };
        provider.reset().await;
        Some(provider)
    }

    fn url(&self, path: &str) -> Url {
        self.issuer.join(path).expect("URL")
    }

    fn token_url(&self) -> Url {
        self.metadata.token_endpoint().expect("token endpoint").clone()
    }

    fn revocation(&self, auth: ClientAuth) -> Revocation {
        Revocation::new(self.metadata.revocation_endpoint.clone().expect("revocation endpoint"), auth)
    }

    async fn reset(&self) {
        self.http.post(self.url("__reset")).send().await.expect("reset").error_for_status().expect("reset");
    }

    async fn stats(&self) -> Value {
        self.http.get(self.url("__stats")).send().await.expect("stats").json().await.expect("json")
    }

    /// Token requests since the reset, per grant type.
    async fn grants(&self, grant: &str) -> u64 {
        self.stats().await["token_requests"]["by_grant_type"][grant].as_u64().unwrap_or(0)
    }

    async fn token_requests(&self) -> u64 {
        self.stats().await["token_requests"]["total"].as_u64().unwrap_or(0)
    }

    /// The status of the protected resource with `source`'s token.
    async fn resource(&self, source: &dyn TokenSource) -> u16 {
        let token = source.token().await.expect("token");
        let response = self.http.get(self.url("__resource")).bearer_auth(token.secret().expose()).send().await.expect("resource");
        response.status().as_u16()
    }

    /// Whether the expiry steps can run in a few seconds.
    fn short_lived(&self) -> bool {
        assert!(self.ttl <= 5, "the expiry steps need ACCESS_TOKEN_TTL of at most 5 s, not {}", self.ttl);
        true
    }

    /// Sleeps until a token fetched now is due for renewal (half its lifetime with the default skew).
    async fn until_renewal(&self) {
        tokio::time::sleep(Duration::from_millis(self.ttl * 500 + 150)).await;
    }

    fn client_credentials(&self, auth: ClientAuth) -> oauth_api::token::ClientCredentialsBuilder {
        ClientCredentials::builder(self.token_url(), auth)
    }
}

fn root() -> ClientAuth {
    ClientAuth::basic("root", "s3cr3t")
}

fn alice(provider: &Provider) -> CachedTokenSource {
    Password::builder(provider.token_url(), ClientAuth::basic("interop-basic", "interop-basic-secret"), "alice", "wonderland")
        .scope("api:read")
        .build()
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_client_credentials_with_basic_and_body_authentication() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    for auth in [root(), ClientAuth::post("interop-post", "interop-post-secret"), ClientAuth::basic("interop-special", "p@ss w+rd:%&=")] {
        let source = provider.client_credentials(auth).scope("catalog").build();
        assert_eq!(provider.resource(&source).await, 200);
    }
    let stats = provider.stats().await;
    let sent: Vec<&str> = stats["recent_requests"].as_array().expect("recent").iter().filter_map(|r| r["client_auth"].as_str()).collect();
    assert_eq!(sent, ["basic", "post", "basic"]);
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_token_reused_while_valid_and_renewed_after_expiry() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let source = provider.client_credentials(root()).build();
    let first = source.token().await.expect("token");
    for _ in 0..5 {
        assert_eq!(source.token().await.expect("token"), first);
    }
    assert_eq!(provider.grants("client_credentials").await, 1);
    if provider.short_lived() {
        provider.until_renewal().await;
        assert_ne!(source.token().await.expect("token"), first);
        assert_eq!(provider.grants("client_credentials").await, 2);
        assert_eq!(provider.resource(&source).await, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_fifty_concurrent_calls_make_one_request() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let source = provider.client_credentials(root()).build();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let source = source.clone();
            tokio::spawn(async move { source.token().await.map(|t| t.secret().expose().to_string()) })
        })
        .collect();
    let mut tokens = Vec::new();
    for task in tasks {
        tokens.push(task.await.expect("task").expect("token"));
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 1);
    assert_eq!(provider.grants("client_credentials").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_a_401_renews_once_for_many_callers() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let source = provider.client_credentials(root()).build();
    let refused = source.token().await.expect("token");
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let source = source.clone();
            let refused = refused.clone();
            tokio::spawn(async move {
                source.invalidate(&refused);
                source.token().await.map(|t| t.secret().expose().to_string())
            })
        })
        .collect();
    for task in tasks {
        assert_ne!(task.await.expect("task").expect("token"), refused.secret().expose());
    }
    assert_eq!(provider.grants("client_credentials").await, 2);
    assert_eq!(provider.resource(&source).await, 200);
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_password_then_refresh_token() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let source = alice(&provider);
    assert_eq!(provider.resource(&source).await, 200);
    let tokens = source.tokens().expect("tokens");
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.scope.as_deref(), Some("api:read"));
    if provider.short_lived() {
        provider.until_renewal().await;
        assert_eq!(provider.resource(&source).await, 200);
        assert_eq!((provider.grants("password").await, provider.grants("refresh_token").await), (1, 1));
    }
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_a_revoked_refresh_token_is_a_typed_error_without_a_loop() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let auth = ClientAuth::basic("interop-basic", "interop-basic-secret");
    let signed_in = alice(&provider);
    signed_in.token().await.expect("token");
    let refresh = signed_in.tokens().and_then(|t| t.refresh_token).expect("refresh token");
    provider.revocation(auth.clone()).revoke(&refresh, Some(TokenTypeHint::RefreshToken)).await.expect("revoked");
    provider.reset().await;

    let source = RefreshToken::builder(provider.token_url(), auth, refresh).build();
    for _ in 0..5 {
        match source.token().await {
            Err(TokenError::OAuth { status: 400, error }) => assert_eq!(error.error, ErrorCode::InvalidGrant),
            other => panic!("expected invalid_grant, got {other:?}"),
        }
    }
    assert_eq!(provider.token_requests().await, 1);

    // A password source whose refresh token was revoked signs in again.
    let current = signed_in.token().await.expect("token");
    signed_in.invalidate(&current);
    assert_eq!(provider.resource(&signed_in).await, 200);
    assert_eq!((provider.grants("refresh_token").await, provider.grants("password").await), (2, 1));
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_authorization_code_with_pkce() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let flow = AuthorizationCode::builder(
        provider.metadata.authorization_endpoint.clone().expect("authorization endpoint"),
        provider.token_url(),
        ClientAuth::public("interop-public"),
        "http://127.0.0.1/callback",
    )
    .scope("openid api:read")
    .build();
    let pending = flow.authorize().expect("authorize");
    let redirect: Value = provider
        .http
        .get(provider.url("__code"))
        .query(&[("url", pending.url().as_str())])
        .send()
        .await
        .expect("__code")
        .json()
        .await
        .expect("json");
    let code = redirect["code"].as_str().unwrap_or_else(|| panic!("no code: {redirect}"));
    assert_eq!(redirect["state"].as_str(), Some(pending.state()));
    assert!(matches!(pending.exchange(code, "forged").await, Err(TokenError::Unavailable(_))));
    let source = pending.exchange(code, pending.state()).await.expect("tokens");
    let tokens = source.tokens().expect("tokens");
    assert!(tokens.refresh_token.is_some() && tokens.id_token.is_some());
    assert_eq!(provider.resource(&source).await, 200);
    let current = source.token().await.expect("token");
    source.invalidate(&current);
    assert_eq!(provider.resource(&source).await, 200);
    assert_eq!((provider.grants("authorization_code").await, provider.grants("refresh_token").await), (1, 1));
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_token_exchange() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let subject = provider.client_credentials(root()).scope("catalog").build();
    let actor = provider.client_credentials(ClientAuth::basic("interop-basic", "interop-basic-secret")).build();
    let source = TokenExchange::builder(provider.token_url(), ClientAuth::basic("interop-basic", "interop-basic-secret"))
        .subject_from(Arc::new(subject), ACCESS_TOKEN_TYPE)
        .actor_from(Arc::new(actor), ACCESS_TOKEN_TYPE)
        .requested_token_type(ACCESS_TOKEN_TYPE)
        .scope("catalog")
        .build();
    assert_eq!(provider.resource(&source).await, 200);
    assert_eq!((provider.grants("client_credentials").await, provider.grants(TOKEN_EXCHANGE).await), (2, 1));
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_iceberg_renewal_falls_back_to_client_credentials() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    if !provider.short_lived() {
        return;
    }
    // oidc-provider authenticates clients at the token endpoint, so the Bearer-authenticated
    // exchange is refused and the source falls back to client credentials.
    let source = provider.client_credentials(root()).scope("PRINCIPAL_ROLE:ALL").renew_by_token_exchange().build();
    let first = source.token().await.expect("token");
    provider.until_renewal().await;
    assert_ne!(source.token().await.expect("token"), first);
    assert_eq!(provider.resource(&source).await, 200);
    assert_eq!((provider.grants(TOKEN_EXCHANGE).await, provider.grants("client_credentials").await), (1, 2));
    let stats = provider.stats().await;
    let exchange = stats["recent_requests"].as_array().expect("recent").iter().find(|r| r["grant_type"] == TOKEN_EXCHANGE).cloned();
    assert_eq!(exchange.as_ref().and_then(|r| r["client_auth"].as_str()), Some("bearer"));
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_errors_arrive_typed() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let code = |result: Result<oauth_api::token::AccessToken, TokenError>| match result {
        Err(TokenError::OAuth { status, error }) => (status, error.error),
        other => panic!("expected an OAuth error, got {other:?}"),
    };
    let wrong_secret = provider.client_credentials(ClientAuth::basic("root", "wrong")).build();
    assert_eq!(code(wrong_secret.token().await), (401, ErrorCode::InvalidClient));
    let bad_scope = provider.client_credentials(root()).scope("no-such-scope").build();
    assert_eq!(code(bad_scope.token().await), (400, ErrorCode::InvalidScope));
    let wrong_password = Password::builder(provider.token_url(), root(), "alice", "wrong").build();
    assert_eq!(code(wrong_password.token().await), (400, ErrorCode::InvalidGrant));
}

#[tokio::test]
#[ignore = "needs an oidc-provider at OIDC_PROVIDER_URL: ./tests/run.sh runs these"]
async fn oidc_revocation() {
    let _turn = TURNS.lock().await;
    let Some(provider) = Provider::get().await else { return };
    let source = alice(&provider);
    assert_eq!(provider.resource(&source).await, 200);
    let access = source.token().await.expect("token");
    let auth = ClientAuth::basic("interop-basic", "interop-basic-secret");
    source.revoke(&provider.revocation(auth)).await.expect("revoked");
    assert_eq!(source.tokens(), None);
    let status =
        provider.http.get(provider.url("__resource")).bearer_auth(access.secret().expose()).send().await.expect("resource").status();
    assert_eq!(status.as_u16(), 401);
}
