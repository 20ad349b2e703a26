//! End to end: the generated Treezor client against the generated router serving the
//! reference implementation, over loopback: `multipart/form-data` on the wire, the three
//! grants, `400` and `default` errors.

use axum::http::header;
use generated::treezor::client::{Client, Error, ResponseValue};
use generated::treezor::server::{self, ClientAuth, Credentials};
use generated::treezor::{
    ClientCredentialsGrantRequest, DefaultError, DefaultErrorItem, PasswordGrantRequest,
    PutAuth200Response, PutAuthBody, PutAuthError, RefreshTokenGrantRequest,
};
use oauth_api::Secret;
use oauth_api_tests::harness::{self, Part, Recorded, TestServer};
use oauth_api_tests::reference::jwt_claims;
use oauth_api_tests::reference::treezor::{
    Treezor, CLIENT, DOC_URL, MAINTENANCE_SCOPE, TOKEN_LIFETIME, USER,
};

const PATH: &str = "/oauth/token";
const REALM: &str = "Basic realm=\"Treezor API - Authentication\"";

async fn start(api: &Treezor) -> (TestServer, Client) {
    let server = TestServer::start(server::router(api.clone())).await;
    let client = Client::new(server.url()).expect("client");
    (server, client)
}

fn password_grant() -> PutAuthBody {
    PasswordGrantRequest {
        client_id: Some(CLIENT.0.to_string()),
        client_secret: Some(CLIENT.1.to_string()),
        username: Some(USER.0.to_string()),
        password: Some(USER.1.to_string()),
        ..PasswordGrantRequest::new()
    }
    .into()
}

fn refresh_grant(token: &str) -> PutAuthBody {
    RefreshTokenGrantRequest {
        client_id: Some(CLIENT.0.to_string()),
        client_secret: Some(CLIENT.1.to_string()),
        refresh_token: Some(token.to_string()),
        ..RefreshTokenGrantRequest::new()
    }
    .into()
}

fn client_credentials_grant(scope: Option<&str>) -> PutAuthBody {
    ClientCredentialsGrantRequest {
        client_id: Some(CLIENT.0.to_string()),
        client_secret: Some(CLIENT.1.to_string()),
        scope: scope.map(str::to_string),
        ..ClientCredentialsGrantRequest::new()
    }
    .into()
}

fn multipart_form(fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    fields
        .iter()
        .fold(reqwest::multipart::Form::new(), |form, (name, value)| {
            form.text(name.to_string(), value.to_string())
        })
}

fn part(name: &str, value: &str) -> Part {
    Part {
        name: name.to_string(),
        content_type: None,
        value: value.to_string(),
    }
}

