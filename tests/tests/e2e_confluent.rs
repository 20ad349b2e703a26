//! End to end: the generated Confluent STS client against the generated router serving
//! the reference implementation, over loopback, checking both the wire and the typed
//! results.

use generated::confluent::client::{Client, Error, ResponseValue};
use generated::confluent::server;
use generated::confluent::{
    ErrorSource, ExchangeStsV1OauthTokenBody, ExchangeStsV1OauthTokenError, Failure,
    StsV1TokenExchangeReplyIssuedTokenType, StsV1TokenExchangeReplyTokenType,
    StsV1TokenExchangeRequestGrantType, StsV1TokenExchangeRequestRequestedTokenType,
    StsV1TokenExchangeRequestSubjectTokenType,
};
use oauth_api_tests::harness::TestServer;
use oauth_api_tests::reference::confluent::{
    Confluent, DEFAULT_POOL, FAILING_POOL, WINDOW_SECONDS,
};
use oauth_api_tests::reference::jwt;

const FORM: &str = "application/x-www-form-urlencoded";
const PATH: &str = "/sts/v1/oauth2/token";

async fn start(api: &Confluent) -> (TestServer, Client) {
    let server = TestServer::start(server::router(api.clone())).await;
    let client = Client::new(server.url()).expect("client");
    (server, client)
}

fn subject_token() -> String {
    jwt(&serde_json::json!({ "iss": "https://idp.example.com", "sub": "alice" }))
}

/// A complete, valid exchange request for `subject` in `pool`.
fn request(subject: &str, pool: &str) -> ExchangeStsV1OauthTokenBody {
    let body = ExchangeStsV1OauthTokenBody::new(
        StsV1TokenExchangeRequestGrantType::TokenExchange,
        subject,
        pool,
        StsV1TokenExchangeRequestSubjectTokenType::Jwt,
        StsV1TokenExchangeRequestRequestedTokenType::AccessToken,
    );
    assert_eq!(body.expires_in, 900, "the spec's default");
    body
}

