//! End to end, Nutanix token operations: authorize, token (authorization code and refresh
//! token grants), generate_token and revoke_token, through the generated client against
//! the generated router (under `/api/nutanix/v3`) serving the reference implementation.

use axum::http::header;
use generated::nutanix::client::Error;
use generated::nutanix::server::{ClientAuth, Credentials};
use generated::nutanix::*;
use oauth_api::oauth::{ClientAuthMethod, ErrorCode};
use oauth_api::Secret;
use oauth_api_tests::harness::{self, TestServer};
use oauth_api_tests::reference::nutanix::{Nutanix, TOKEN_LIFETIME};

mod nutanix_common;

use nutanix_common::*;

const REALM: &str = "Basic realm=\"Nutanix Intentful API v3 - OAuth\"";

fn status(code: i64, reason: &str, message: &str) -> OauthStatus {
    OauthStatus {
        kind: "oauth".to_string(),
        code: Some(code),
        message_list: Some(vec![MessageResource::new(message, reason)]),
        state: Some("ERROR".to_string()),
        api_version: "3.1.0".to_string(),
    }
}

/// A code for `app` (redirect URI [`REDIRECT`]), approved by the admin.
async fn authorization_code(f: &Fixture, app: &OauthClientResponse) -> String {
    f.authorization_code(app, None).await
}

/// A token pair for `app`, with the requests that got it forgotten.
async fn token_pair(f: &Fixture, app: &OauthClientResponse) -> ProviderOauthToken {
    let exchange = OauthTokenRequest {
        code: Some(authorization_code(f, app).await),
        redirect_uri: Some(REDIRECT.to_string()),
        ..OauthTokenRequest::new(OauthTokenRequestGrantType::AuthorizationCode)
    };
    let token = f
        .oauth_client(app)
        .oauth_token_post(&exchange)
        .await
        .expect("token")
        .into_inner();
    f.server.take_requests();
    token
}

