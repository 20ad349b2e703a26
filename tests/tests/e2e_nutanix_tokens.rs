//! End to end, Nutanix token operations: authorize, token (authorization code and refresh
//! token grants), generate_token and revoke_token, through the generated client against
//! the generated router (under `/api/nutanix/v3`) serving the reference implementation.

use generated::nutanix::server::Credentials;
use generated::nutanix::*;
use oauth_api_tests::harness;
use oauth_api_tests::reference::nutanix::{Nutanix, TOKEN_LIFETIME};

mod nutanix_common;

use nutanix_common::*;

fn status(code: i64, reason: &str, message: &str) -> OauthStatus {
    OauthStatus {
        kind: "oauth".to_string(),
        code: Some(code),
        message_list: Some(vec![MessageResource {
            message: message.to_string(),
            reason: reason.to_string(),
            details: None,
        }]),
        state: Some("ERROR".to_string()),
        api_version: "3.1.0".to_string(),
    }
}

#[tokio::test]
async fn authorization_code_and_refresh_token_grants() {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("web").await;

    let authorize = OauthAuthorizeRequest {
        client_id: app.client_id.clone(),
        scope: Some("openid".to_string()),
        response_type: OauthAuthorizeRequestResponseType::Code,
        confirm: OauthAuthorizeRequestConfirm::Yes,
        redirect_uri: Some(REDIRECT.to_string()),
        state: Some("xyz 1/2".to_string()),
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

    let mut exchange = OauthTokenRequest {
        grant_type: OauthTokenRequestGrantType::AuthorizationCode,
        client_id: app.client_id.clone(),
        client_secret: app.client_secret.clone(),
        code: Some(code.clone()),
        refresh_token: None,
        state: None,
        redirect_uri: Some(REDIRECT.to_string()),
    };
    let token = f.admin.oauth_token_post(&exchange).await.expect("token");
    let wire = f.server.take_one();
    assert_wire(&wire, "POST", "/oauth/token", None, Some(FORM));
    assert_eq!(
        wire.body_text(),
        format!(
            "grant_type=authorization_code&client_id={}&client_secret={}&code={code}\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback",
            app.client_id, app.client_secret
        )
    );
    assert_eq!(token.status(), 200);
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
    let (code_status, error) = api_error(f.admin.oauth_token_post(&exchange).await);
    let expected = status(400, "INVALID_GRANT", "unknown or used code");
    assert_eq!(
        (code_status, error),
        (400, OauthTokenPostError::BadRequest(expected))
    );

    exchange.grant_type = OauthTokenRequestGrantType::RefreshToken;
    exchange.code = None;
    exchange.redirect_uri = None;
    exchange.refresh_token = Some(token.refresh_token.clone());
    let refreshed = f
        .admin
        .oauth_token_post(&exchange)
        .await
        .expect("refresh")
        .into_inner();
    f.server.take_requests();
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
        client_id: app.client_id.clone(),
        scope: None,
        response_type: OauthAuthorizeRequestResponseType::Code,
        confirm: OauthAuthorizeRequestConfirm::No,
        redirect_uri: None,
        state: Some("s1".to_string()),
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
        grant_type: OauthTokenRequestGrantType::RefreshToken,
        client_id: app.client_id.clone(),
        client_secret: "wrong".to_string(),
        code: None,
        refresh_token: Some("ntnx_rt_unknown".to_string()),
        state: None,
        redirect_uri: None,
    };

    let (code, error) = api_error(f.admin.oauth_token_post(&request).await);
    let expected = status(401, "INVALID_CLIENT", "client authentication failed");
    assert_eq!(
        (code, error),
        (401, OauthTokenPostError::Unauthorized(expected))
    );

    let request = OauthTokenRequest {
        client_secret: app.client_secret.clone(),
        ..request
    };
    let (code, error) = api_error(f.admin.oauth_token_post(&request).await);
    let expected = status(400, "INVALID_GRANT", "unknown refresh token");
    assert_eq!(
        (code, error),
        (400, OauthTokenPostError::BadRequest(expected))
    );

    let (code, error) = api_error(f.viewer.oauth_token_post(&request).await);
    let body = status(403, "ACCESS_DENIED", "this needs the administrator role");
    assert_eq!(
        (code, error),
        (403, OauthTokenPostError::Default { status: 403, body })
    );
    f.stop().await;
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
    let authorize = OauthAuthorizeRequest {
        client_id: id.to_string(),
        scope: None,
        response_type: OauthAuthorizeRequestResponseType::Code,
        confirm: OauthAuthorizeRequestConfirm::Yes,
        redirect_uri: None,
        state: None,
    };
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

    let client = f
        .anonymous("unused", "unused")
        .with_client_credentials(id, secret);
    let request = OauthTokenRequest {
        grant_type: OauthTokenRequestGrantType::AuthorizationCode,
        client_id: id.to_string(),
        client_secret: secret.to_string(),
        code: query_param(&location, "code"),
        refresh_token: None,
        state: None,
        redirect_uri: None,
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
    let seen = Credentials::Basic {
        username: id.to_string(),
        password: secret.to_string(),
    };
    assert_eq!(
        f.api.last_credentials(),
        Some(seen),
        "the router must form-decode Basic client credentials"
    );
    assert_eq!(result.expect("token").status(), 200);
    f.stop().await;
}

fn special_client() -> OauthClientResponse {
    let input = input("special");
    OauthClientResponse {
        client_name: input.client_name,
        redirect_uris: input.redirect_uris,
        client_description: input.client_description,
        default_scopes: input.default_scopes,
        client_id: String::new(),
        client_secret: String::new(),
    }
}

#[tokio::test]
async fn generate_token_creates_a_client_and_its_tokens() {
    let f = Fixture::start(Nutanix::new()).await;
    let request = OauthGenerateTokenRequest {
        scopes: vec!["prism:read".to_string()],
        client_name: "ci-bot".to_string(),
        client_description: "CI".to_string(),
        expires_in: Some(600),
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
    let request = OauthGenerateTokenRequest {
        scopes: vec![],
        client_name: "cli".to_string(),
        client_description: String::new(),
        expires_in: None,
    };
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

    let params = OauthRevokeTokenPostParams {
        token: token.access_token.clone(),
        token_type_hint: Some("id_token".to_string()),
    };
    let (code, error) = api_error(f.admin.oauth_revoke_token_post(&params).await);
    let body = status(
        400,
        "UNSUPPORTED_TOKEN_TYPE",
        "unknown token type `id_token`",
    );
    assert_eq!(
        (code, error),
        (
            400,
            OauthRevokeTokenPostError::Default { status: 400, body }
        )
    );
    assert!(f.api.is_active(&token.access_token));
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
