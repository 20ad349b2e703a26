//! For each API: the macro's client talks to the macro's server over 127.0.0.1. The crate
//! depends on `oauth-api` alone (plus tokio to run the servers).
#![deny(warnings)]

use std::future::Future;
use std::time::Duration;

use external_crate::{confluent, nutanix, polaris, treezor};
use oauth_api::server::axum;
use oauth_api::server::Failure;

/// Serves `router` on a free port of 127.0.0.1, runs `client` with the server's base URL, then
/// shuts the server down gracefully. The whole exchange is bounded by a timeout.
async fn with_server<F, Fut>(router: axum::Router, client: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds 127.0.0.1");
    let base_url = format!("http://{}", listener.local_addr().expect("a local address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    tokio::time::timeout(Duration::from_secs(30), client(base_url)).await.expect("the exchange finishes in time");
    stop.send(()).expect("the server is still running");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops in time")
        .expect("the server task did not panic")
        .expect("the server ran without error");
}

struct Polaris;

impl polaris::server::Api for Polaris {
    async fn get_token(
        &self,
        request: polaris::server::GetTokenRequest,
    ) -> Result<polaris::OAuthTokenResponse, Failure<polaris::GetTokenError>> {
        let polaris::OAuthTokenRequest::ClientCredentials(body) = request.body else {
            let error = polaris::OAuthError::new(polaris::OAuthErrorError::UnsupportedGrantType);
            return Err(polaris::GetTokenError::BadRequest(error).into());
        };
        // However the client sent its credentials (Basic here), they arrive as one.
        let client = request.client.expect("client authentication");
        if (client.client_id.as_str(), client.client_secret.as_ref().map(|s| s.expose())) != ("catalog", Some("s3cret")) {
            let mut error = polaris::OAuthError::new(polaris::OAuthErrorError::InvalidClient);
            error.error_description = Some("unknown client".into());
            return Err(polaris::GetTokenError::Unauthorized(error).into());
        }
        let mut token = polaris::OAuthTokenResponse::new(format!("token-for-{}", client.client_id), polaris::OAuthTokenResponseTokenType::Bearer);
        token.expires_in = Some(3600);
        token.scope = body.scope;
        Ok(token)
    }
}

#[tokio::test]
async fn polaris_client_against_server() {
    with_server(polaris::server::router(Polaris), |base_url| async move {
        let request = polaris::OAuthTokenRequest::from(polaris::OAuthClientCredentialsRequest {
            scope: Some("PRINCIPAL_ROLE:ALL".into()),
            ..Default::default()
        });
        let client = polaris::Client::new(&base_url).expect("a client").with_client_credentials("catalog", "s3cret");
        let token = client.get_token(&request).await.expect("a token").into_inner();
        assert_eq!(token.access_token, "token-for-catalog");
        assert_eq!(token.scope.as_deref(), Some("PRINCIPAL_ROLE:ALL"));
        assert_eq!(token.token_type, polaris::OAuthTokenResponseTokenType::Bearer);

        let wrong = polaris::Client::new(&base_url).expect("a client").with_client_credentials("catalog", "wrong");
        let error = wrong.get_token(&request).await.expect_err("a wrong secret is refused");
        assert_eq!(error.status(), Some(401));
        assert!(matches!(error.api_error(), Some(polaris::GetTokenError::Unauthorized(e)) if e.error == polaris::OAuthErrorError::InvalidClient));
        assert_eq!(error.to_string(), "the API answered 401 Unauthorized: invalid_client: unknown client");
    })
    .await;
}

struct Confluent;

impl confluent::server::Api for Confluent {
    async fn exchange_sts_v1_oauth_token(
        &self,
        request: confluent::server::ExchangeStsV1OauthTokenRequest,
    ) -> Result<confluent::StsV1TokenExchangeReply, Failure<confluent::ExchangeStsV1OauthTokenError>> {
        assert_eq!(request.body.identity_pool_id, "pool-1");
        Ok(confluent::StsV1TokenExchangeReply::new(
            format!("sts-{}", request.body.subject_token),
            confluent::StsV1TokenExchangeReplyIssuedTokenType::AccessToken,
            confluent::StsV1TokenExchangeReplyTokenType::Bearer,
            request.body.expires_in,
        ))
    }
}

#[tokio::test]
async fn confluent_client_against_server() {
    with_server(confluent::server::router(Confluent), |base_url| async move {
        let client = confluent::Client::new(base_url).expect("a client");
        let body = confluent::ExchangeStsV1OauthTokenBody::new(
            confluent::StsV1TokenExchangeRequestGrantType::TokenExchange,
            "jwt",
            "pool-1",
            confluent::StsV1TokenExchangeRequestSubjectTokenType::Jwt,
            confluent::StsV1TokenExchangeRequestRequestedTokenType::AccessToken,
        );
        let reply = client.exchange_sts_v1_oauth_token(&body).await.expect("a reply").into_inner();
        assert_eq!(reply.access_token, "sts-jwt");
        assert_eq!(reply.expires_in, 900);
    })
    .await;
}

/// Serves one of the twelve Nutanix operations: the others answer `501` by default.
struct Nutanix;

impl nutanix::server::Api for Nutanix {
    async fn oauth_client_client_id_get(
        &self,
        request: nutanix::server::OauthClientClientIdGetRequest,
    ) -> Result<nutanix::OauthClientResponse, Failure<nutanix::OauthClientClientIdGetError>> {
        let nutanix::server::Credentials::Basic { username, password } = &request.credentials else {
            panic!("expected Basic credentials, got {:?}", request.credentials)
        };
        assert_eq!((username.as_str(), password.expose()), ("admin", "pa:ss word"));
        if request.client_id != "app 1" {
            let status = nutanix::OauthClientStatus { code: Some(404), ..Default::default() };
            return Err(nutanix::OauthClientClientIdGetError::NotFound(status).into());
        }
        Ok(nutanix::OauthClientResponse::new(
            "App",
            vec!["https://app.example/callback".into()],
            "An app",
            vec!["read".into()],
            request.client_id,
            "secret",
        ))
    }
}

#[tokio::test]
async fn nutanix_client_against_server() {
    assert!(nutanix::DEFAULT_BASE_URL.starts_with("https://"), "the user's item is kept");
    with_server(nutanix::server::router(Nutanix), |base_url| async move {
        let client = nutanix::Client::new(base_url).expect("a client").with_basic_auth("admin", "pa:ss word");
        let app = client.oauth_client_client_id_get("app 1").await.expect("the client").into_inner();
        assert_eq!(app.client_id, "app 1");
        assert_eq!(app.default_scopes, ["read"]);

        let error = client.oauth_client_client_id_get("other").await.expect_err("no such client");
        assert_eq!(error.status(), Some(404));
        let Some(nutanix::OauthClientClientIdGetError::NotFound(status)) = error.api_error() else {
            panic!("expected the declared 404, got {error:?}")
        };
        assert_eq!(status.code, Some(404));

        // An operation the implementation does not serve: 501 with the API's error body.
        let error = client.oauth_idp_login_get().await.expect_err("not implemented");
        assert_eq!(error.status(), Some(501));
    })
    .await;
}

struct Treezor;

impl treezor::server::Api for Treezor {
    async fn put_auth(
        &self,
        request: treezor::server::PutAuthRequest,
    ) -> Result<treezor::PutAuth200Response, Failure<treezor::PutAuthError>> {
        let treezor::PutAuthBody::ClientCredentials(body) = request.body else {
            panic!("expected a client credentials grant, got {:?}", request.body)
        };
        assert_eq!(body.grant_type, "client_credentials");
        let client = request.client.expect("client authentication in the multipart body");
        Ok(treezor::PutAuth200Response::ClientCredentials(treezor::ClientCredentialsTokenResponse {
            access_token: Some(format!("jwt-{}", client.client_id)),
            ..Default::default()
        }))
    }
}

#[tokio::test]
async fn treezor_client_against_server() {
    with_server(treezor::server::router(Treezor), |base_url| async move {
        let client = treezor::Client::new(base_url).expect("a client");
        let body = treezor::PutAuthBody::from(treezor::ClientCredentialsGrantRequest {
            client_id: Some("929252".into()),
            client_secret: Some("secret".into()),
            ..Default::default()
        });
        let token = client.put_auth(&body).await.expect("a token").into_inner();
        let treezor::PutAuth200Response::ClientCredentials(token) = token else {
            panic!("expected a client credentials token, got {token:?}")
        };
        assert_eq!(token.access_token.as_deref(), Some("jwt-929252"));
        assert_eq!(token.token_type, "Bearer");
    })
    .await;
}