/// Checks method, path and that the body is `multipart/form-data` with exactly `parts`.
fn assert_multipart(wire: &Recorded, parts: &[Part]) {
    assert_eq!(
        (
            wire.method.as_str(),
            wire.path.as_str(),
            wire.query.as_deref()
        ),
        ("POST", PATH, None)
    );
    let content_type = wire.content_type().expect("content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert_eq!(wire.multipart(), parts);
}

fn api_error<T: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<PutAuthError>>,
) -> (u16, PutAuthError) {
    match result {
        Err(Error::Api(api)) => (api.status(), api.into_value()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn error_body(kind: &str, code: &str, message: &str) -> DefaultError {
    DefaultError {
        errors: Some(vec![DefaultErrorItem {
            r#type: Some(kind.to_string()),
            code: Some(code.to_string()),
            message: Some(message.to_string()),
            doc_url: Some(DOC_URL.to_string()),
        }]),
    }
}

/// Access and refresh token of a token response, whichever variant it decoded to.
fn tokens(response: &PutAuth200Response) -> (Option<String>, Option<String>) {
    match response {
        PutAuth200Response::ClientCredentials(r) => (r.access_token.clone(), None),
        PutAuth200Response::Password(r) => (r.access_token.clone(), r.refresh_token.clone()),
        PutAuth200Response::Refresh(r) => (r.access_token.clone(), r.refresh_token.clone()),
    }
}

#[tokio::test]
async fn client_credentials_grant_with_http_basic() {
    let (id, secret) = ("tz id:1%", "s e/c+r&t");
    let api = Treezor::new().with_client(id, secret);
    let (server, client) = start(&api).await;
    let client = client.with_client_credentials(id, secret);

    let body = PutAuthBody::ClientCredentials(ClientCredentialsGrantRequest {
        scope: Some("read_only admin".to_string()),
        ..ClientCredentialsGrantRequest::new()
    });
    let response = client.put_auth(&body).await.expect("token");

    let wire = server.take_one();
    assert_multipart(
        &wire,
        &[
            part("grant_type", "client_credentials"),
            part("scope", "read_only admin"),
        ],
    );
    assert_eq!(
        wire.basic_auth(),
        Some(("tz+id%3A1%25".to_string(), "s+e%2Fc%2Br%26t".to_string()))
    );
    assert_eq!(
        wire.header("authorization").map(str::to_string),
        Some(harness::basic("tz+id%3A1%25", "s+e%2Fc%2Br%26t"))
    );
    let seen = Credentials::Basic {
        username: id.to_string(),
        password: Secret::new(secret),
    };
    assert_eq!(api.last_credentials(), Some(seen));
    assert_eq!(api.last_client(), Some(ClientAuth::basic(id, secret)));

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(response.headers()[header::PRAGMA], "no-cache");
    let PutAuth200Response::ClientCredentials(token) = response.into_inner() else {
        panic!("expected ClientCredentials")
    };
    assert_eq!(
        (token.token_type.as_str(), token.expires_in),
        ("Bearer", TOKEN_LIFETIME)
    );
    let claims = jwt_claims(token.access_token.as_deref().expect("access token")).expect("a JWT");
    assert_eq!(
        (claims["sub"].as_str(), claims["scope"].as_str()),
        (Some(id), Some("read_only admin"))
    );
    server.stop().await;
}

#[tokio::test]
async fn password_grant_then_refresh_grant() {
    let api = Treezor::new();
    let (server, client) = start(&api).await;

    let response = client
        .put_auth(&password_grant())
        .await
        .expect("password grant");
    assert_multipart(
        &server.take_one(),
        &[
            part("grant_type", "password"),
            part("client_id", CLIENT.0),
            part("client_secret", CLIENT.1),
            part("username", USER.0),
            part("password", USER.1),
        ],
    );
    assert_eq!(api.last_credentials(), None);
    assert_eq!(
        api.last_client(),
        Some(ClientAuth::post(CLIENT.0, CLIENT.1))
    );
    assert_eq!(response.status(), 200);
    let PutAuth200Response::Password(token) = response.into_inner() else {
        panic!("expected Password")
    };
    assert_eq!(
        (token.token_type.as_str(), token.expires_in),
        ("Bearer", TOKEN_LIFETIME)
    );
    let claims = jwt_claims(token.access_token.as_deref().expect("access token")).expect("a JWT");
    assert_eq!(claims["sub"].as_str(), Some(USER.0));
    let refresh = token.refresh_token.expect("refresh token");
    assert!(api.is_active_refresh_token(&refresh));

    let response = client
        .put_auth(&refresh_grant(&refresh))
        .await
        .expect("refresh grant");
    assert_multipart(
        &server.take_one(),
        &[
            part("grant_type", "refresh_token"),
            part("client_id", CLIENT.0),
            part("client_secret", CLIENT.1),
            part("refresh_token", &refresh),
        ],
    );
    // The refresh and password responses have the same shape (an overlapping `oneOf`
    // without discriminator): either variant is a faithful decoding.
    let value = response.into_inner();
    assert!(
        matches!(
            value,
            PutAuth200Response::Password(_) | PutAuth200Response::Refresh(_)
        ),
        "{value:?}"
    );
    let (access, renewed) = tokens(&value);
    let renewed = renewed.expect("a new refresh token");
    assert_ne!(renewed, refresh);
    assert_eq!(
        jwt_claims(&access.expect("access token")).expect("a JWT")["sub"].as_str(),
        Some(USER.0)
    );
    assert!(
        !api.is_active_refresh_token(&refresh),
        "refresh tokens rotate"
    );

    let (status, error) = api_error(client.put_auth(&refresh_grant(&refresh)).await);
    assert_eq!(status, 400);
    assert_eq!(
        error,
        PutAuthError::BadRequest(error_body(
            "invalid_grant",
            "invalid_grant",
            "unknown refresh token"
        ))
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_a_wrong_password() {
    let api = Treezor::new();
    let (server, client) = start(&api).await;

    let PutAuthBody::Password(mut body) = password_grant() else {
        unreachable!()
    };
    body.password = Some("Tr0ub4dor&3".to_string());
    let (status, error) = api_error(client.put_auth(&PutAuthBody::Password(body)).await);

    assert_eq!(status, 400);
    let expected = error_body(
        "invalid_grant",
        "invalid_grant",
        "wrong user name or password",
    );
    assert_eq!(error, PutAuthError::BadRequest(expected));
    assert_eq!(
        server.take_one().multipart()[4],
        part("password", "Tr0ub4dor&3")
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_an_unsupported_grant_type() {
    // The body decodes by `grant_type`: the router refuses a grant the spec does not list
    // with `unsupported_grant_type` (RFC 6749 §5.2), before the implementation.
    let api = Treezor::new();
    let (server, client) = start(&api).await;

    let body = PutAuthBody::ClientCredentials(ClientCredentialsGrantRequest {
        grant_type: "authorization_code".to_string(),
        client_id: Some(CLIENT.0.to_string()),
        client_secret: Some(CLIENT.1.to_string()),
        scope: None,
    });
    let (status, error) = api_error(client.put_auth(&body).await);

    assert_eq!(status, 400);
    let message = "grant type `authorization_code` is not supported";
    let item = DefaultErrorItem {
        r#type: Some("unsupported_grant_type".to_string()),
        code: Some("unsupported_grant_type".to_string()),
        message: Some(message.to_string()),
        doc_url: None,
    };
    assert_eq!(
        error,
        PutAuthError::BadRequest(DefaultError {
            errors: Some(vec![item])
        })
    );
    assert_eq!(
        api.calls(),
        0,
        "the router must reject it before the implementation"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_client_never_sends_credentials_twice() {
    // With HTTP Basic configured, `client_id`/`client_secret` left in the body are taken
    // out (RFC 6749 §2.3: one method per request).
    let api = Treezor::new();
    let (server, client) = start(&api).await;
    let client = client.with_client_credentials(CLIENT.0, CLIENT.1);

    let response = client
        .put_auth(&client_credentials_grant(None))
        .await
        .expect("token");

    let wire = server.take_one();
    assert_multipart(&wire, &[part("grant_type", "client_credentials")]);
    assert_eq!(
        wire.basic_auth(),
        Some((CLIENT.0.to_string(), CLIENT.1.to_string()))
    );
    assert_eq!(response.status(), 200);
    assert_eq!(
        api.last_client(),
        Some(ClientAuth::basic(CLIENT.0, CLIENT.1))
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_request_from_the_router_when_credentials_come_twice() {
    let api = Treezor::new();
    let (server, _) = start(&api).await;

    let form = multipart_form(&[
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT.0),
        ("client_secret", CLIENT.1),
    ]);
    let response = reqwest::Client::new()
        .post(format!("{}{PATH}", server.url()))
        .header("authorization", harness::basic(CLIENT.0, CLIENT.1))
        .multipart(form)
        .send()
        .await
        .expect("raw request");

    assert_eq!(response.status(), 400);
    let body: DefaultError = response.json().await.expect("DefaultError");
    let item = &body.errors.as_deref().expect("errors")[0];
    assert_eq!(item.r#type.as_deref(), Some("invalid_request"));
    assert!(
        item.message
            .as_deref()
            .is_some_and(|m| m.contains("RFC 6749 §2.3")),
        "{item:?}"
    );
    assert_eq!(
        api.calls(),
        0,
        "the router must reject it before the implementation"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_form_urlencoded_body_is_accepted_too() {
    // RFC 6749 §3.2: token requests are `application/x-www-form-urlencoded`; the spec says
    // multipart, the router takes both.
    let api = Treezor::new();
    let (server, _) = start(&api).await;

    let response = reqwest::Client::new()
        .post(format!("{}{PATH}", server.url()))
        .basic_auth(CLIENT.0, Some(CLIENT.1))
        .form(&[
            ("grant_type", "password"),
            ("username", USER.0),
            ("password", USER.1),
        ])
        .send()
        .await
        .expect("raw request");

    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert!(body["refresh_token"].is_string(), "{body}");
    assert_eq!(
        api.last_client(),
        Some(ClientAuth::basic(CLIENT.0, CLIENT.1))
    );
    server.stop().await;
}

#[tokio::test]
async fn default_unauthorized_without_client_authentication() {
    // The spec declares no security, so the router lets the request through; the
    // implementation answers `401 invalid_client`, and the router adds the challenge.
    let api = Treezor::new();
    let (server, client) = start(&api).await;

    let body = PutAuthBody::ClientCredentials(ClientCredentialsGrantRequest::new());
    let result = client.put_auth(&body).await;

    let headers = result
        .as_ref()
        .err()
        .and_then(Error::headers)
        .expect("a response");
    assert_eq!(headers[header::WWW_AUTHENTICATE], REALM);
    let (status, error) = api_error(result);
    assert_eq!(status, 401);
    let body = error_body(
        "invalid_client",
        "unauthorized_client",
        "client credentials are missing",
    );
    assert_eq!(error, PutAuthError::Default { status: 401, body });
    assert_eq!(api.calls(), 1);
    server.stop().await;
}

#[tokio::test]
async fn default_unauthorized_for_a_wrong_client_secret() {
    let api = Treezor::new();
    let (server, client) = start(&api).await;
    let client = client.with_client_credentials(CLIENT.0, "wrong");

    let body = PutAuthBody::ClientCredentials(ClientCredentialsGrantRequest::new());
    let result = client.put_auth(&body).await;

    let headers = result
        .as_ref()
        .err()
        .and_then(Error::headers)
        .expect("a response");
    assert_eq!(headers[header::WWW_AUTHENTICATE], REALM);
    let (status, error) = api_error(result);
    assert_eq!(status, 401);
    let body = error_body(
        "invalid_client",
        "unauthorized_client",
        "client authentication failed",
    );
    assert_eq!(error, PutAuthError::Default { status: 401, body });
    server.stop().await;
}

#[tokio::test]
async fn default_too_many_requests() {
    let api = Treezor::new().with_rate_limit(1);
    let (server, client) = start(&api).await;

    client
        .put_auth(&client_credentials_grant(None))
        .await
        .expect("within the limit");
    let (status, error) = api_error(client.put_auth(&client_credentials_grant(None)).await);

    assert_eq!(status, 429);
    let body = error_body(
        "rate_limit",
        "too_many_requests",
        "too many token requests, retry later",
    );
    assert_eq!(error, PutAuthError::Default { status: 429, body });
    assert_eq!(server.take_requests().len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn default_service_unavailable() {
    let api = Treezor::new();
    let (server, client) = start(&api).await;

    let (status, error) = api_error(
        client
            .put_auth(&client_credentials_grant(Some(MAINTENANCE_SCOPE)))
            .await,
    );

    assert_eq!(status, 503);
    let body = error_body(
        "temporarily_unavailable",
        "maintenance",
        "authentication is in maintenance",
    );
    assert_eq!(error, PutAuthError::Default { status: 503, body });
    assert_eq!(
        server.take_one().multipart().last(),
        Some(&part("scope", MAINTENANCE_SCOPE))
    );
    server.stop().await;
}

#[tokio::test]
async fn any_other_status_is_the_default_response() {
    let body = br#"{"errors":[{"type":"teapot","code":"418"}]}"#;
    let server = TestServer::canned(418, &[("content-type", "application/json")], body).await;
    let client = Client::new(server.url()).expect("client");

    let (status, error) = api_error(client.put_auth(&client_credentials_grant(None)).await);

    assert_eq!(status, 418);
    let item = DefaultErrorItem {
        r#type: Some("teapot".into()),
        code: Some("418".into()),
        ..DefaultErrorItem::new()
    };
    assert_eq!(
        error,
        PutAuthError::Default {
            status: 418,
            body: DefaultError {
                errors: Some(vec![item])
            }
        }
    );
    server.stop().await;
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let server = TestServer::canned(302, &[("location", "/oauth/token?again=1")], b"").await;
    let client = Client::new(server.url()).expect("client");

    match client.put_auth(&client_credentials_grant(None)).await {
        // `default` covers 302 too, but its empty body is not a `DefaultError`.
        Err(Error::InvalidResponse { response, .. }) => {
            assert_eq!(response.status(), 302);
            assert_eq!(response.headers()["location"], "/oauth/token?again=1");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert_eq!(
        server.take_requests().len(),
        1,
        "the redirect must not be followed"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_success_body_that_matches_no_variant_is_an_invalid_response() {
    let body = br#"{"access_token":["not","a","string"]}"#;
    let server = TestServer::canned(200, &[("content-type", "application/json")], body).await;
    let client = Client::new(server.url()).expect("client");

    match client.put_auth(&client_credentials_grant(None)).await {
        Err(Error::InvalidResponse { response, reason }) => {
            assert_eq!((response.status(), response.body()), (200, body.as_slice()));
            assert!(reason.contains("PutAuth200Response"), "{reason}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    server.stop().await;
}
