//! Secrets never show in `Debug` (nor `Display`) output: clients configured with
//! credentials, request and response models, server credentials, the requests handed to
//! an implementation, and errors that keep a raw response holding a token.

use std::sync::{Arc, Mutex};

use generated::{confluent, nutanix, polaris, treezor};
use oauth_api::oauth::ClientAuth;
use oauth_api::Secret;
use oauth_api_tests::harness::TestServer;
use oauth_api_tests::reference::polaris::{Polaris, ROOT_CLIENT};

const CLIENT_SECRET: &str = "S3CR3T-client-secret";
const PASSWORD: &str = "S3CR3T-password";
const ACCESS_TOKEN: &str = "S3CR3T-access-token";
const REFRESH_TOKEN: &str = "S3CR3T-refresh-token";
const SUBJECT_TOKEN: &str = "S3CR3T-subject-token";
const ACTOR_TOKEN: &str = "S3CR3T-actor-token";
const BEARER: &str = "S3CR3T-bearer";

/// `debug` shows none of the secrets, says it redacted something and still shows `visible`.
#[track_caller]
fn assert_redacted(debug: &str, visible: &[&str]) {
    assert!(!debug.contains("S3CR3T"), "a secret leaked: {debug}");
    assert!(
        debug.contains("<redacted>"),
        "nothing marked as redacted: {debug}"
    );
    for text in visible {
        assert!(
            debug.contains(text),
            "`{text}` should stay visible: {debug}"
        );
    }
}

#[test]
fn clients_configured_with_secrets() {
    let client = polaris::Client::new("http://127.0.0.1:9")
        .expect("client")
        .with_bearer_token(BEARER)
        .with_client_credentials("polaris-id", CLIENT_SECRET);
    assert_redacted(
        &format!("{client:?}"),
        &["polaris-id", "http://127.0.0.1:9"],
    );
    assert_redacted(&format!("{:?}", client.clone()), &["polaris-id"]);

    let client = nutanix::Client::new("http://127.0.0.1:9")
        .expect("client")
        .with_basic_auth("admin", PASSWORD)
        .with_client_credentials("nutanix-id", CLIENT_SECRET);
    assert_redacted(&format!("{client:#?}"), &["admin", "nutanix-id"]);

    let client = treezor::Client::new("http://127.0.0.1:9")
        .expect("client")
        .with_client_credentials("tz-id", CLIENT_SECRET);
    assert_redacted(&format!("{client:?}"), &["tz-id"]);

    let client = confluent::Client::new("http://127.0.0.1:9")
        .expect("client")
        .with_client_auth(ClientAuth::post("cflt-id", CLIENT_SECRET));
    assert_redacted(&format!("{client:?}"), &["cflt-id"]);
}

