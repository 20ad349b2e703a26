//! Shared by the Nutanix end-to-end tests: the server fixture (generated router under
//! `/api/nutanix/v3` serving the reference implementation, admin and viewer clients) and
//! helpers to check what went on the wire.
#![allow(dead_code)]

use generated::nutanix::client::{Client, Error, ResponseValue};
use generated::nutanix::server;
use generated::nutanix::*;
use oauth_api_tests::harness::{Recorded, TestServer};
use oauth_api_tests::reference::nutanix::{Nutanix, ADMIN, VIEWER};

pub const BASE: &str = "/api/nutanix/v3";
pub const JSON: &str = "application/json";
pub const FORM: &str = "application/x-www-form-urlencoded";
pub const REDIRECT: &str = "https://app.example.com/callback";
/// `admin:Nutanix/4u:2024` in base64: plain RFC 7617 Basic, no form-encoding.
pub const ADMIN_BASIC: &str = "Basic YWRtaW46TnV0YW5peC80dToyMDI0";

pub struct Fixture {
    pub api: Nutanix,
    pub server: TestServer,
    pub admin: Client,
    pub viewer: Client,
}

impl Fixture {
    pub async fn start(api: Nutanix) -> Fixture {
        let app = axum::Router::new().nest(BASE, server::router(api.clone()));
        let server = TestServer::start(app).await;
        let base = format!("{}{BASE}", server.url());
        let admin = Client::new(base.clone())
            .expect("client")
            .with_basic_auth(ADMIN.0, ADMIN.1);
        let viewer = Client::new(base)
            .expect("client")
            .with_basic_auth(VIEWER.0, VIEWER.1);
        Fixture {
            api,
            server,
            admin,
            viewer,
        }
    }

    pub fn anonymous(&self, user: &str, password: &str) -> Client {
        self.unauthenticated().with_basic_auth(user, password)
    }

    /// A client without credentials.
    pub fn unauthenticated(&self) -> Client {
        Client::new(format!("{}{BASE}", self.server.url())).expect("client")
    }

    /// A client that authenticates as OAuth client `app` with HTTP Basic (RFC 6749 §2.3.1).
    pub fn oauth_client(&self, app: &OauthClientResponse) -> Client {
        self.unauthenticated()
            .with_client_credentials(&app.client_id, app.client_secret.as_str())
    }

    pub async fn register(&self, name: &str) -> OauthClientResponse {
        let client = self
            .admin
            .oauth_client_post(&input(name))
            .await
            .expect("register")
            .into_inner();
        self.server.take_requests();
        client
    }

    /// A code for `app` (redirect URI [`REDIRECT`], with `state` if given), approved by the
    /// admin through the reference's authorize endpoint; the recorded requests are cleared.
    pub async fn authorization_code(&self, app: &OauthClientResponse, state: Option<&str>) -> String {
        let authorize = OauthAuthorizeRequest {
            redirect_uri: Some(REDIRECT.to_string()),
            state: state.map(str::to_string),
            ..OauthAuthorizeRequest::new(&app.client_id, OauthAuthorizeRequestConfirm::Yes)
        };
        let found = self.admin.oauth_authorize_post(&authorize).await.expect("authorize").into_inner();
        let OauthAuthorizePostSuccess::Found { location: Some(location) } = found else {
            panic!("authorize did not redirect")
        };
        self.server.take_requests();
        query_param(&location, "code").expect("a code in the redirect")
    }

    pub async fn stop(self) {
        self.server.stop().await;
    }
}

pub fn input(name: &str) -> OauthClientInput {
    OauthClientInput::new(
        name,
        vec![REDIRECT.to_string()],
        format!("{name} app"),
        vec!["openid".to_string(), "profile".to_string()],
    )
}

/// The status and typed body of an `Error::Api`, or a panic naming what came instead.
pub fn api_error<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
) -> (u16, E) {
    match result {
        Err(Error::Api(api)) => (api.status(), api.into_value()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Checks method, path (under the base path), query, content type and admin Basic auth.
pub fn assert_wire(
    wire: &Recorded,
    method: &str,
    path: &str,
    query: Option<&str>,
    content_type: Option<&str>,
) {
    assert_eq!(wire.method, method);
    assert_eq!(wire.path, format!("{BASE}{path}"));
    assert_eq!(wire.query.as_deref(), query);
    assert_eq!(wire.content_type(), content_type);
    assert_eq!(wire.header("authorization"), Some(ADMIN_BASIC));
}

/// The value of query parameter `name` in URL `location`.
pub fn query_param(location: &str, name: &str) -> Option<String> {
    let (_, query) = location.split_once('?')?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