#[tokio::test]
async fn authorization_code_and_refresh_token_grants() {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("web").await;

    let authorize = OauthAuthorizeRequest {
        scope: Some("openid".to_string()),
        redirect_uri: Some(REDIRECT.to_string()),
        state: Some("xyz 1/2".to_string()),
        ..OauthAuthorizeRequest::new(&app.client_id, OauthAuthorizeRequestConfirm::Yes)
    };
    let found = f
        .admin
        .oauth_authorize_post(&authorize)
        .await
        .expect("authorize");
    let wire = f.server.take_one();
    assert_wire(&wire, "POST", "/oauth/authorize", None, Some(FORM));
    assert_eq!(
        wire.body_text(),
        format!(
            "client_id={}&scope=openid&response_type=code&confirm=yes\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&state=xyz+1%2F2",
            app.client_id
        )
    );
    assert_eq!(found.status(), 302);
    let OauthAuthorizePostSuccess::Found {
        location: Some(location),
    } = found.into_inner()
    else {
        panic!("no Location")
    };
    let code = query_param(&location, "code").expect("code");
    assert_eq!(location, format!("{REDIRECT}?code={code}&state=xyz+1%2F2"));

    // The client authenticates itself in the body (`client_secret_post`): no Prism user
    // credentials go to the token endpoint, the client uses one method (RFC 6749 §2.3).
    let client = f
        .anonymous("admin", "unused")
        .with_client_auth(ClientAuth::post(&app.client_id, app.client_secret.as_str()));
    let mut exchange = OauthTokenRequest {
        code: Some(code.clone()),
        redirect_uri: Some(REDIRECT.to_string()),
        ..OauthTokenRequest::new(OauthTokenRequestGrantType::AuthorizationCode)
    };
    let token = client.oauth_token_post(&exchange).await.expect("token");
    let wire = f.server.take_one();
    assert_eq!(
        (wire.method.as_str(), wire.path.as_str(), wire.query.as_deref()),
        ("POST", "/api/nutanix/v3/oauth/token", None)
    );
    assert_eq!(wire.content_type(), Some(FORM));
    assert_eq!(wire.header("authorization"), None);
    assert_eq!(
        wire.body_text(),
        format!(
            "grant_type=authorization_code&code={code}\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&client_id={}&client_secret={}",
            app.client_id, app.client_secret
        )
    );
    assert_eq!(
        f.api.last_client(),
        Some(ClientAuth::post(&app.client_id, app.client_secret.as_str()))
    );
    assert_eq!(token.status(), 200);
    assert_eq!(token.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(token.headers()[header::PRAGMA], "no-cache");
    let token = token.into_inner();
    assert_eq!(
        (
            token.token_type.as_str(),
            token.expires_in,
            token.scope.as_str()
        ),
        ("Bearer", TOKEN_LIFETIME, "openid")
    );
    assert!(f.api.is_active(&token.access_token) && f.api.is_active(&token.refresh_token));

    // Codes are single-use (RFC 6749 §4.1.2).
    let (code_status, error) = api_error(client.oauth_token_post(&exchange).await);
    let expected = status(400, "INVALID_GRANT", "unknown or used code");
    assert_eq!(
        (code_status, error),
        (400, OauthTokenPostError::BadRequest(expected))
    );

    // The refresh, authenticated with HTTP Basic this time.
    exchange.grant_type = OauthTokenRequestGrantType::RefreshToken;
    exchange.code = None;
    exchange.redirect_uri = None;
    exchange.refresh_token = Some(token.refresh_token.clone());
    let refreshed = f
        .oauth_client(&app)
        .oauth_token_post(&exchange)
        .await
        .expect("refresh")
        .into_inner();
    let wire = f.server.take_requests().pop().expect("request");
    assert_eq!(
        wire.basic_auth(),
        Some((app.client_id.clone(), app.client_secret.clone()))
    );
    assert_eq!(
        wire.body_text(),
        format!("grant_type=refresh_token&refresh_token={}", token.refresh_token)
    );
    assert_ne!(refreshed.refresh_token, token.refresh_token);
    assert!(
        !f.api.is_active(&token.refresh_token),
        "refresh tokens rotate"
    );
    assert_eq!(refreshed.scope, "openid");
    f.stop().await;
}

#[tokio::test]
async fn authorize_denied_and_errors() {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("web").await;
    let mut request = OauthAuthorizeRequest {
        state: Some("s1".to_string()),
        ..OauthAuthorizeRequest::new(&app.client_id, OauthAuthorizeRequestConfirm::No)
    };

    let denied = f
        .viewer
        .oauth_authorize_post(&request)
        .await
        .expect("authorize")
        .into_inner();
    let location = Some(format!("{REDIRECT}?error=access_denied&state=s1"));
    assert_eq!(denied, OauthAuthorizePostSuccess::Found { location });
    assert!(f
        .server
        .take_one()
        .body_text()
        .contains("&confirm=no&state=s1"));

    request.client_id = "nobody".to_string();
    let (code, error) = api_error(f.admin.oauth_authorize_post(&request).await);
    let body = status(400, "INVALID_CLIENT", "unknown client `nobody`");
    assert_eq!(
        (code, error),
        (400, OauthAuthorizePostError::Default { status: 400, body })
    );
    f.stop().await;
}

#[tokio::test]
async fn token_endpoint_errors() {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("web").await;
    let request = OauthTokenRequest {
        refresh_token: Some("ntnx_rt_unknown".to_string()),
        ..OauthTokenRequest::new(OauthTokenRequestGrantType::RefreshToken)
    };

    let wrong = f
        .unauthenticated()
        .with_client_credentials(&app.client_id, "wrong");
    let result = wrong.oauth_token_post(&request).await;
    // A 401 the implementation returns carries a challenge (RFC 6749 §5.2).
    let headers = result.as_ref().err().and_then(Error::headers).expect("a response");
    assert_eq!(headers[header::WWW_AUTHENTICATE], REALM);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let (code, error) = api_error(result);
    let expected = status(401, "INVALID_CLIENT", "client authentication failed");
    assert_eq!(
        (code, error),
        (401, OauthTokenPostError::Unauthorized(expected))
    );

    let (code, error) = api_error(f.oauth_client(&app).oauth_token_post(&request).await);
    let expected = status(400, "INVALID_GRANT", "unknown refresh token");
    assert_eq!(
        (code, error),
        (400, OauthTokenPostError::BadRequest(expected))
    );

    // A refresh token is bound to its client.
    let other = f.register("other").await;
    let token = token_pair(&f, &app).await;
    let stolen = OauthTokenRequest {
        refresh_token: Some(token.refresh_token.clone()),
        ..OauthTokenRequest::new(OauthTokenRequestGrantType::RefreshToken)
    };
    let (code, error) = api_error(f.oauth_client(&other).oauth_token_post(&stolen).await);
    let expected = status(400, "INVALID_GRANT", "unknown refresh token");
    assert_eq!(
        (code, error),
        (400, OauthTokenPostError::BadRequest(expected))
    );
    assert!(f.api.is_active(&token.refresh_token));

    // The token endpoint authenticates OAuth clients only (RFC 6749 §2.3): a Prism user's
    // Basic credentials are a wrong client, whatever the user's role.
    let (code, error) = api_error(f.admin.oauth_token_post(&stolen).await);
    let expected = status(401, "INVALID_CLIENT", "client authentication failed");
    assert_eq!(
        (code, error),
        (401, OauthTokenPostError::Unauthorized(expected))
    );
    assert_eq!(
        f.api.last_client().map(|c| (c.client_id, c.method)),
        Some(("admin".to_string(), ClientAuthMethod::Basic))
    );

    // A Prism user's Basic plus the client's credentials in the body is two methods at
    // once: the router refuses it before the implementation (RFC 6749 §2.3).
    let calls = f.api.calls();
    let twice = OauthTokenRequest {
        client_id: Some(app.client_id.clone()),
        client_secret: Some(app.client_secret.clone()),
        ..stolen.clone()
    };
    let (code, error) = api_error(f.viewer.oauth_token_post(&twice).await);
    let OauthTokenPostError::BadRequest(body) = error else {
        panic!("expected BadRequest, got {error:?}")
    };
    assert_eq!(code, 400);
    let message = &body.message_list.as_deref().expect("messages")[0];
    assert_eq!(message.reason, "invalid_request");
    assert!(message.message.contains("RFC 6749 §2.3"), "{message:?}");
    assert_eq!(f.api.calls(), calls, "rejected before the implementation");

    // No client authentication at all: the router answers 401 with a challenge.
    let result = f.unauthenticated().oauth_token_post(&stolen).await;
    let headers = result.as_ref().err().and_then(Error::headers).expect("a response");
    assert_eq!(headers[header::WWW_AUTHENTICATE], REALM);
    let (code, error) = api_error(result);
    assert_eq!(code, 401);
    assert!(
        matches!(&error, OauthTokenPostError::Unauthorized(body) if body.kind == "oauth"),
        "{error:?}"
    );
    assert_eq!(f.api.calls(), calls);
    f.stop().await;
}

#[tokio::test]
async fn an_rfc_6749_error_body_is_reachable_whatever_the_declared_model() {
    // Real authorization servers answer RFC 6749 §5.2 errors, which do not fit the spec's
    // `OauthStatus`: the typed body decodes with its defaults, the code is kept.
    let body = br#"{"error":"invalid_grant","error_description":"the refresh token was revoked"}"#;
    let server = TestServer::canned(400, &[("content-type", "application/json")], body).await;
    let client = generated::nutanix::Client::new(server.url())
        .expect("client")
        .with_client_credentials("app", "secret");
    let request = OauthTokenRequest {
        refresh_token: Some("rt".to_string()),
        ..OauthTokenRequest::new(OauthTokenRequestGrantType::RefreshToken)
    };

    let error = client
        .oauth_token_post(&request)
        .await
        .expect_err("a 400");

    let oauth = error.oauth_error().expect("an RFC 6749 error");
    assert_eq!(oauth.error, ErrorCode::InvalidGrant);
    assert_eq!(
        oauth.error_description.as_deref(),
        Some("the refresh token was revoked")
    );
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.body(), Some(body.as_slice()));
    assert_eq!(
        error.api_error(),
        Some(&OauthTokenPostError::BadRequest(OauthStatus::new()))
    );
    // `Display` describes the typed body only, which has nothing to say here (the RFC
    // error stays reachable through `oauth_error()`).
    assert!(
        error.to_string().starts_with("the API answered 400 Bad Request"),
        "{error}"
    );
    server.stop().await;
}

