//! The Rust `oauth2` crate (v5, `reqwest` feature, on the workspace's reqwest 0.12) against
//! the generated Nutanix server serving the reference implementation on 127.0.0.1:
//! authorization code (the code from the reference's authorize endpoint), refresh,
//! revocation and a wrong secret, with `BasicClient` in its default auth type (HTTP Basic,
//! which this crate form-encodes as RFC 6749 §2.3.1 asks) and in `RequestBody`.
//!
//! One test per row of `INTEROP.md` (checked by `interop_doc.rs`).

mod nutanix_common;

use std::sync::Mutex;

use base64::Engine as _;
use generated::nutanix::{
    OauthClientResponse, OauthRevokeTokenPostParams,
};
use oauth2::basic::{
    BasicClient, BasicRequestTokenError, BasicRevocationErrorResponse, BasicTokenResponse,
};
use oauth2::{
    AsyncHttpClient, AuthType, AuthorizationCode, ClientId, ClientSecret, EndpointNotSet,
    EndpointSet, HttpClientError, HttpRequest, HttpResponse, RedirectUrl, RefreshToken,
    RequestTokenError, RevocationUrl, StandardRevocableToken, TokenResponse, TokenUrl,
};
use oauth_api_tests::harness::Recorded;
use oauth_api_tests::reference::nutanix::Nutanix;

use nutanix_common::{Fixture, BASE, FORM, REDIRECT};

/// A secret with every character RFC 6749 §2.3.1's form-encoding changes.
const SPECIAL_SECRET: &str = "p@ss w+rd:%&=";

/// `BasicClient` with a token and a revocation endpoint.
type Oauth2Client =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet, EndpointSet>;

type RevocationError =
    RequestTokenError<HttpClientError<reqwest::Error>, BasicRevocationErrorResponse>;

struct Rig {
    f: Fixture,
    app: OauthClientResponse,
    /// What oauth2 is given as HTTP client: no redirects followed (the crate's advice).
    http: reqwest::Client,
}

