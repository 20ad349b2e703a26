//! Test harness: serve an axum router on loopback, record every request as it arrived on
//! the wire, and stop the server at the end of the test.
//!
//! ```no_run
//! # async fn example() {
//! use oauth_api_tests::reference::{harness::TestServer, polaris::Polaris};
//! let server = TestServer::start(generated::polaris::server::router(Polaris::new())).await;
//! let client = generated::polaris::Client::new(server.url()).unwrap();
//! // … call the client, then look at `server.requests()` …
//! server.stop().await;
//! # }
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The largest body the recorder keeps; larger requests get `413` before reaching the router.
const RECORD_LIMIT: usize = 16 * 1024 * 1024;
/// How long [`TestServer::stop`] waits for the graceful shutdown.
const SHUTDOWN_LIMIT: Duration = Duration::from_secs(10);

/// One request as it arrived on the wire.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, still percent-encoded.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// All request headers.
    pub headers: HeaderMap,
    /// The raw body bytes.
    pub body: Bytes,
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// Its `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// Its content, as text.
    pub value: String,
}

impl Recorded {
    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All values of header `name`.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The body as UTF-8 text (panics when it is not).
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("request body is not UTF-8")
    }

    /// The body decoded as `application/x-www-form-urlencoded` pairs, in order.
    pub fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_bytes(&self.body).expect("request body is not a form")
    }

    /// The body decoded as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is not JSON")
    }

    /// The `user:password` of an `Authorization: Basic` header, base64-decoded but not
    /// otherwise decoded.
    pub fn basic_auth(&self) -> Option<(String, String)> {
        let value = self.header("authorization")?;
        let encoded = value.strip_prefix("Basic ")?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (user, password) = text.split_once(':')?;
        Some((user.to_string(), password.to_string()))
    }

    /// The parts of a `multipart/form-data` body, in order (panics when it is not one).
    pub fn multipart(&self) -> Vec<Part> {
        let content_type = self.content_type().expect("no content type");
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()
            .expect("no multipart boundary")
            .trim_matches('"');
        parse_multipart(self.body_text(), boundary)
    }
}

/// Parses a `multipart/form-data` body of text parts (RFC 7578).
pub fn parse_multipart(body: &str, boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    let mut sections = body.split(delimiter.as_str());
    assert_eq!(
        sections.next(),
        Some(""),
        "multipart body must start with the delimiter"
    );
    let mut parts = Vec::new();
    let mut closed = false;
    for section in sections {
        if section.starts_with("--") {
            closed = true;
            break;
        }
        let section = section
            .strip_prefix("\r\n")
            .expect("delimiter must end with CRLF");
        let section = section
            .strip_suffix("\r\n")
            .expect("part must end with CRLF");
        let (head, value) = section
            .split_once("\r\n\r\n")
            .expect("part without headers");
        let mut name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let (key, val) = line.split_once(':').expect("malformed part header");
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    assert!(val.trim().starts_with("form-data"), "not form-data: {val}");
                    name = val
                        .split(';')
                        .filter_map(|p| p.trim().strip_prefix("name="))
                        .map(|n| n.trim_matches('"').to_string())
                        .next();
                }
                "content-type" => content_type = Some(val.trim().to_string()),
                _ => {}
            }
        }
        parts.push(Part {
            name: name.expect("part without a name"),
            content_type,
            value: value.to_string(),
        });
    }
    assert!(closed, "multipart body without closing delimiter");
    parts
}

/// The requests a server received, shared with the recording middleware.
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<Recorded>>>);

impl Recorder {
    fn lock(&self) -> MutexGuard<'_, Vec<Recorded>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().clone()
    }

    /// Every request so far, forgetting them.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.lock())
    }

    /// Wraps `app` so that every request (matched or not) is recorded before it runs.
    pub fn wrap(&self, app: Router) -> Router {
        Router::new()
            .fallback_service(app)
            .layer(axum::middleware::from_fn_with_state(self.clone(), record))
    }
}

async fn record(State(recorder): State<Recorder>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, RECORD_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    recorder.lock().push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body: bytes.clone(),
    });
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A server on `127.0.0.1:<ephemeral>` that records its requests.
///
/// Stop it with [`TestServer::stop`] (graceful); dropping it (e.g. when a test panics)
/// signals the shutdown and aborts the task.
pub struct TestServer {
    addr: SocketAddr,
    recorder: Recorder,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// Binds the listener, then spawns the server: it accepts connections on return.
    pub async fn start(app: Router) -> TestServer {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let recorder = Recorder::default();
        let app = recorder.wrap(app);
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = signal.await;
                })
                .await
        });
        TestServer {
            addr,
            recorder,
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    /// A hand-made server answering every request with `status`, `headers` and `body`: for
    /// responses the generated router never produces (undeclared statuses, bodies that do
    /// not decode).
    pub async fn canned(status: u16, headers: &[(&str, &str)], body: &[u8]) -> TestServer {
        let status = StatusCode::from_u16(status).expect("status code");
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let body = Bytes::copy_from_slice(body);
        let handler = move || {
            let (headers, body) = (headers.clone(), body.clone());
            async move {
                let mut response = Response::new(Body::from(body));
                *response.status_mut() = status;
                for (name, value) in headers {
                    let name =
                        axum::http::HeaderName::from_bytes(name.as_bytes()).expect("header name");
                    response
                        .headers_mut()
                        .append(name, value.parse().expect("header value"));
                }
                response
            }
        };
        TestServer::start(Router::new().fallback(handler)).await
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorder.requests()
    }

    /// Every request since the last call, forgetting them.
    pub fn take_requests(&self) -> Vec<Recorded> {
        self.recorder.take()
    }

    /// The single request since the last `take_*` call (panics if there were 0 or several).
    pub fn take_one(&self) -> Recorded {
        let mut requests = self.recorder.take();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:?}"
        );
        requests.remove(0)
    }

    /// Graceful shutdown: stops accepting, lets open requests finish, waits (bounded).
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            match tokio::time::timeout(SHUTDOWN_LIMIT, task).await {
                Ok(joined) => joined
                    .expect("server task panicked")
                    .expect("server failed"),
                Err(_) => panic!("server did not shut down within {SHUTDOWN_LIMIT:?}"),
            }
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// `Basic base64(user:password)`, the `Authorization` value of RFC 7617.
pub fn basic(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 §2.3.1 and
/// Appendix B ask for client ids and secrets in HTTP Basic: only `A-Z a-z 0-9 - . _ *`
/// stay, space becomes `+`.
pub fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
