//! End to end: the generated Polaris client against the generated router serving the
//! reference implementation, over loopback, checking both the wire and the typed results.

use axum::http::header;
use generated::polaris::client::{Client, Error, ResponseValue};
use generated::polaris::server::{self, ClientAuth, Credentials};
use generated::polaris::{
    GetTokenError, OAuthClientCredentialsRequest, OAuthError, OAuthErrorError,
    OAuthTokenExchangeRequest, OAuthTokenRequest, OAuthTokenResponse, OAuthTokenResponseTokenType,
    TokenType,
};
use oauth_api::oauth::ErrorCode;
use oauth_api::Secret;
use oauth_api_tests::harness::{self, TestServer};
use oauth_api_tests::reference::polaris::{
    Polaris, DEFAULT_SCOPE, ROOT_CLIENT, TOKEN_LIFETIME, UNAVAILABLE_SCOPE,
};

const FORM: &str = "application/x-www-form-urlencoded";
const PATH: &str = "/v1/oauth/tokens";
const REALM: &str =
    "Basic realm=\"Apache Polaris / Iceberg REST Catalog API - OAuth2 token endpoint\"";
const EXCHANGE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token";

async fn start(api: &Polaris) -> (TestServer, Client) {
    let server = TestServer::start(server::router(api.clone())).await;
    let client = Client::new(server.url()).expect("client");
    (server, client)
}

/// A client credentials request with the client's id and secret in the body.
fn client_credentials(id: &str, secret: &str, scope: Option<&str>) -> OAuthTokenRequest {
    OAuthClientCredentialsRequest {
        scope: scope.map(str::to_string),
        client_id: Some(id.to_string()),
        client_secret: Some(secret.to_string()),
        ..OAuthClientCredentialsRequest::new()
    }
    .into()
}

/// A client credentials request without client credentials (they come from the client).
fn bare_client_credentials(scope: Option<&str>) -> OAuthTokenRequest {
    OAuthClientCredentialsRequest {
        scope: scope.map(str::to_string),
        ..OAuthClientCredentialsRequest::new()
    }
    .into()
}

fn exchange(subject: &str, scope: Option<&str>) -> OAuthTokenExchangeRequest {
    OAuthTokenExchangeRequest {
        scope: scope.map(str::to_string),
        ..OAuthTokenExchangeRequest::new(subject, TokenType::AccessToken)
    }
}