#[test]
fn request_models_with_secrets() {
    let credentials = polaris::OAuthClientCredentialsRequest {
        scope: Some("PRINCIPAL_ROLE:ALL".to_string()),
        client_id: Some("root".to_string()),
        client_secret: Some(CLIENT_SECRET.to_string()),
        ..polaris::OAuthClientCredentialsRequest::new()
    };
    let exchange = polaris::OAuthTokenExchangeRequest {
        actor_token: Some(ACTOR_TOKEN.to_string()),
        actor_token_type: Some(polaris::TokenType::Jwt),
        ..polaris::OAuthTokenExchangeRequest::new(SUBJECT_TOKEN, polaris::TokenType::AccessToken)
    };
    assert_redacted(
        &format!(
            "{:?}",
            polaris::OAuthTokenRequest::ClientCredentials(credentials)
        ),
        &["root", "PRINCIPAL_ROLE:ALL"],
    );
    assert_redacted(
        &format!("{:#?}", polaris::OAuthTokenRequest::TokenExchange(exchange)),
        &["Jwt"],
    );

    let body = confluent::ExchangeStsV1OauthTokenBody::new(
        confluent::StsV1TokenExchangeRequestGrantType::TokenExchange,
        SUBJECT_TOKEN,
        "pool-1",
        confluent::StsV1TokenExchangeRequestSubjectTokenType::Jwt,
        confluent::StsV1TokenExchangeRequestRequestedTokenType::AccessToken,
    );
    assert_redacted(&format!("{body:?}"), &["pool-1"]);
    let shared = confluent::StsV1TokenExchangeRequest {
        subject_token: Some(SUBJECT_TOKEN.to_string()),
        ..confluent::StsV1TokenExchangeRequest::default()
    };
    assert_redacted(&format!("{shared:?}"), &["expires_in: 900"]);

    let token = nutanix::OauthTokenRequest {
        client_id: Some("nutanix-id".to_string()),
        client_secret: Some(CLIENT_SECRET.to_string()),
        refresh_token: Some(REFRESH_TOKEN.to_string()),
        state: Some("st".to_string()),
        ..nutanix::OauthTokenRequest::new(nutanix::OauthTokenRequestGrantType::RefreshToken)
    };
    assert_redacted(&format!("{token:?}"), &["nutanix-id", "RefreshToken"]);
    let revoke = nutanix::OauthRevokeTokenPostParams {
        token: ACCESS_TOKEN.to_string(),
        token_type_hint: Some("access_token".to_string()),
    };
    assert_redacted(&format!("{revoke:?}"), &["access_token"]);

    let password = treezor::PutAuthBody::Password(treezor::PasswordGrantRequest {
        client_id: Some("tz-id".to_string()),
        client_secret: Some(CLIENT_SECRET.to_string()),
        username: Some("alice".to_string()),
        password: Some(PASSWORD.to_string()),
        ..treezor::PasswordGrantRequest::new()
    });
    assert_redacted(&format!("{password:?}"), &["tz-id", "alice"]);
    let refresh = treezor::PutAuthBody::RefreshToken(treezor::RefreshTokenGrantRequest {
        refresh_token: Some(REFRESH_TOKEN.to_string()),
        ..treezor::RefreshTokenGrantRequest::new()
    });
    assert_redacted(&format!("{refresh:?}"), &["refresh_token"]);
    let credentials =
        treezor::PutAuthBody::ClientCredentials(treezor::ClientCredentialsGrantRequest {
            client_secret: Some(CLIENT_SECRET.to_string()),
            ..treezor::ClientCredentialsGrantRequest::new()
        });
    assert_redacted(&format!("{credentials:?}"), &["client_credentials"]);
}

#[test]
fn response_models_with_tokens() {
    let polaris = polaris::OAuthTokenResponse {
        expires_in: Some(3600),
        refresh_token: Some(REFRESH_TOKEN.to_string()),
        scope: Some("PRINCIPAL_ROLE:ALL".to_string()),
        ..polaris::OAuthTokenResponse::new(
            ACCESS_TOKEN,
            polaris::OAuthTokenResponseTokenType::Bearer,
        )
    };
    assert_redacted(&format!("{polaris:?}"), &["3600", "PRINCIPAL_ROLE:ALL"]);

    let confluent = confluent::StsV1TokenExchangeReply::new(
        ACCESS_TOKEN,
        confluent::StsV1TokenExchangeReplyIssuedTokenType::AccessToken,
        confluent::StsV1TokenExchangeReplyTokenType::Bearer,
        900,
    );
    assert_redacted(&format!("{confluent:?}"), &["900"]);

    let provider =
        nutanix::ProviderOauthToken::new(ACCESS_TOKEN, "Bearer", 3600, REFRESH_TOKEN, "openid");
    assert_redacted(&format!("{provider:?}"), &["openid"]);
    let generated = nutanix::OauthGenerateTokenResponse::new(
        CLIENT_SECRET,
        nutanix::OauthToken::new(
            ACCESS_TOKEN,
            "Bearer",
            600,
            REFRESH_TOKEN,
            vec!["prism:read".to_string()],
        ),
        "nutanix-id",
    );
    assert_redacted(&format!("{generated:#?}"), &["nutanix-id", "prism:read"]);
    let client =
        nutanix::OauthClientResponse::new("ci", vec![], "", vec![], "nutanix-id", CLIENT_SECRET);
    let list = nutanix::OauthClientList::new(vec![client], nutanix::OauthClientListMetadata::new());
    assert_redacted(&format!("{list:?}"), &["nutanix-id", "ci"]);

    let responses = [
        treezor::PutAuth200Response::ClientCredentials(treezor::ClientCredentialsTokenResponse {
            access_token: Some(ACCESS_TOKEN.to_string()),
            ..treezor::ClientCredentialsTokenResponse::new()
        }),
        treezor::PutAuth200Response::Password(treezor::PasswordTokenResponse {
            access_token: Some(ACCESS_TOKEN.to_string()),
            refresh_token: Some(REFRESH_TOKEN.to_string()),
            ..treezor::PasswordTokenResponse::new()
        }),
        treezor::PutAuth200Response::Refresh(treezor::RefreshTokenResponse {
            access_token: Some(ACCESS_TOKEN.to_string()),
            refresh_token: Some(REFRESH_TOKEN.to_string()),
            ..treezor::RefreshTokenResponse::new()
        }),
    ];
    for response in responses {
        assert_redacted(&format!("{response:?}"), &["Bearer", "3600"]);
    }
}

