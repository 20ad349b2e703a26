//! For each API: the macro's client talks to the macro's server over 127.0.0.1.
#![deny(warnings)]

use std::future::Future;
use std::time::Duration;

use external_crate::{confluent, nutanix, polaris, treezor};

/// Serves `router` on a free port of 127.0.0.1, runs `client` with the server's base URL, then
/// shuts the server down gracefully. The whole exchange is bounded by a timeout.
async fn with_server<F, Fut>(router: axum::Router, client: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds 127.0.0.1");
    let base_url = format!("http://{}", listener.local_addr().expect("a local address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    tokio::time::timeout(Duration::from_secs(30), client(base_url))
        .await
        .expect("the exchange finishes in time");
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
    ) -> Result<polaris::OAuthTokenResponse, polaris::GetTokenError> {
        let polaris::OAuthTokenRequest::ClientCredentials(body) = request.body else {
            return Err(polaris::GetTokenError::BadRequest(polaris::OAuthError {
                error: polaris::OAuthErrorError::UnsupportedGrantType,
                error_description: None,
                error_uri: None,
            }));
        };
        if (body.client_id.as_str(), body.client_secret.as_str()) != ("catalog", "s3cret") {
            return Err(polaris::GetTokenError::Unauthorized(polaris::OAuthError {
                error: polaris::OAuthErrorError::InvalidClient,
                error_description: Some("unknown client".into()),
                error_uri: None,
            }));
        }
        Ok(polaris::OAuthTokenResponse {
            access_token: format!("token-for-{}", body.client_id),
            token_type: polaris::OAuthTokenResponseTokenType::Bearer,
            expires_in: Some(3600),
            issued_token_type: Some(polaris::TokenType::AccessToken),
            refresh_token: None,
            scope: body.scope,
        })
    }
}

fn polaris_request(secret: &str) -> polaris::OAuthTokenRequest {
    polaris::OAuthTokenRequest::ClientCredentials(polaris::OAuthClientCredentialsRequest {
        grant_type: polaris::OAuthClientCredentialsRequestGrantType::ClientCredentials,
        scope: Some("PRINCIPAL_ROLE:ALL".into()),
        client_id: "catalog".into(),
        client_secret: secret.into(),
    })
}

#[tokio::test]
async fn polaris_client_against_server() {
    with_server(polaris::server::router(Polaris), |base_url| async move {
        let client = polaris::Client::new(base_url).expect("a client");
        let token = client
            .get_token(&polaris_request("s3cret"))
            .await
            .expect("a token")
            .into_inner();
        assert_eq!(token.access_token, "token-for-catalog");
        assert_eq!(token.scope.as_deref(), Some("PRINCIPAL_ROLE:ALL"));
        assert_eq!(token.token_type, polaris::OAuthTokenResponseTokenType::Bearer);

        match client.get_token(&polaris_request("wrong")).await {
            Err(polaris::client::Error::Api(response)) => {
                assert_eq!(response.status(), 401);
                let polaris::GetTokenError::Unauthorized(error) = response.into_inner() else {
                    panic!("expected the declared 401")
                };
                assert_eq!(error.error, polaris::OAuthErrorError::InvalidClient);
            }
            other => panic!("expected a 401, got {other:?}"),
        }
    })
    .await;
}

struct Confluent;

impl confluent::server::Api for Confluent {
    async fn exchange_sts_v1_oauth_token(
        &self,
        request: confluent::server::ExchangeStsV1OauthTokenRequest,
    ) -> Result<confluent::StsV1TokenExchangeReply, confluent::ExchangeStsV1OauthTokenError> {
        assert_eq!(request.body.identity_pool_id, "pool-1");
        Ok(confluent::StsV1TokenExchangeReply {
            access_token: format!("sts-{}", request.body.subject_token),
            issued_token_type: confluent::StsV1TokenExchangeReplyIssuedTokenType::AccessToken,
            token_type: confluent::StsV1TokenExchangeReplyTokenType::Bearer,
            expires_in: request.body.expires_in,
        })
    }
}

#[tokio::test]
async fn confluent_client_against_server() {
    with_server(confluent::server::router(Confluent), |base_url| async move {
        let client = confluent::Client::new(base_url).expect("a client");
        let body = confluent::ExchangeStsV1OauthTokenBody {
            api_version: None,
            kind: None,
            id: None,
            metadata: None,
            grant_type: confluent::StsV1TokenExchangeRequestGrantType::TokenExchange,
            subject_token: "jwt".into(),
            identity_pool_id: "pool-1".into(),
            subject_token_type: confluent::StsV1TokenExchangeRequestSubjectTokenType::Jwt,
            requested_token_type: confluent::StsV1TokenExchangeRequestRequestedTokenType::AccessToken,
            expires_in: 900,
        };
        let reply = client
            .exchange_sts_v1_oauth_token(&body)
            .await
            .expect("a reply")
            .into_inner();
        assert_eq!(reply.access_token, "sts-jwt");
        assert_eq!(reply.expires_in, 900);
    })
    .await;
}

struct Nutanix;

const NOT_CALLED: &str = "not called by this test";

impl nutanix::server::Api for Nutanix {
    async fn oauth_adfs_login_get(
        &self,
        _: nutanix::server::OauthAdfsLoginGetRequest,
    ) -> Result<nutanix::OauthAdfsLoginGetSuccess, std::convert::Infallible> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_authorize_post(
        &self,
        _: nutanix::server::OauthAuthorizePostRequest,
    ) -> Result<nutanix::OauthAuthorizePostSuccess, nutanix::OauthAuthorizePostError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_client_client_id_delete(
        &self,
        _: nutanix::server::OauthClientClientIdDeleteRequest,
    ) -> Result<nutanix::OauthClientResponse, nutanix::OauthClientClientIdDeleteError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_client_client_id_get(
        &self,
        request: nutanix::server::OauthClientClientIdGetRequest,
    ) -> Result<nutanix::OauthClientResponse, nutanix::OauthClientClientIdGetError> {
        assert_eq!(
            request.credentials,
            nutanix::server::Credentials::Basic {
                username: "admin".into(),
                password: "pa:ss word".into()
            }
        );
        if request.client_id != "app 1" {
            return Err(nutanix::OauthClientClientIdGetError::NotFound(
                nutanix::OauthClientStatus {
                    code: Some(404),
                    ..Default::default()
                },
            ));
        }
        Ok(nutanix::OauthClientResponse {
            client_name: "App".into(),
            redirect_uris: vec!["https://app.example/callback".into()],
            client_description: "An app".into(),
            default_scopes: vec!["read".into()],
            client_id: request.client_id,
            client_secret: "secret".into(),
        })
    }
    async fn oauth_client_client_id_put(
        &self,
        _: nutanix::server::OauthClientClientIdPutRequest,
    ) -> Result<nutanix::OauthClientResponse, nutanix::OauthClientClientIdPutError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_client_list_post(
        &self,
        _: nutanix::server::OauthClientListPostRequest,
    ) -> Result<nutanix::OauthClientList, nutanix::OauthClientListPostError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_client_post(
        &self,
        _: nutanix::server::OauthClientPostRequest,
    ) -> Result<nutanix::OauthClientResponse, nutanix::OauthClientPostError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_generate_token_post(
        &self,
        _: nutanix::server::OauthGenerateTokenPostRequest,
    ) -> Result<nutanix::OauthGenerateTokenResponse, nutanix::OauthGenerateTokenPostError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_idp_callback_get(
        &self,
        _: nutanix::server::OauthIdpCallbackGetRequest,
    ) -> Result<nutanix::OauthIdpCallbackGetSuccess, std::convert::Infallible> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_idp_login_get(
        &self,
        _: nutanix::server::OauthIdpLoginGetRequest,
    ) -> Result<nutanix::OauthIdpLoginGetSuccess, std::convert::Infallible> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_revoke_token_post(
        &self,
        _: nutanix::server::OauthRevokeTokenPostRequest,
    ) -> Result<nutanix::OauthStatus, nutanix::OauthRevokeTokenPostError> {
        unreachable!("{NOT_CALLED}")
    }
    async fn oauth_token_post(
        &self,
        _: nutanix::server::OauthTokenPostRequest,
    ) -> Result<nutanix::ProviderOauthToken, nutanix::OauthTokenPostError> {
        unreachable!("{NOT_CALLED}")
    }
}

#[tokio::test]
async fn nutanix_client_against_server() {
    assert!(
        nutanix::DEFAULT_BASE_URL.starts_with("https://"),
        "the user's item is kept"
    );
    with_server(nutanix::server::router(Nutanix), |base_url| async move {
        let client = nutanix::Client::new(base_url)
            .expect("a client")
            .with_basic_auth("admin", "pa:ss word");
        let app = client
            .oauth_client_client_id_get("app 1")
            .await
            .expect("the client")
            .into_inner();
        assert_eq!(app.client_id, "app 1");
        assert_eq!(app.default_scopes, ["read"]);

        match client.oauth_client_client_id_get("other").await {
            Err(nutanix::client::Error::Api(response)) => {
                assert_eq!(response.status(), 404);
                let nutanix::OauthClientClientIdGetError::NotFound(status) = response.into_inner() else {
                    panic!("expected the declared 404")
                };
                assert_eq!(status.code, Some(404));
            }
            other => panic!("expected a 404, got {other:?}"),
        }
    })
    .await;
}

struct Treezor;

impl treezor::server::Api for Treezor {
    async fn put_auth(
        &self,
        request: treezor::server::PutAuthRequest,
    ) -> Result<treezor::PutAuth200Response, treezor::PutAuthError> {
        let treezor::PutAuthBody::ClientCredentials(body) = request.body else {
            panic!("expected a client credentials grant, got {:?}", request.body)
        };
        assert_eq!(body.grant_type, "client_credentials");
        Ok(treezor::PutAuth200Response::ClientCredentials(
            treezor::ClientCredentialsTokenResponse {
                access_token: Some(format!("jwt-{}", body.client_id.unwrap_or_default())),
                ..Default::default()
            },
        ))
    }
}

#[tokio::test]
async fn treezor_client_against_server() {
    with_server(treezor::server::router(Treezor), |base_url| async move {
        let client = treezor::Client::new(base_url).expect("a client");
        let body = treezor::PutAuthBody::ClientCredentials(treezor::ClientCredentialsGrantRequest {
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