fn api_error<T: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<ExchangeStsV1OauthTokenError>>,
) -> (u16, axum::http::HeaderMap, ExchangeStsV1OauthTokenError) {
    match result {
        Err(Error::Api(api)) => (api.status(), api.headers().clone(), api.into_value()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The `Failure` the reference answers with.
fn failure(
    request_id: &str,
    status: &str,
    code: &str,
    title: &str,
    detail: &str,
    pointer: Option<&str>,
) -> Failure {
    Failure::new(vec![generated::confluent::Error {
        id: Some(request_id.to_string()),
        status: Some(status.to_string()),
        code: Some(code.to_string()),
        title: Some(title.to_string()),
        detail: Some(detail.to_string()),
        source: pointer.map(|p| ErrorSource {
            pointer: Some(p.to_string()),
            parameter: None,
        }),
    }])
}

#[tokio::test]
async fn exchange_a_jwt_for_an_access_token() {
    let api = Confluent::new();
    let (server, client) = start(&api).await;
    let subject = subject_token();

    let response = client
        .exchange_sts_v1_oauth_token(&request(&subject, DEFAULT_POOL))
        .await
        .expect("exchange");

    let wire = server.take_one();
    assert_eq!(
        (
            wire.method.as_str(),
            wire.path.as_str(),
            wire.query.as_deref()
        ),
        ("POST", PATH, None)
    );
    assert_eq!(wire.content_type(), Some(FORM));
    assert_eq!(wire.header("authorization"), None);
    assert_eq!(
        wire.body_text(),
        format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token={subject}\
             &identity_pool_id=pool-Ab1x&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt\
             &requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&expires_in=900"
        )
    );

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    // A token endpoint's responses are not cached (RFC 6749 §5.1).
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["pragma"], "no-cache");
    let reply = response.into_inner();
    assert!(
        reply.access_token.starts_with("cflt_at_"),
        "{}",
        reply.access_token
    );
    assert_eq!(
        reply.issued_token_type,
        StsV1TokenExchangeReplyIssuedTokenType::AccessToken
    );
    assert_eq!(reply.token_type, StsV1TokenExchangeReplyTokenType::Bearer);
    assert_eq!(reply.expires_in, 900);
    assert_eq!(
        api.grant_of(&reply.access_token),
        Some((DEFAULT_POOL.to_string(), "alice".to_string()))
    );
    server.stop().await;
}

#[tokio::test]
async fn a_shorter_lifetime_is_sent_and_granted() {
    let api = Confluent::new();
    let (server, client) = start(&api).await;

    let mut body = request(&subject_token(), DEFAULT_POOL);
    body.expires_in = 300;
    let reply = client
        .exchange_sts_v1_oauth_token(&body)
        .await
        .expect("exchange");

    let form = server.take_one().form();
    assert_eq!(
        form.last(),
        Some(&("expires_in".to_string(), "300".to_string()))
    );
    assert_eq!(reply.expires_in, 300);
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_a_subject_token_that_is_not_a_jwt() {
    let api = Confluent::new();
    let (server, client) = start(&api).await;

    let result = client
        .exchange_sts_v1_oauth_token(&request("opaque-token", DEFAULT_POOL))
        .await;
    let (status, headers, error) = api_error(result);

    assert_eq!(status, 400);
    assert_eq!(headers["x-request-id"], "req-1");
    let body = failure(
        "req-1",
        "400",
        "invalid_grant",
        "Bad Request",
        "the subject token is not a valid JWT",
        Some("/subject_token"),
    );
    assert_eq!(
        error,
        ExchangeStsV1OauthTokenError::BadRequest {
            body,
            x_request_id: Some("req-1".to_string())
        }
    );
    assert!(server
        .take_one()
        .body_text()
        .contains("&subject_token=opaque-token&"));
    server.stop().await;
}

#[tokio::test]
async fn bad_request_for_an_unknown_identity_pool() {
    let api = Confluent::new();
    let (server, client) = start(&api).await;

    let (status, _, error) = api_error(
        client
            .exchange_sts_v1_oauth_token(&request(&subject_token(), "pool-nope"))
            .await,
    );

    assert_eq!(status, 400);
    let body = failure(
        "req-1",
        "400",
        "invalid_request",
        "Bad Request",
        "identity pool `pool-nope` not found",
        Some("/identity_pool_id"),
    );
    assert_eq!(
        error,
        ExchangeStsV1OauthTokenError::BadRequest {
            body,
            x_request_id: Some("req-1".to_string())
        }
    );
    server.stop().await;
}

#[tokio::test]
async fn an_open_enum_value_goes_through_and_is_refused_by_the_service() {
    // `grant_type` is an extensible enum: the client sends an unknown value as is, the
    // router lets it through, the service refuses it.
    let api = Confluent::new();
    let (server, client) = start(&api).await;

    let mut body = request(&subject_token(), DEFAULT_POOL);
    body.grant_type = StsV1TokenExchangeRequestGrantType::Other("client_credentials".to_string());
    let (status, _, error) = api_error(client.exchange_sts_v1_oauth_token(&body).await);

    assert!(server
        .take_one()
        .body_text()
        .starts_with("grant_type=client_credentials&"));
    assert_eq!(status, 400);
    let body = failure(
        "req-1",
        "400",
        "unsupported_grant_type",
        "Bad Request",
        "only token exchange is supported",
        Some("/grant_type"),
    );
    assert_eq!(
        error,
        ExchangeStsV1OauthTokenError::BadRequest {
            body,
            x_request_id: Some("req-1".to_string())
        }
    );
    assert_eq!(api.calls(), 1);
    server.stop().await;
}

#[tokio::test]
async fn too_many_requests_with_the_rate_limit_headers() {
    let api = Confluent::new().with_rate_limit(2);
    let (server, client) = start(&api).await;
    let body = request(&subject_token(), DEFAULT_POOL);

    for _ in 0..2 {
        client
            .exchange_sts_v1_oauth_token(&body)
            .await
            .expect("within the limit");
    }
    let (status, headers, error) = api_error(client.exchange_sts_v1_oauth_token(&body).await);

    assert_eq!(status, 429);
    assert_eq!(
        error,
        ExchangeStsV1OauthTokenError::TooManyRequests {
            retry_after: Some(WINDOW_SECONDS),
            x_rate_limit_limit: Some(2),
            x_rate_limit_remaining: Some(0),
            x_rate_limit_reset: Some(WINDOW_SECONDS),
            x_request_id: Some("req-3".to_string()),
        }
    );
    assert_eq!(headers["retry-after"], "60");
    assert_eq!(headers["x-ratelimit-limit"], "2");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    assert_eq!(headers["x-ratelimit-reset"], "60");
    assert_eq!(headers["x-request-id"], "req-3");
    assert_eq!(headers.get("content-type"), None, "a 429 has no body");
    assert_eq!(server.take_requests().len(), 3);

    api.reset_window();
    let reply = client
        .exchange_sts_v1_oauth_token(&body)
        .await
        .expect("a new window");
    assert_eq!(reply.status(), 200);
    server.stop().await;
}

#[tokio::test]
async fn internal_server_error_with_a_failure_body() {
    let api = Confluent::new();
    let (server, client) = start(&api).await;

    let (status, headers, error) = api_error(
        client
            .exchange_sts_v1_oauth_token(&request(&subject_token(), FAILING_POOL))
            .await,
    );

    assert_eq!(status, 500);
    assert_eq!(headers["x-request-id"], "req-1");
    let body = failure(
        "req-1",
        "500",
        "internal_error",
        "Internal Server Error",
        "the identity pool could not be read",
        None,
    );
    assert_eq!(
        error,
        ExchangeStsV1OauthTokenError::InternalServerError {
            body,
            x_request_id: Some("req-1".to_string())
        }
    );
    server.stop().await;
}

#[tokio::test]
async fn a_rate_limit_header_that_is_not_an_integer_is_left_out() {
    // Optional declared headers that do not decode are `None` (the runtime never fails a
    // whole response over an optional header); the raw value stays in the headers.
    let headers = [("x-ratelimit-limit", "lots"), ("retry-after", "60")];
    let server = TestServer::canned(429, &headers, b"").await;
    let client = Client::new(server.url()).expect("client");

    let result = client
        .exchange_sts_v1_oauth_token(&request("t", DEFAULT_POOL))
        .await;
    let (status, headers, error) = api_error(result);

    assert_eq!(status, 429);
    assert_eq!(headers["x-ratelimit-limit"], "lots");
    assert_eq!(
        error,
        ExchangeStsV1OauthTokenError::TooManyRequests {
            retry_after: Some(60),
            x_rate_limit_limit: None,
            x_rate_limit_remaining: None,
            x_rate_limit_reset: None,
            x_request_id: None,
        }
    );
    server.stop().await;
}

#[tokio::test]
async fn a_failure_body_without_errors_is_an_invalid_response() {
    let server = TestServer::canned(
        400,
        &[("content-type", "application/json")],
        br#"{"message":"bad"}"#,
    )
    .await;
    let client = Client::new(server.url()).expect("client");

    match client
        .exchange_sts_v1_oauth_token(&request("t", DEFAULT_POOL))
        .await
    {
        Err(Error::InvalidResponse { response, reason }) => {
            assert_eq!(
                (response.status(), response.body()),
                (400, br#"{"message":"bad"}"#.as_slice())
            );
            assert!(reason.contains("errors"), "{reason}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn an_undeclared_status_keeps_the_raw_response() {
    let body = br#"{"error":"invalid_token","access_token":"leaked"}"#;
    let server = TestServer::canned(
        401,
        &[
            ("content-type", "application/json"),
            ("x-request-id", "r-9"),
        ],
        body,
    )
    .await;
    let client = Client::new(server.url()).expect("client");

    match client
        .exchange_sts_v1_oauth_token(&request("t", DEFAULT_POOL))
        .await
    {
        Err(Error::UnexpectedStatus(raw)) => {
            assert_eq!(raw.status(), 401);
            assert_eq!(raw.body(), body);
            assert_eq!(raw.headers()["x-request-id"], "r-9");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    server.stop().await;
}