/// The status and typed body of an `Error::Api`, or a panic naming what came instead.
fn api_error<T: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<GetTokenError>>,
) -> (u16, GetTokenError) {
    match result {
        Err(Error::Api(api)) => (api.status(), api.into_value()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn oauth_error(error: OAuthErrorError, description: &str) -> OAuthError {
    OAuthError {
        error_description: Some(description.to_string()),
        ..OAuthError::new(error)
    }
}

/// A raw form POST to the token endpoint, for requests the generated client never sends.
async fn post_raw(
    server: &TestServer,
    authorization: Option<&str>,
    form: &str,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("{}{PATH}", server.url()))
        .header("content-type", FORM)
        .body(form.to_string());
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.send().await.expect("raw request")
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
    // RFC 6749 §5.1: token responses are not cached.
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(response.headers()[header::PRAGMA], "no-cache");
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
    // The router hands the body credentials over as the client's authentication.
    assert_eq!(api.last_client(), Some(ClientAuth::post("root", "s3cr3t")));
    server.stop().await;
}

#[tokio::test]
async fn client_credentials_in_the_body_from_the_client_configuration() {
    // `client_secret_post`: the client puts its credentials in the body, the caller does not.
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let client = client.with_client_auth(ClientAuth::post(ROOT_CLIENT.0, ROOT_CLIENT.1));

    let response = client
        .get_token(&bare_client_credentials(Some(DEFAULT_SCOPE)))
        .await
        .expect("token");

    let wire = server.take_one();
    assert_eq!(wire.header("authorization"), None);
    assert_eq!(
        wire.body_text(),
        "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL&client_id=root&client_secret=s3cr3t"
    );
    assert_eq!(response.status(), 200);
    assert_eq!(api.last_client(), Some(ClientAuth::post("root", "s3cr3t")));
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
        .get_token(&bare_client_credentials(None))
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
    // With HTTP Basic, the body carries no client credentials (RFC 6749 §2.3: one method).
    assert_eq!(wire.body_text(), "grant_type=client_credentials");

    // The router form-decodes them back before the implementation sees them.
    let seen = Credentials::Basic {
        username: id.to_string(),
        password: Secret::new(secret),
    };
    assert_eq!(api.last_credentials(), Some(seen));
    assert_eq!(api.last_client(), Some(ClientAuth::basic(id, secret)));
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
        Some(Credentials::Bearer(Secret::new(subject.clone())))
    );
    assert_eq!(api.last_client(), None);

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
async fn a_client_with_both_credentials_uses_the_one_each_grant_asks_for() {
    // Client credentials authenticate the client (HTTP Basic); a token exchange uses the
    // operation's own requirement, the catalog's Bearer token, when it is configured.
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let subject = root_token(&server, &client).await;
    let client = client
        .with_bearer_token(subject.clone())
        .with_client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1);

    client
        .get_token(&bare_client_credentials(None))
        .await
        .expect("client credentials");
    let wire = server.take_one();
    assert_eq!(
        wire.basic_auth(),
        Some((ROOT_CLIENT.0.to_string(), ROOT_CLIENT.1.to_string()))
    );
    assert_eq!(wire.body_text(), "grant_type=client_credentials");

    client
        .get_token(&exchange(&subject, None).into())
        .await
        .expect("exchange");
    let wire = server.take_one();
    assert_eq!(
        wire.header("authorization").map(str::to_string),
        Some(format!("Bearer {subject}"))
    );
    assert!(
        !wire.body_text().contains("client_"),
        "{}",
        wire.body_text()
    );
    server.stop().await;
}

#[tokio::test]
async fn token_exchange_with_an_actor_token() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let subject = root_token(&server, &client).await;
    let actor = root_token(&server, &client).await;
    // Without a Bearer token, the exchange is authenticated by the client (in the body).
    let client = client.with_client_auth(ClientAuth::post(ROOT_CLIENT.0, ROOT_CLIENT.1));

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
            ("client_id".to_string(), ROOT_CLIENT.0.to_string()),
            ("client_secret".to_string(), ROOT_CLIENT.1.to_string()),
        ]
    );
    assert_eq!(wire.header("authorization"), None);
    assert_eq!(token.issued_token_type, Some(TokenType::AccessToken));
    assert_eq!(token.scope.as_deref(), Some(DEFAULT_SCOPE));
    server.stop().await;
}

#[tokio::test]
async fn unauthorized_from_the_router_without_any_authentication() {
    // The operation requires a Bearer token or client authentication (RFC 6749 §2.3): a
    // request with neither gets `401 invalid_client` with a challenge before the
    // implementation sees it.
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let subject = root_token(&server, &client).await;

    for request in [
        bare_client_credentials(None),
        exchange(&subject, None).into(),
    ] {
        let result = client.get_token(&request).await;
        let challenge = result
            .as_ref()
            .err()
            .and_then(Error::headers)
            .and_then(|h| h.get(header::WWW_AUTHENTICATE))
            .map(|v| v.to_str().expect("text").to_string());
        assert_eq!(challenge.as_deref(), Some(REALM));
        let (status, error) = api_error(result);
        assert_eq!(status, 401);
        let GetTokenError::Unauthorized(body) = error else {
            panic!("expected Unauthorized, got {error:?}")
        };
        assert_eq!(body.error, OAuthErrorError::InvalidClient);
    }
    assert_eq!(api.calls(), 1, "only the root token request reached it");
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_an_unknown_subject_token() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let bearer = root_token(&server, &client).await;
    let client = client.with_bearer_token(bearer);

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
async fn unauthorized_for_an_inactive_bearer_token() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let subject = root_token(&server, &client).await;
    let client = client.with_bearer_token("pol_at_forged");

    let (status, error) = api_error(client.get_token(&exchange(&subject, None).into()).await);

    assert_eq!(status, 401);
    let expected = oauth_error(
        OAuthErrorError::InvalidClient,
        "the bearer token is not an active token",
    );
    assert_eq!(error, GetTokenError::Unauthorized(expected));
    server.stop().await;
}

