//! End to end: the generated Polaris client against the generated router serving the
//! reference implementation, over loopback, checking both the wire and the typed results.

use axum::http::header;
use generated::polaris::client::{Client, Error, ResponseValue};
use generated::polaris::server::{self, Credentials};
use generated::polaris::{
    GetTokenError, OAuthClientCredentialsRequest, OAuthClientCredentialsRequestGrantType,
    OAuthError, OAuthErrorError, OAuthTokenExchangeRequest, OAuthTokenExchangeRequestGrantType,
    OAuthTokenRequest, OAuthTokenResponse, OAuthTokenResponseTokenType, TokenType,
};
use oauth_api_tests::harness::{self, TestServer};
use oauth_api_tests::reference::polaris::{
    Polaris, DEFAULT_SCOPE, ROOT_CLIENT, TOKEN_LIFETIME, UNAVAILABLE_SCOPE,
};

const FORM: &str = "application/x-www-form-urlencoded";
const PATH: &str = "/v1/oauth/tokens";
const EXCHANGE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token";

async fn start(api: &Polaris) -> (TestServer, Client) {
    let server = TestServer::start(server::router(api.clone())).await;
    let client = Client::new(server.url()).expect("client");
    (server, client)
}

fn client_credentials(id: &str, secret: &str, scope: Option<&str>) -> OAuthTokenRequest {
    OAuthTokenRequest::ClientCredentials(OAuthClientCredentialsRequest {
        grant_type: OAuthClientCredentialsRequestGrantType::ClientCredentials,
        scope: scope.map(str::to_string),
        client_id: id.to_string(),
        client_secret: secret.to_string(),
    })
}

fn exchange(subject: &str, scope: Option<&str>) -> OAuthTokenExchangeRequest {
    OAuthTokenExchangeRequest {
        grant_type: OAuthTokenExchangeRequestGrantType::TokenExchange,
        scope: scope.map(str::to_string),
        requested_token_type: None,
        subject_token: subject.to_string(),
        subject_token_type: TokenType::AccessToken,
        actor_token: None,
        actor_token_type: None,
    }
}

