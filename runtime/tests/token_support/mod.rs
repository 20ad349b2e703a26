//! An in-process mock authorization server for the token layer tests: axum on 127.0.0.1:0,
//! recording every request, answering what the test's handler says.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use url::Url;

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub host: String,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    pub content_type: Option<String>,
    /// The form body (POST) or the query (GET).
    pub form: Vec<(String, String)>,
}

impl Seen {
    /// The first value of a form field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a form field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.form.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// `grant_type`, or "".
    pub fn grant(&self) -> &str {
        self.get("grant_type").unwrap_or("")
    }

    /// The base URL the request was sent to.
    pub fn base(&self) -> String {
        format!("http://{}", self.host)
    }
}

/// What the server answers.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply { status, body, delay: Duration::ZERO }
    }

    /// An RFC 6749 §5.2 error.
    pub fn error(status: u16, code: &str) -> Self {
        Reply::json(status, json!({ "error": code, "error_description": format!("mock: {code}") }))
    }

    /// A Bearer token response.
    pub fn token(access: &str, expires_in: Option<u64>, refresh: Option<&str>) -> Self {
        let mut body = json!({ "access_token": access, "token_type": "bearer" });
        if let Some(expires_in) = expires_in {
            body["expires_in"] = json!(expires_in);
        }
        if let Some(refresh) = refresh {
            body["refresh_token"] = json!(refresh);
        }
        Reply::json(200, body)
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Shared {
    seen: Arc<Mutex<Vec<Seen>>>,
    handler: Handler,
}

/// A running mock server.
pub struct MockServer {
    pub base: Url,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl MockServer {
    /// Starts a server whose answers come from `handler(request, index)` (`index` counts
    /// requests from 1).
    pub async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared { seen: seen.clone(), handler: Arc::new(handler) };
        let app = axum::Router::new().fallback(handle).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MockServer { base: Url::parse(&format!("http://{address}/")).expect("base URL"), seen }
    }

    /// A token server: every grant gets a new token `at-N` (N = request number) that expires
    /// in `expires_in`, with a refresh token `rt-N` if `refresh`.
    pub async fn issuing(expires_in: Option<u64>, refresh: bool) -> Self {
        Self::start(move |_, n| Reply::token(&format!("at-{n}"), expires_in, refresh.then(|| format!("rt-{n}")).as_deref())).await
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).expect("URL")
    }

    pub fn token_url(&self) -> Url {
        self.url("token")
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }

    pub fn grants(&self) -> Vec<String> {
        self.requests().iter().map(|s| s.grant().to_string()).collect()
    }

    pub fn last(&self) -> Seen {
        self.requests().last().cloned().expect("a request")
    }
}

async fn handle(State(shared): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let form: Vec<(String, String)> = if method == Method::GET {
        serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default()
    } else {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    };
    let seen = Seen {
        method: method.to_string(),
        path: uri.path().to_string(),
        host: text(header::HOST).unwrap_or_default(),
        authorization: text(header::AUTHORIZATION),
        accept: text(header::ACCEPT),
        content_type: text(header::CONTENT_TYPE),
        form,
    };
    let index = {
        let mut all = shared.seen.lock().expect("lock");
        all.push(seen.clone());
        all.len()
    };
    let reply = (shared.handler)(&seen, index);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Value::String(text) => (status, text).into_response(),
        body => (status, axum::Json(body)).into_response(),
    }
}

/// Runs `future`, failing the test if it takes longer than `seconds`.
pub async fn within<T>(seconds: u64, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(seconds), future).await.expect("the test took too long")
}