#[tokio::test]
async fn client_credentials_need_client_authentication_not_a_bearer_token() {
    // The router lets a Bearer token through (the operation's security requirement); the
    // client credentials grant still needs the client's authentication (RFC 6749 §4.4.2).
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let bearer = root_token(&server, &client).await;

    let response = post_raw(
        &server,
        Some(&format!("Bearer {bearer}")),
        "grant_type=client_credentials",
    )
    .await;

    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()[header::WWW_AUTHENTICATE], REALM);
    let body: OAuthError = response.json().await.expect("OAuthError");
    let expected = oauth_error(
        OAuthErrorError::InvalidClient,
        "the client credentials grant needs client authentication (RFC 6749 §4.4.2)",
    );
    assert_eq!(body, expected);
    assert_eq!(api.calls(), 2, "it reached the implementation");
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
async fn the_client_never_sends_credentials_twice() {
    // With HTTP Basic configured, `client_id`/`client_secret` left in the body are taken
    // out (RFC 6749 §2.3: one method per request).
    let api = Polaris::new();
    let (server, client) = start(&api).await;
    let client = client.with_client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1);

    let request = client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1, None);
    let response = client.get_token(&request).await.expect("token");

    let wire = server.take_one();
    assert_eq!(
        wire.basic_auth(),
        Some(("root".to_string(), "s3cr3t".to_string()))
    );
    assert_eq!(wire.body_text(), "grant_type=client_credentials");
    assert_eq!(response.status(), 200);
    assert_eq!(api.last_client(), Some(ClientAuth::basic("root", "s3cr3t")));
    server.stop().await;
}

#[tokio::test]
async fn bad_request_from_the_router_when_credentials_come_twice() {
    let api = Polaris::new();
    let (server, _) = start(&api).await;
    let basic = harness::basic("root", "s3cr3t");

    let response = post_raw(
        &server,
        Some(&basic),
        "grant_type=client_credentials&client_id=root&client_secret=s3cr3t",
    )
    .await;

    assert_eq!(response.status(), 400);
    let body: OAuthError = response.json().await.expect("OAuthError");
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

    // RFC 6749 §3.2.1: the same `client_id` in the body as in Basic is fine; another is not.
    let same = post_raw(
        &server,
        Some(&basic),
        "grant_type=client_credentials&client_id=root",
    )
    .await;
    assert_eq!(same.status(), 200);
    assert_eq!(api.last_client(), Some(ClientAuth::basic("root", "s3cr3t")));
    let other = post_raw(
        &server,
        Some(&basic),
        "grant_type=client_credentials&client_id=bob",
    )
    .await;
    assert_eq!(other.status(), 400);
    let body: OAuthError = other.json().await.expect("OAuthError");
    assert_eq!(body.error, OAuthErrorError::InvalidRequest);
    assert_eq!(api.calls(), 1);
    server.stop().await;
}