#[tokio::test]
async fn client_credentials_as_http_basic_on_the_token_endpoint() {
    let (id, secret) = ("a b:c%", "s3cr:et&");
    let registered = OauthClientResponse {
        client_id: id.to_string(),
        client_secret: secret.to_string(),
        ..special_client()
    };
    let f = Fixture::start(Nutanix::new().with_oauth_client(registered)).await;
    let authorize = OauthAuthorizeRequest::new(id, OauthAuthorizeRequestConfirm::Yes);
    let found = f
        .admin
        .oauth_authorize_post(&authorize)
        .await
        .expect("authorize")
        .into_inner();
    let OauthAuthorizePostSuccess::Found {
        location: Some(location),
    } = found
    else {
        panic!("no Location")
    };
    f.server.take_requests();

    // The client's authentication wins over the Prism user on the token endpoint.
    let client = f
        .anonymous("unused", "unused")
        .with_client_credentials(id, secret);
    let request = OauthTokenRequest {
        code: query_param(&location, "code"),
        ..OauthTokenRequest::new(OauthTokenRequestGrantType::AuthorizationCode)
    };
    let result = client.oauth_token_post(&request).await;

    let wire = f.server.take_one();
    assert_eq!(
        wire.basic_auth(),
        Some(("a+b%3Ac%25".to_string(), "s3cr%3Aet%26".to_string()))
    );
    assert_eq!(
        wire.header("authorization").map(str::to_string),
        Some(harness::basic("a+b%3Ac%25", "s3cr%3Aet%26"))
    );
    assert!(!wire.body_text().contains("client_"), "{}", wire.body_text());
    let seen = Credentials::Basic {
        username: id.to_string(),
        password: Secret::new(secret),
    };
    assert_eq!(
        f.api.last_credentials(),
        Some(seen),
        "the router must form-decode Basic client credentials"
    );
    assert_eq!(f.api.last_client(), Some(ClientAuth::basic(id, secret)));
    assert_eq!(result.expect("token").status(), 200);
    f.stop().await;
}