async fn rig() -> Rig {
    let f = Fixture::start(Nutanix::new()).await;
    let app = f.register("oauth2-crate").await;
    Rig {
        f,
        app,
        http: http(),
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

impl Rig {
    fn base(&self) -> String {
        format!("{}{BASE}", self.f.server.url())
    }

    /// `BasicClient` for the app with `secret`, in its default auth type (Basic).
    fn client(&self, secret: &str) -> Oauth2Client {
        BasicClient::new(ClientId::new(self.app.client_id.clone()))
            .set_client_secret(ClientSecret::new(secret.to_string()))
            .set_token_uri(
                TokenUrl::new(format!("{}/oauth/token", self.base())).expect("token URL"),
            )
            .set_redirect_uri(RedirectUrl::new(REDIRECT.to_string()).expect("redirect URL"))
            // oauth2 refuses a revocation URL that is not https (RFC 7009 §2): the test
            // serves plain HTTP on loopback, see `loopback_tls`.
            .set_revocation_url(
                RevocationUrl::new(
                    format!("{}/oauth/revoke_token", self.base())
                        .replacen("http://", "https://", 1),
                )
                .expect("revocation URL"),
            )
    }

    /// A code for the app, approved by the admin through the reference's authorize endpoint.
    async fn code(&self) -> String {
        self.f.authorization_code(&self.app, None).await
    }

    /// A token pair from the authorization code grant, by oauth2 in its default mode.
    async fn token_pair(&self) -> BasicTokenResponse {
        let code = AuthorizationCode::new(self.code().await);
        let token = self
            .client(&self.app.client_secret)
            .exchange_code(code)
            .request_async(&self.http)
            .await
            .expect("a token pair");
        self.f.server.take_requests();
        token
    }

    /// The one request to `path` (under the base path) since the last take.
    fn wire(&self, path: &str) -> Recorded {
        let wire = self.f.server.take_one();
        assert_eq!(
            (wire.method.as_str(), wire.path.as_str()),
            ("POST", format!("{BASE}{path}").as_str())
        );
        wire
    }
}

/// What went on the wire to the token endpoint: a form body with exactly `params`, and
/// `Authorization: Basic` with the id and secret form-encoded (RFC 6749 §2.3.1), not in the body.
fn assert_basic_form(wire: &Recorded, id: &str, secret: &str, params: &[&str]) {
    assert_eq!(wire.content_type(), Some(FORM));
    let names: Vec<String> = wire.form().into_iter().map(|(k, _)| k).collect();
    assert_eq!(names, params, "body parameters");
    let header = wire
        .header("authorization")
        .expect("an Authorization header");
    let encoded = header.strip_prefix("Basic ").expect("HTTP Basic");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let expected = format!(
        "{}:{}",
        oauth_api_tests::harness::form_encode(id),
        oauth_api_tests::harness::form_encode(secret)
    );
    assert_eq!(String::from_utf8(decoded).expect("UTF-8"), expected);
}

/// The RFC 6749 §5.2 error oauth2 read from the server (its `Display`: `code: description`).
/// The Nutanix spec declares `OauthStatus` for errors; the generated server adds `error` and
/// `error_description` to it on OAuth endpoints, so RFC clients read the code.
fn server_error<RE: std::error::Error + 'static, T: oauth2::ErrorResponse + 'static>(error: RequestTokenError<RE, T>) -> String {
    match error {
        RequestTokenError::ServerResponse(response) => response.to_string(),
        other => panic!("expected RequestTokenError::ServerResponse, got {other:?}"),
    }
}


#[tokio::test]
async fn oauth2_basic_authorization_code_nutanix() {
    let rig = rig().await;
    let code = rig.code().await;
    let token = rig
        .client(&rig.app.client_secret)
        .exchange_code(AuthorizationCode::new(code.clone()))
        .request_async(&rig.http)
        .await
        .expect("a token");
    assert_eq!(token.token_type(), &oauth2::basic::BasicTokenType::Bearer);
    assert!(rig.f.api.is_active(token.access_token().secret()));
    assert!(token
        .refresh_token()
        .is_some_and(|rt| rig.f.api.is_active(rt.secret())));
    assert_eq!(
        token.expires_in(),
        Some(std::time::Duration::from_secs(3600))
    );
    let wire = rig.wire("/oauth/token");
    assert_basic_form(
        &wire,
        &rig.app.client_id,
        &rig.app.client_secret,
        &["grant_type", "code", "redirect_uri"],
    );
    assert_eq!(
        rig.f.api.last_client().map(|c| c.method),
        Some(oauth_api::oauth::ClientAuthMethod::Basic)
    );
    rig.f.stop().await;
}

#[tokio::test]
async fn oauth2_basic_special_secret_nutanix() {
    // oauth2 form-encodes Basic credentials (RFC 6749 §2.3.1); the server form-decodes them.
    let app = OauthClientResponse::new(
        "special",
        vec![REDIRECT.to_string()],
        "a secret with reserved characters",
        vec!["openid".to_string()],
        "special client",
        SPECIAL_SECRET,
    );
    let f = Fixture::start(Nutanix::new().with_oauth_client(app.clone())).await;
    let rig = Rig {
        f,
        app,
        http: http(),
    };
    let code = rig.code().await;
    let token = rig
        .client(SPECIAL_SECRET)
        .exchange_code(AuthorizationCode::new(code))
        .request_async(&rig.http)
        .await
        .expect("a token");
    assert!(rig.f.api.is_active(token.access_token().secret()));
    let wire = rig.wire("/oauth/token");
    assert_basic_form(
        &wire,
        "special client",
        SPECIAL_SECRET,
        &["grant_type", "code", "redirect_uri"],
    );
    let client = rig.f.api.last_client().expect("a client");
    assert_eq!(
        (
            client.client_id.as_str(),
            client.client_secret.as_ref().map(|s| s.expose())
        ),
        ("special client", Some(SPECIAL_SECRET))
    );
    rig.f.stop().await;
}

#[tokio::test]
async fn oauth2_request_body_authorization_code_nutanix() {
    let rig = rig().await;
    let code = rig.code().await;
    let token = rig
        .client(&rig.app.client_secret)
        .set_auth_type(AuthType::RequestBody)
        .exchange_code(AuthorizationCode::new(code))
        .request_async(&rig.http)
        .await
        .expect("a token");
    assert!(rig.f.api.is_active(token.access_token().secret()));
    let wire = rig.wire("/oauth/token");
    assert_eq!(wire.header("authorization"), None);
    let names: Vec<String> = wire.form().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "grant_type",
            "code",
            "client_id",
            "client_secret",
            "redirect_uri"
        ]
    );
    assert_eq!(
        rig.f.api.last_client().map(|c| c.method),
        Some(oauth_api::oauth::ClientAuthMethod::Post)
    );
    rig.f.stop().await;
}

#[tokio::test]
async fn oauth2_basic_refresh_token_nutanix() {
    let rig = rig().await;
    let pair = rig.token_pair().await;
    let old = pair.refresh_token().expect("a refresh token").clone();
    let token = rig
        .client(&rig.app.client_secret)
        .exchange_refresh_token(&old)
        .request_async(&rig.http)
        .await
        .expect("a refreshed token");
    assert!(rig.f.api.is_active(token.access_token().secret()));
    // Refresh tokens rotate.
    assert!(!rig.f.api.is_active(old.secret()));
    let new = token.refresh_token().expect("a new refresh token");
    assert!(rig.f.api.is_active(new.secret()));
    let wire = rig.wire("/oauth/token");
    assert_basic_form(
        &wire,
        &rig.app.client_id,
        &rig.app.client_secret,
        &["grant_type", "refresh_token"],
    );
    // The rotated one is refused: RFC 6749 §5.2 invalid_grant, typed.
    let error = rig
        .client(&rig.app.client_secret)
        .exchange_refresh_token(&old)
        .request_async(&rig.http)
        .await
        .expect_err("a used refresh token");
    assert!(server_error(error).starts_with("invalid_grant"));
    rig.f.stop().await;
}