#[tokio::test]
async fn basic_credentials_that_are_not_form_encoded_are_taken_as_they_came() {
    // RFC 6749 §2.3.1 asks clients to form-encode id and secret first; many do not. Text
    // that is not valid form-encoding (a bare `%`) reaches the implementation as it came.
    let api = Polaris::new().with_client("100%", "s3cr3t");
    let (server, _) = start(&api).await;

    let raw = |pair: &str| {
        use base64::Engine as _;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    };
    let ok = post_raw(
        &server,
        Some(&raw("100%:s3cr3t")),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(api.last_client(), Some(ClientAuth::basic("100%", "s3cr3t")));

    let unknown = post_raw(
        &server,
        Some(&raw("ro%ZZt:s3cr3t")),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(unknown.headers()[header::WWW_AUTHENTICATE], REALM);
    let body: OAuthError = unknown.json().await.expect("OAuthError");
    assert_eq!(
        body,
        oauth_error(
            OAuthErrorError::InvalidClient,
            "client authentication failed"
        )
    );
    assert_eq!(api.calls(), 2);
    server.stop().await;
}

#[tokio::test]
async fn tokens_carry_the_spec_token_type_and_are_not_cached() {
    let api = Polaris::new();
    let (server, _) = start(&api).await;

    let response = post_raw(
        &server,
        Some(&harness::basic("root", "s3cr3t")),
        "grant_type=client_credentials",
    )
    .await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(response.headers()[header::PRAGMA], "no-cache");
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(
        body["token_type"], "bearer",
        "as the spec spells it: {body}"
    );
    server.stop().await;
}

#[tokio::test]
async fn unauthorized_for_a_wrong_secret() {
    let api = Polaris::new();
    let (server, client) = start(&api).await;

    let result = client
        .get_token(&client_credentials("root", "wrong", None))
        .await;

    // A 401 the implementation returns carries a challenge too (RFC 6749 §5.2), and is
    // not cached.
    let error = result.as_ref().expect_err("401");
    let headers = error.headers().expect("a response");
    assert_eq!(headers[header::WWW_AUTHENTICATE], REALM);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(
        error.oauth_error().map(|e| e.error),
        Some(ErrorCode::InvalidClient)
    );
    assert_eq!(
        error.to_string(),
        "the API answered 401 Unauthorized: invalid_client: client authentication failed"
    );
    let (status, error) = api_error(result);
    assert_eq!(status, 401);
    let expected = oauth_error(
        OAuthErrorError::InvalidClient,
        "client authentication failed",
    );
    assert_eq!(error, GetTokenError::Unauthorized(expected));
    assert_eq!(api.calls(), 1);

    // An unknown client, and a public client (no secret), fail the same way.
    for request in [
        client_credentials("nobody", "s3cr3t", None),
        OAuthClientCredentialsRequest {
            client_id: Some("root".to_string()),
            ..OAuthClientCredentialsRequest::new()
        }
        .into(),
    ] {
        let (status, error) = api_error(client.get_token(&request).await);
        assert_eq!(status, 401);
        let expected = oauth_error(
            OAuthErrorError::InvalidClient,
            "client authentication failed",
        );
        assert_eq!(error, GetTokenError::Unauthorized(expected));
    }
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
async fn token_type_decodes_without_regard_to_case_and_keeps_unknown_values() {
    // RFC 6749 §5.1 / §7.1: real servers answer `Bearer`; `DPoP` (RFC 9449) is not in the spec.
    for (sent, expected) in [
        ("Bearer", OAuthTokenResponseTokenType::Bearer),
        ("BEARER", OAuthTokenResponseTokenType::Bearer),
        (
            "DPoP",
            OAuthTokenResponseTokenType::Other("DPoP".to_string()),
        ),
    ] {
        let body = format!(r#"{{"access_token":"t","token_type":"{sent}","expires_in":60}}"#);
        let server = TestServer::canned(
            200,
            &[("content-type", "application/json")],
            body.as_bytes(),
        )
        .await;
        let client = Client::new(server.url())
            .expect("client")
            .with_client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1);

        let token = client
            .get_token(&bare_client_credentials(None))
            .await
            .expect("decodes")
            .into_inner();

        assert_eq!(token.token_type, expected, "{sent}");
        server.stop().await;
    }
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
            assert_eq!(raw.status(), 418);
            assert_eq!(raw.body(), br#"{"access_token":"t-418"}"#);
            assert_eq!(raw.headers()[header::CONTENT_TYPE], "application/json");
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
            assert_eq!(raw.status(), 302);
            assert_eq!(
                raw.headers()[header::LOCATION],
                "/v1/oauth/tokens?followed=1"
            );
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
        Err(Error::InvalidResponse { response, reason }) => {
            assert_eq!(response.status(), 200);
            assert_eq!(
                response.body(),
                br#"{"access_token":42,"token_type":"bearer"}"#
            );
            assert!(reason.contains("invalid type"), "{reason}");
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
        Err(Error::InvalidResponse { response, .. }) => {
            assert_eq!(response.status(), 502);
            assert_eq!(response.body(), b"<html>bad gateway</html>");
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