fn special_client() -> OauthClientResponse {
    let input = input("special");
    OauthClientResponse::new(
        input.client_name,
        input.redirect_uris,
        input.client_description,
        input.default_scopes,
        "",
        "",
    )
}

#[tokio::test]
async fn generate_token_creates_a_client_and_its_tokens() {
    let f = Fixture::start(Nutanix::new()).await;
    let request = OauthGenerateTokenRequest {
        expires_in: Some(600),
        ..OauthGenerateTokenRequest::new(vec!["prism:read".to_string()], "ci-bot", "CI")
    };

    let generated = f
        .admin
        .oauth_generate_token_post(&request)
        .await
        .expect("generate");
    let wire = f.server.take_one();
    assert_wire(&wire, "POST", "/oauth/generate_token", None, Some(JSON));
    assert_eq!(
        wire.body_text(),
        r#"{"scopes":["prism:read"],"client_name":"ci-bot","client_description":"CI","expires_in":600}"#
    );
    assert_eq!(generated.status(), 200);
    let generated = generated.into_inner();
    let client = f.api.client(&generated.client_id).expect("client created");
    assert_eq!(
        (client.client_name.as_str(), &client.client_secret),
        ("ci-bot", &generated.client_secret)
    );
    let token = &generated.oauth_token;
    assert_eq!(
        (token.token_type.as_str(), token.expires_in),
        ("Bearer", 600)
    );
    assert_eq!(token.scopes, vec!["prism:read".to_string()]);
    assert!(f.api.is_active(&token.access_token) && f.api.is_active(&token.refresh_token));

    let (code, error) = api_error(f.viewer.oauth_generate_token_post(&request).await);
    let body = status(403, "ACCESS_DENIED", "this needs the administrator role");
    assert_eq!(
        (code, error),
        (
            403,
            OauthGenerateTokenPostError::Default { status: 403, body }
        )
    );
    let (code, error) = api_error(f.admin.oauth_generate_token_post(&request).await);
    let body = status(
        409,
        "DUPLICATE_CLIENT_NAME",
        "a client named `ci-bot` exists",
    );
    assert_eq!(
        (code, error),
        (
            409,
            OauthGenerateTokenPostError::Default { status: 409, body }
        )
    );
    f.stop().await;
}