#[test]
fn server_credentials() {
    let basic = polaris::server::Credentials::Basic {
        username: "root".to_string(),
        password: Secret::new(PASSWORD),
    };
    assert_redacted(&format!("{basic:?}"), &["root"]);
    assert_redacted(
        &format!(
            "{:?}",
            polaris::server::Credentials::Bearer(Secret::new(BEARER))
        ),
        &["Bearer"],
    );
    assert_redacted(
        &format!(
            "{:?}",
            polaris::server::Credentials::ApiKey(Secret::new(BEARER))
        ),
        &["ApiKey"],
    );
    let basic = confluent::server::Credentials::Basic {
        username: "u".to_string(),
        password: Secret::new(PASSWORD),
    };
    assert_redacted(&format!("{basic:?}"), &["Basic"]);
    let basic = nutanix::server::Credentials::Basic {
        username: "admin".to_string(),
        password: Secret::new(PASSWORD),
    };
    assert_redacted(&format!("{:?}", Some(basic)), &["admin"]);
    assert_redacted(
        &format!(
            "{:?}",
            nutanix::server::Credentials::Bearer(Secret::new(BEARER))
        ),
        &[],
    );
    let basic = treezor::server::Credentials::Basic {
        username: "tz-id".to_string(),
        password: Secret::new(CLIENT_SECRET),
    };
    assert_redacted(&format!("{basic:#?}"), &["tz-id"]);
    // The client authentication handed to an implementation on OAuth endpoints.
    for client in [
        treezor::server::ClientAuth::basic("tz-id", CLIENT_SECRET),
        polaris::server::ClientAuth::post("tz-id", CLIENT_SECRET),
    ] {
        assert_redacted(&format!("{client:?}"), &["tz-id"]);
    }
}

/// An implementation that logs the requests it gets with `{:?}`, as users' would.
#[derive(Clone, Default)]
struct Logging(Arc<Mutex<Vec<String>>>);

impl treezor::server::Api for Logging {
    async fn put_auth(
        &self,
        request: treezor::server::PutAuthRequest,
    ) -> Result<treezor::PutAuth200Response, treezor::server::Failure<treezor::PutAuthError>> {
        self.0.lock().expect("log").push(format!("{request:?}"));
        Err(treezor::PutAuthError::BadRequest(treezor::DefaultError::new()).into())
    }
}