/// The status and typed body of an `Error::Api`, or a panic naming what came instead.
fn api_error<T: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<GetTokenError>>,
) -> (u16, GetTokenError) {
    match result {
        Err(Error::Api(response)) => (response.status(), response.into_inner()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn oauth_error(error: OAuthErrorError, description: &str) -> OAuthError {
    OAuthError {
        error,
        error_description: Some(description.to_string()),
        error_uri: None,
    }
}

/// A token for the root client, with the request that got it forgotten.
async fn root_token(server: &TestServer, client: &Client) -> String {
    let request = client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1, None);
    let token = client
        .get_token(&request)
        .await
        .expect("root token")
        .into_inner()
        .access_token;
    server.take_requests();
    token
}

#[tokio::test]
async fn client_credentials_in_the_body() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;

    let response = client
        .get_token(&client_credentials(
            ROOT_CLIENT.0,
            ROOT_CLIENT.1,
            Some(DEFAULT_SCOPE),
        ))
        .await
        .expect("token");

    let wire = server.take_one();
    assert_eq!(wire.method, "POST");
    assert_eq!(wire.path, PATH);
    assert_eq!(wire.query, None);
    assert_eq!(wire.content_type(), Some(FORM));
    assert_eq!(wire.header("authorization"), None);
    assert_eq!(
        wire.body_text(),
        "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL&client_id=root&client_secret=s3cr3t"
    );

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let token: OAuthTokenResponse = response.into_inner();
    assert!(
        token.access_token.starts_with("pol_at_"),
        "{}",
        token.access_token
    );
    assert_eq!(token.token_type, OAuthTokenResponseTokenType::Bearer);
    assert_eq!(token.expires_in, Some(TOKEN_LIFETIME));
    assert_eq!(token.scope.as_deref(), Some(DEFAULT_SCOPE));
    assert_eq!(token.issued_token_type, None);
    assert_eq!(token.refresh_token, None);
    assert_eq!(
        api.grant_of(&token.access_token),
        Some(("root".to_string(), DEFAULT_SCOPE.to_string()))
    );
    assert_eq!(api.last_credentials(), None);
    server.stop().await;
}

#[tokio::test]
async fn client_credentials_as_http_basic_are_form_encoded_first() {
    // RFC 6749 §2.3.1: id and secret are form-encoded, then joined by `:` and base64-encoded.
    let (id, secret) = ("a b:c%", "p@ss w/rd+&=é");
    let api = Polaris::new().with_client(id, secret);
    let (server, client) = start(&api).await;
    let client = client.with_client_credentials(id, secret);

    let response = client
        .get_token(&client_credentials("", "", None))
        .await
        .expect("token");

    let wire = server.take_one();
    let (encoded_id, encoded_secret) = ("a+b%3Ac%25", "p%40ss+w%2Frd%2B%26%3D%C3%A9");
    assert_eq!(
        wire.basic_auth(),
        Some((encoded_id.to_string(), encoded_secret.to_string()))
    );
    assert_eq!(
        wire.header("authorization"),
        Some("Basic YStiJTNBYyUyNTpwJTQwc3MrdyUyRnJkJTJCJTI2JTNEJUMzJUE5")
    );
    assert_eq!(
        wire.header("authorization").map(str::to_string),
        Some(harness::basic(encoded_id, encoded_secret))
    );
    assert_eq!(wire.content_type(), Some(FORM));
    assert_eq!(
        wire.body_text(),
        "grant_type=client_credentials&client_id=&client_secret="
    );

    // The router form-decodes them back before the implementation sees them.
    let seen = Credentials::Basic {
        username: id.to_string(),
        password: secret.to_string(),
    };
    assert_eq!(api.last_credentials(), Some(seen));
    assert_eq!(response.status(), 200);
    let token = response.into_inner();
    assert_eq!(
        api.grant_of(&token.access_token),
        Some((id.to_string(), DEFAULT_SCOPE.to_string()))
    );
    server.stop().await;
}

#[tokio::test]
async fn token_exchange_with_the_bearer_token() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let subject = root_token(&server, &client).await;
    let client = client.with_bearer_token(subject.clone());

    let mut request = exchange(&subject, Some("PRINCIPAL_ROLE:reader"));
    request.requested_token_type = Some(TokenType::AccessToken);
    let response = client
        .get_token(&OAuthTokenRequest::TokenExchange(request))
        .await
        .expect("exchange");

    let wire = server.take_one();
    assert_eq!((wire.method.as_str(), wire.path.as_str()), ("POST", PATH));
    assert_eq!(
        wire.header("authorization").map(str::to_string),
        Some(format!("Bearer {subject}"))
    );
    assert_eq!(wire.content_type(), Some(FORM));
    assert_eq!(
        wire.body_text(),
        format!(
            "grant_type={EXCHANGE}&scope=PRINCIPAL_ROLE%3Areader&requested_token_type={ACCESS_TOKEN_TYPE}\
             &subject_token={subject}&subject_token_type={ACCESS_TOKEN_TYPE}"
        )
    );
    assert_eq!(
        api.last_credentials(),
        Some(Credentials::Bearer(subject.clone()))
    );

    assert_eq!(response.status(), 200);
    let token = response.into_inner();
    assert_ne!(token.access_token, subject);
    assert_eq!(token.issued_token_type, Some(TokenType::AccessToken));
    assert_eq!(token.token_type, OAuthTokenResponseTokenType::Bearer);
    assert_eq!(token.scope.as_deref(), Some("PRINCIPAL_ROLE:reader"));
    let grant = api.grant_of(&token.access_token);
    assert_eq!(
        grant,
        Some(("root".to_string(), "PRINCIPAL_ROLE:reader".to_string()))
    );
    server.stop().await;
}

#[tokio::test]
async fn token_exchange_with_an_actor_token() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let subject = root_token(&server, &client).await;
    let actor = root_token(&server, &client).await;

    let mut request = exchange(&subject, None);
    request.actor_token = Some(actor.clone());
    request.actor_token_type = Some(TokenType::AccessToken);
    let token = client
        .get_token(&OAuthTokenRequest::TokenExchange(request))
        .await
        .expect("exchange");

    let wire = server.take_one();
    assert_eq!(
        wire.form(),
        vec![
            (
                "grant_type".to_string(),
                "urn:ietf:params:oauth:grant-type:token-exchange".to_string()
            ),
            ("subject_token".to_string(), subject.clone()),
            (
                "subject_token_type".to_string(),
                "urn:ietf:params:oauth:token-type:access_token".to_string()
            ),
            ("actor_token".to_string(), actor),
            (
                "actor_token_type".to_string(),
                "urn:ietf:params:oauth:token-type:access_token".to_string()
            ),
        ]
    );
    assert_eq!(wire.header("authorization"), None);
    assert_eq!(token.issued_token_type, Some(TokenType::AccessToken));
    assert_eq!(token.scope.as_deref(), Some(DEFAULT_SCOPE));
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_an_unknown_subject_token() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;

    let request = OAuthTokenRequest::TokenExchange(exchange("pol_at_forged", None));
    let (status, error) = api_error(client.get_token(&request).await);

    assert_eq!(status, 400);
    let expected = oauth_error(OAuthErrorError::InvalidGrant, "unknown subject_token");
    assert_eq!(error, GetTokenError::BadRequest(expected));
    assert_eq!(
        server.take_one().body_text(),
        format!(
        "grant_type={EXCHANGE}&subject_token=pol_at_forged&subject_token_type={ACCESS_TOKEN_TYPE}"
    )
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_an_invalid_scope() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;

    let request = client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1, Some("catalog:write"));
    let (status, error) = api_error(client.get_token(&request).await);

    assert_eq!(status, 400);
    let expected = oauth_error(
        OAuthErrorError::InvalidScope,
        "scope `catalog:write` is not PRINCIPAL_ROLE:<role>",
    );
    assert_eq!(error, GetTokenError::BadRequest(expected));
    server.stop().await;
}