/// Carries the `https://127.0.0.1` URL oauth2 insists on for revocation over plain HTTP (a
/// stand-in for TLS termination on loopback); oauth2 builds the request as it always does.
struct LoopbackTls<'a>(&'a reqwest::Client);

impl<'c> AsyncHttpClient<'c> for LoopbackTls<'_> {
    type Error = HttpClientError<reqwest::Error>;
    type Future = <reqwest::Client as AsyncHttpClient<'c>>::Future;

    fn call(&'c self, mut request: HttpRequest) -> Self::Future {
        let uri = request.uri().to_string();
        assert!(uri.starts_with("https://127.0.0.1:"), "{uri}");
        *request.uri_mut() = uri
            .replacen("https://", "http://", 1)
            .parse()
            .expect("a URI");
        self.0.call(request)
    }
}

#[tokio::test]
async fn oauth2_basic_revocation_nutanix() {
    let rig = rig().await;
    let pair = rig.token_pair().await;
    let refresh = pair.refresh_token().expect("a refresh token").clone();
    let result: Result<(), RevocationError> = rig
        .client(&rig.app.client_secret)
        .revoke_token(StandardRevocableToken::RefreshToken(refresh.clone()))
        .expect("an https revocation URL")
        .request_async(&LoopbackTls(&rig.http))
        .await;
    // RFC 7009 §2.1: the token goes in the form body. The spec takes it in the query: 400.
    let error = server_error(result.expect_err("revocation is impossible by the spec"));
    assert_eq!(error, "invalid_request: missing required query parameter `token`");
    let wire = rig.wire("/oauth/revoke_token");
    assert_eq!(wire.query, None);
    assert_basic_form(
        &wire,
        &rig.app.client_id,
        &rig.app.client_secret,
        &["token", "token_type_hint"],
    );
    assert!(
        rig.f.api.is_active(refresh.secret()),
        "the token must still be active"
    );

    // The documented way out: the generated client sends the token in the query.
    let params = OauthRevokeTokenPostParams {
        token: refresh.secret().clone(),
        token_type_hint: Some("refresh_token".to_string()),
    };
    let revoked = rig
        .f
        .oauth_client(&rig.app)
        .oauth_revoke_token_post(&params)
        .await
        .expect("revocation");
    assert_eq!(revoked.status(), 200);
    assert!(!rig.f.api.is_active(refresh.secret()));
    // And the revoked refresh token no longer refreshes.
    let error = rig
        .client(&rig.app.client_secret)
        .exchange_refresh_token(&RefreshToken::new(refresh.secret().clone()))
        .request_async(&rig.http)
        .await;
    assert!(server_error(error.expect_err("revoked")).starts_with("invalid_grant"));
    rig.f.stop().await;
}

#[tokio::test]
async fn oauth2_basic_wrong_secret_nutanix() {
    let rig = rig().await;
    let code = rig.code().await;
    // The HTTP client records the status and challenge oauth2 does not hand over.
    let seen: Mutex<Option<(u16, Option<String>)>> = Mutex::new(None);
    let recording = |request: HttpRequest| {
        let (http, seen) = (&rig.http, &seen);
        async move {
            let response: HttpResponse = http.call(request).await?;
            let challenge = response
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            *seen.lock().expect("lock") = Some((response.status().as_u16(), challenge));
            Ok::<_, HttpClientError<reqwest::Error>>(response)
        }
    };
    let result: Result<
        BasicTokenResponse,
        BasicRequestTokenError<HttpClientError<reqwest::Error>>,
    > = rig
        .client("wrong")
        .exchange_code(AuthorizationCode::new(code))
        .request_async(&recording)
        .await;
    // 401 with a challenge, and the typed `invalid_client` of RFC 6749 §5.2 (the spec's
    // OauthStatus, with `error` added).
    match result.expect_err("a wrong secret") {
        RequestTokenError::ServerResponse(response) => assert_eq!(*response.error(), oauth2::basic::BasicErrorResponseType::InvalidClient),
        other => panic!("expected the typed invalid_client, got {other:?}"),
    }
    let (status, challenge) = seen.lock().expect("lock").clone().expect("a response");
    assert_eq!(status, 401);
    assert!(
        challenge.is_some_and(|c| c.starts_with("Basic ")),
        "WWW-Authenticate"
    );
    rig.f.stop().await;
}