#[tokio::test]
async fn requests_handed_to_an_implementation() {
    let log = Logging::default();
    let server = TestServer::start(treezor::server::router(log.clone())).await;
    let client = treezor::Client::new(server.url())
        .expect("client")
        .with_client_credentials("tz-id", CLIENT_SECRET);
    let body = treezor::PutAuthBody::Password(treezor::PasswordGrantRequest {
        username: Some("alice".to_string()),
        password: Some(PASSWORD.to_string()),
        ..treezor::PasswordGrantRequest::new()
    });

    let result = client.put_auth(&body).await;
    assert!(
        matches!(result, Err(treezor::client::Error::Api(_))),
        "{result:?}"
    );

    let logged = log.0.lock().expect("log").clone();
    assert_eq!(logged.len(), 1);
    assert_redacted(&logged[0], &["tz-id", "alice", "Password"]);
    server.stop().await;
}

#[tokio::test]
async fn responses_and_errors_holding_tokens() {
    let api = Polaris::new();
    let server = TestServer::start(polaris::server::router(api)).await;
    let client = polaris::Client::new(server.url())
        .expect("client")
        .with_client_credentials(ROOT_CLIENT.0, ROOT_CLIENT.1);
    let request = polaris::OAuthTokenRequest::from(polaris::OAuthClientCredentialsRequest::new());
    let response = client.get_token(&request).await.expect("token");
    let token = response.access_token.clone();
    let debug = format!("{response:?}");
    assert!(!debug.contains(&token), "the access token leaked: {debug}");
    assert!(
        debug.contains("<redacted>") && debug.contains("status: 200"),
        "{debug}"
    );
    server.stop().await;

    // An undeclared status keeps the raw body, which holds a token: it must not show.
    let body = format!(r#"{{"access_token":"{ACCESS_TOKEN}","refresh_token":"{REFRESH_TOKEN}"}}"#);
    let server = TestServer::canned(
        418,
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
    .await;
    let client = polaris::Client::new(server.url())
        .expect("client")
        .with_bearer_token(BEARER);
    let error = client.get_token(&request).await.expect_err("418");
    assert!(
        matches!(&error, polaris::client::Error::UnexpectedStatus(raw) if raw.body() == body.as_bytes())
    );
    let (debug, display) = (format!("{error:?}"), format!("{error}"));
    assert!(
        !debug.contains("S3CR3T") && !display.contains("S3CR3T"),
        "{debug} / {display}"
    );
    assert!(
        debug.contains("418") && display.contains("418"),
        "{debug} / {display}"
    );
    server.stop().await;

    // So must a declared status whose body does not decode.
    let body = format!(r#"{{"state":"revoked {ACCESS_TOKEN}","code":"two hundred"}}"#);
    let server = TestServer::canned(
        200,
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
    .await;
    let client = nutanix::Client::new(server.url())
        .expect("client")
        .with_basic_auth("admin", PASSWORD);
    let params = nutanix::OauthRevokeTokenPostParams {
        token: REFRESH_TOKEN.to_string(),
        token_type_hint: None,
    };
    let error = client
        .oauth_revoke_token_post(&params)
        .await
        .expect_err("not an OauthStatus");
    assert!(
        matches!(&error, nutanix::client::Error::InvalidResponse { response, .. } if response.status() == 200)
    );
    let (debug, display) = (format!("{error:?}"), format!("{error}"));
    assert!(
        !debug.contains("S3CR3T") && !display.contains("S3CR3T"),
        "{debug} / {display}"
    );
    server.stop().await;
}

#[test]
fn authorization_codes_are_redacted() {
    let code = "S3CR3T-authorization-code";
    let params = nutanix::OauthIdpCallbackGetParams {
        code: code.to_string(),
        state: Some("st".to_string()),
    };
    assert_redacted(&format!("{params:?}"), &["st"]);
    let token = nutanix::OauthTokenRequest {
        client_id: Some("nutanix-id".to_string()),
        client_secret: Some(CLIENT_SECRET.to_string()),
        code: Some(code.to_string()),
        ..nutanix::OauthTokenRequest::new(nutanix::OauthTokenRequestGrantType::AuthorizationCode)
    };
    assert_redacted(&format!("{token:?}"), &["nutanix-id"]);
}