#[tokio::test]
async fn revoke_token_per_rfc_7009() {
    let f = Fixture::start(Nutanix::new()).await;
    let request = OauthGenerateTokenRequest::new(vec![], "cli", "");
    let token = f
        .admin
        .oauth_generate_token_post(&request)
        .await
        .expect("generate")
        .into_inner()
        .oauth_token;
    f.server.take_requests();
    let complete = OauthStatus {
        code: Some(200),
        state: Some("COMPLETE".to_string()),
        ..OauthStatus::default()
    };

    let params = OauthRevokeTokenPostParams {
        token: token.refresh_token.clone(),
        token_type_hint: Some("refresh_token".to_string()),
    };
    let revoked = f
        .admin
        .oauth_revoke_token_post(&params)
        .await
        .expect("revoke");
    let wire = f.server.take_one();
    let query = format!(
        "token={}&token_type_hint=refresh_token",
        token.refresh_token
    );
    assert_wire(&wire, "POST", "/oauth/revoke_token", Some(&query), None);
    assert!(
        wire.body.is_empty(),
        "revocation parameters travel in the query"
    );
    assert_eq!(
        (revoked.status(), revoked.into_inner()),
        (200, complete.clone())
    );
    assert!(!f.api.is_active(&token.refresh_token));
    assert!(f.api.is_active(&token.access_token));

    // No hint: the router applies the default; an unknown token is still a 200 (§2.2).
    let params = OauthRevokeTokenPostParams {
        token: "a&b=c d".to_string(),
        token_type_hint: None,
    };
    let unknown = f
        .viewer
        .oauth_revoke_token_post(&params)
        .await
        .expect("revoke");
    assert_eq!(
        f.server.take_one().query.as_deref(),
        Some("token=a%26b%3Dc+d")
    );
    assert_eq!((unknown.status(), unknown.into_inner()), (200, complete));

    // A hint the server does not know is ignored (RFC 7009 §2.1): checked last, as it
    // revokes the token. Wrong credentials first.
    let params = OauthRevokeTokenPostParams {
        token: token.access_token.clone(),
        token_type_hint: Some("id_token".to_string()),
    };

    // Wrong credentials: `401 INVALID_CLIENT`, with a challenge.
    let result = f
        .anonymous("admin", "guess")
        .oauth_revoke_token_post(&params)
        .await;
    let headers = result.as_ref().err().and_then(Error::headers).expect("a response");
    assert_eq!(headers[header::WWW_AUTHENTICATE], REALM);
    let (code, error) = api_error(result);
    let body = status(401, "INVALID_CLIENT", "client authentication failed");
    assert_eq!(
        (code, error),
        (
            401,
            OauthRevokeTokenPostError::Default { status: 401, body }
        )
    );
    assert!(f.api.is_active(&token.access_token));

    // The unknown hint is ignored: the token is found and revoked.
    let revoked = f.admin.oauth_revoke_token_post(&params).await.expect("revoke");
    assert_eq!(revoked.status(), 200);
    assert!(!f.api.is_active(&token.access_token));
    f.stop().await;
}

#[tokio::test]
async fn an_oauth_client_revokes_only_its_own_tokens() {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("web").await;
    let other = f.register("other").await;
    let token = token_pair(&f, &app).await;
    let params = OauthRevokeTokenPostParams {
        token: token.access_token.clone(),
        token_type_hint: None,
    };

    // RFC 7009 §2.1: the server checks the token was issued to the client revoking it.
    let (code, error) = api_error(f.oauth_client(&other).oauth_revoke_token_post(&params).await);
    let body = status(
        400,
        "UNAUTHORIZED_CLIENT",
        "the token was issued to another client",
    );
    assert_eq!(
        (code, error),
        (
            400,
            OauthRevokeTokenPostError::Default { status: 400, body }
        )
    );
    assert!(f.api.is_active(&token.access_token));

    let revoked = f
        .oauth_client(&app)
        .oauth_revoke_token_post(&params)
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), 200);
    let wire = f.server.take_requests().pop().expect("request");
    assert_eq!(
        wire.basic_auth(),
        Some((app.client_id.clone(), app.client_secret.clone()))
    );
    assert_eq!(
        f.api.last_client(),
        Some(ClientAuth::basic(&app.client_id, app.client_secret.as_str()))
    );
    assert!(!f.api.is_active(&token.access_token));
    assert!(f.api.is_active(&token.refresh_token));
    f.stop().await;
}

#[tokio::test]
async fn revoke_token_not_found_when_reporting_unknown_tokens() {
    let f = Fixture::start(Nutanix::new().report_unknown_tokens(true)).await;

    let params = OauthRevokeTokenPostParams {
        token: "ntnx_at_unknown".to_string(),
        token_type_hint: None,
    };
    let (code, error) = api_error(f.admin.oauth_revoke_token_post(&params).await);

    let expected = status(404, "ENTITY_NOT_FOUND", "token not found");
    assert_eq!(
        (code, error),
        (404, OauthRevokeTokenPostError::NotFound(expected))
    );
    f.stop().await;
}