#[tokio::test]
async fn bad_request_from_the_router_when_credentials_come_twice() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let client = client.with_client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1);

    let request = client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1, None);
    let (status, error) = api_error(client.get_token(&request).await);

    assert_eq!(status, 400);
    let GetTokenError::BadRequest(body) = error else {
        panic!("expected BadRequest, got {error:?}")
    };
    assert_eq!(body.error, OAuthErrorError::InvalidRequest);
    assert!(
        body.error_description
            .as_deref()
            .is_some_and(|d| d.contains("RFC 6749 §2.3")),
        "{body:?}"
    );
    assert_eq!(
        api.calls(),
        0,
        "the router must reject it before the implementation"
    );
    let wire = server.take_one();
    assert_eq!(
        wire.basic_auth(),
        Some(("root".to_string(), "s3cr3t".to_string()))
    );
    server.stop().await;
}

#[tokio::test]
async fn unauthorized_for_a_wrong_secret() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;

    let (status, error) = api_error(
        client
            .get_token(&client_credentials("root", "wrong", None))
            .await,
    );

    assert_eq!(status, 401);
    let expected = oauth_error(
        OAuthErrorError::InvalidClient,
        "client authentication failed",
    );
    assert_eq!(error, GetTokenError::Unauthorized(expected));
    assert_eq!(api.calls(), 1);
    server.stop().await;
}

#[tokio::test]
async fn server_error_keeps_its_5xx_status() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;

    let request = client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1, Some(UNAVAILABLE_SCOPE));
    let result = client.get_token(&request).await;
    assert_eq!(result.as_ref().err().and_then(Error::status), Some(503));
    let (status, error) = api_error(result);

    assert_eq!(status, 503);
    let body = oauth_error(
        OAuthErrorError::InvalidRequest,
        "the catalog is in maintenance, retry later",
    );
    assert_eq!(error, GetTokenError::ServerError { status: 503, body });
    server.stop().await;
}

#[tokio::test]
async fn an_undeclared_status_keeps_the_raw_response() {
    let server = TestServer::canned(
        418,
        &[("content-type", "application/json")],
        br#"{"access_token":"t-418"}"#,
    )
    .await;
    let client = Client::new(server.url()).expect("client");

    match client
        .get_token(&client_credentials("root", "s3cr3t", None))
        .await
    {
        Err(Error::UnexpectedStatus(raw)) => {
            assert_eq!(raw.status, 418);
            assert_eq!(raw.body, br#"{"access_token":"t-418"}"#);
            assert_eq!(raw.headers[header::CONTENT_TYPE], "application/json");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn an_undeclared_redirect_is_not_followed() {
    let server = TestServer::canned(302, &[("location", "/v1/oauth/tokens?followed=1")], b"").await;
    let client = Client::new(server.url()).expect("client");

    match client
        .get_token(&client_credentials("root", "s3cr3t", None))
        .await
    {
        Err(Error::UnexpectedStatus(raw)) => {
            assert_eq!(raw.status, 302);
            assert_eq!(raw.headers[header::LOCATION], "/v1/oauth/tokens?followed=1");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(
        server.take_requests().len(),
        1,
        "the redirect must not be followed"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_is_an_invalid_response() {
    let server = TestServer::canned(
        200,
        &[("content-type", "application/json")],
        br#"{"access_token":42,"token_type":"bearer"}"#,
    )
    .await;
    let client = Client::new(server.url()).expect("client");

    match client
        .get_token(&client_credentials("root", "s3cr3t", None))
        .await
    {
        Err(Error::InvalidResponse(raw, message)) => {
            assert_eq!(raw.status, 200);
            assert_eq!(raw.body, br#"{"access_token":42,"token_type":"bearer"}"#);
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn a_5xx_body_that_does_not_decode_is_an_invalid_response() {
    let server = TestServer::canned(
        502,
        &[("content-type", "text/html")],
        b"<html>bad gateway</html>",
    )
    .await;
    let client = Client::new(server.url()).expect("client");

    match client
        .get_token(&client_credentials("root", "s3cr3t", None))
        .await
    {
        Err(Error::InvalidResponse(raw, _)) => {
            assert_eq!(raw.status, 502);
            assert_eq!(raw.body, b"<html>bad gateway</html>");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);
    let client = Client::new(url).expect("client");

    let result = client
        .get_token(&client_credentials("root", "s3cr3t", None))
        .await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(result.err().and_then(|e| e.status()), None);
}
