//! Requests per second of the generated Polaris server against a hand-written axum handler
//! doing the same work (issue 14: within 5%).
//!
//! Both serve `POST /v1/oauth/tokens` on 127.0.0.1 from the same one-thread tokio runtime:
//! the client authenticates with HTTP Basic, the body is a form-encoded client credentials
//! request; the server decodes the credentials and the form into the same typed
//! `OAuthTokenRequest`, validates it, checks the client authentication and answers the same
//! `OAuthTokenResponse` as JSON with `Cache-Control: no-store`. The generated side is
//! `polaris::server::router` with an `Api` whose `get_token` builds the answer; the
//! hand-written side is the code a careful axum user writes for that endpoint.
//!
//! The load generator runs on the main thread (a current-thread runtime): a fixed number of
//! requests over a few keep-alive HTTP/1.1 connections, each sending its next request when
//! the previous answer has been read. The two servers take turns, in rounds (alternating
//! which goes first); the figures are medians over the rounds, and the verdict is the median
//! of each round's ratio (both sides of a round ran back to back). Server CPU is the process's
//! user + sys time less the load generator's thread time, per request.
//!
//! `cargo bench -p oauth-api-tests --bench server_rps` (`BENCH_QUICK=1`: fewer rounds).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use generated::polaris::server::{self, Failure, GetTokenRequest};
use generated::polaris::{
    GetTokenError, OAuthError, OAuthErrorError, OAuthTokenRequest, OAuthTokenResponse, OAuthTokenResponseTokenType,
    TokenType,
};
use oauth_api::Validate;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Concurrent keep-alive connections.
const CONNECTIONS: usize = 4;
/// Requests per side and round.
const REQUESTS: usize = 8_000;
/// Longest wait for one answer.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
const FORM: &str = "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL";
/// `root:s3cr3t`.
const BASIC: &str = "Basic cm9vdDpzM2NyM3Q=";

/// The answer both servers give a client.
fn answer(client_id: &str, scope: Option<&str>) -> OAuthTokenResponse {
    OAuthTokenResponse {
        expires_in: Some(3600),
        issued_token_type: Some(TokenType::AccessToken),
        scope: scope.map(str::to_string),
        ..OAuthTokenResponse::new(format!("pol_at_{client_id}_0123456789abcdef"), OAuthTokenResponseTokenType::Bearer)
    }
}

fn scope(request: &OAuthTokenRequest) -> Option<&str> {
    match request {
        OAuthTokenRequest::ClientCredentials(r) => r.scope.as_deref(),
        OAuthTokenRequest::TokenExchange(r) => r.scope.as_deref(),
    }
}

/// The generated side: the router decodes, validates and authenticates; this answers.
struct Generated;

impl server::Api for Generated {
    async fn get_token(&self, request: GetTokenRequest) -> Result<OAuthTokenResponse, Failure<GetTokenError>> {
        let client = request.client.as_ref().map(|c| c.client_id.clone()).unwrap_or_default();
        Ok(answer(&client, scope(&request.body)))
    }
}

/// An RFC 6749 §5.2 error of the hand-written side.
struct Refusal(StatusCode, OAuthErrorError, String);

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The hand-written side: the same route, decoding, validation and answer, by hand.
async fn hand_written(headers: HeaderMap, body: Bytes) -> Response {
    let response = match token(&headers, &body) {
        Ok(token) => axum::Json(token).into_response(),
        Err(Refusal(status, error, description)) => {
            let body = OAuthError { error_description: Some(description), ..OAuthError::new(error) };
            (status, axum::Json(body)).into_response()
        }
    };
    no_store(response)
}

/// HTTP Basic client credentials, form-decoded (RFC 6749 §2.3.1).
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, Refusal> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let bad = || Refusal(StatusCode::UNAUTHORIZED, OAuthErrorError::InvalidClient, "malformed Basic credentials".into());
    let encoded = value.to_str().ok().and_then(|v| v.strip_prefix("Basic ")).ok_or_else(bad)?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    let form_decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8().map(|t| t.into_owned());
    Ok(Some((form_decode(id).map_err(|_| bad())?, form_decode(secret).map_err(|_| bad())?)))
}

fn token(headers: &HeaderMap, body: &[u8]) -> Result<OAuthTokenResponse, Refusal> {
    let invalid = |message: String| Refusal(StatusCode::BAD_REQUEST, OAuthErrorError::InvalidRequest, message);
    let form = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(Refusal(StatusCode::UNSUPPORTED_MEDIA_TYPE, OAuthErrorError::InvalidRequest, "expected a form body".into()));
    }
    let basic = basic(headers)?;
    let request: OAuthTokenRequest = serde_urlencoded::from_bytes(body).map_err(|e| invalid(format!("invalid form body: {e}")))?;
    request.validate("").map_err(invalid)?;
    let (body_id, body_secret) = match &request {
        OAuthTokenRequest::ClientCredentials(r) => (r.client_id.as_deref(), r.client_secret.as_deref()),
        OAuthTokenRequest::TokenExchange(_) => (None, None),
    };
    let client = match (basic, body_id) {
        (Some(_), _) if body_secret.is_some() => return Err(invalid("client credentials came twice".into())),
        (Some((id, _)), Some(other)) if id != other => return Err(invalid("two different clients".into())),
        (Some((id, _)), _) => id,
        (None, Some(id)) => id.to_string(),
        (None, None) => {
            return Err(Refusal(StatusCode::UNAUTHORIZED, OAuthErrorError::InvalidClient, "client authentication is required".into()))
        }
    };
    Ok(answer(&client, scope(&request)))
}

fn hand_router() -> axum::Router {
    axum::Router::new().route("/v1/oauth/tokens", axum::routing::post(hand_written))
}

/// Reads one HTTP/1.1 answer into `buf` (left holding what follows it); its status.
async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> u16 {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).expect("an ASCII head");
            let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).expect("a status line");
            let length: usize = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse().ok())
                .expect("a Content-Length");
            let total = end + 4 + length;
            while buf.len() < total {
                read_more(stream, buf).await;
            }
            buf.drain(..total);
            return status;
        }
        read_more(stream, buf).await;
    }
}

async fn read_more(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) {
    let mut chunk = [0u8; 4096];
    let n = tokio::time::timeout(READ_TIMEOUT, stream.read(&mut chunk)).await.expect("an answer in time").expect("reads");
    assert!(n > 0, "the server closed the connection");
    buf.extend_from_slice(&chunk[..n]);
}

/// One keep-alive connection sending `count` requests, one after the other.
async fn connection(addr: SocketAddr, request: std::sync::Arc<Vec<u8>>, count: usize) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    stream.set_nodelay(true).expect("sets TCP_NODELAY");
    let mut buf = Vec::with_capacity(8192);
    for _ in 0..count {
        stream.write_all(&request).await.expect("writes");
        assert_eq!(read_response(&mut stream, &mut buf).await, 200);
    }
}

/// `requests` requests over [`CONNECTIONS`] connections; the wall time they took.
async fn load(addr: SocketAddr, request: &std::sync::Arc<Vec<u8>>, requests: usize) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONNECTIONS).map(|_| tokio::spawn(connection(addr, request.clone(), requests / CONNECTIONS))).collect();
    for task in tasks {
        task.await.expect("a connection finished");
    }
    started.elapsed()
}

fn clock(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes a `timespec` into the pointer it is given.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time of the process less this (the load generator's) thread.
fn server_cpu() -> Duration {
    clock(libc::CLOCK_PROCESS_CPUTIME_ID).saturating_sub(clock(libc::CLOCK_THREAD_CPUTIME_ID))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let rounds = if quick { 5 } else { 15 };
    let servers = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime");
    let serve = |router: axum::Router| {
        let listener = servers.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("binds");
        let addr = listener.local_addr().expect("an address");
        let task = servers.spawn(async move { axum::serve(listener, router).await });
        (addr, task)
    };
    let (generated, generated_task) = serve(server::router(Generated));
    let (hand, hand_task) = serve(hand_router());
    let request = |addr: SocketAddr| {
        std::sync::Arc::new(
            format!(
                "POST /v1/oauth/tokens HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {BASIC}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{FORM}",
                FORM.len()
            )
            .into_bytes(),
        )
    };
    let sides = [(generated, request(generated)), (hand, request(hand))];
    let client = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let (mut rps, mut cpu) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    client.block_on(async {
        // Warm-up: connections, allocator, caches.
        for (addr, request) in &sides {
            load(*addr, request, REQUESTS / 4).await;
        }
        for round in 0..rounds {
            for side in if round % 2 == 0 { [0, 1] } else { [1, 0] } {
                let (addr, request) = &sides[side];
                let cpu_before = server_cpu();
                let wall = load(*addr, request, REQUESTS).await;
                let per_request = (REQUESTS / CONNECTIONS * CONNECTIONS) as f64;
                rps[side].push(per_request / wall.as_secs_f64());
                cpu[side].push((server_cpu() - cpu_before).as_secs_f64() * 1e6 / per_request);
            }
        }
    });
    generated_task.abort();
    hand_task.abort();
    drop(servers);
    // Each round ran both sides back to back: the ratio within a round holds when the
    // machine's speed drifts between rounds.
    let mut paired: Vec<f64> = rps[0].iter().zip(&rps[1]).map(|(g, h)| g / h).collect();
    paired.sort_by(f64::total_cmp);
    let (low, high) = (paired[0], paired[paired.len() - 1]);
    let ratio = median(paired);
    let [gen_rps, hand_rps] = rps.map(median);
    let [gen_cpu, hand_cpu] = cpu.map(median);
    println!("{rounds} interleaved rounds of {REQUESTS} requests per side over {CONNECTIONS} keep-alive connections (127.0.0.1, server on one tokio worker thread); medians.\n");
    println!("| server | requests/s | server CPU per request (µs) |");
    println!("| --- | ---: | ---: |");
    println!("| hand-written axum handler | {hand_rps:.0} | {hand_cpu:.1} |");
    println!("| generated `polaris::server::router` | {gen_rps:.0} | {gen_cpu:.1} |");
    println!("| generated / hand-written | {:.3} | {:.3} |", gen_rps / hand_rps, gen_cpu / hand_cpu);
    println!("\nRequests/s of the generated server over the hand-written one's in the same round: median {ratio:.3} ({low:.3}–{high:.3}).");
    let verdict = if ratio >= 0.95 { "within" } else { "OUTSIDE" };
    println!("\nThe generated server serves {:.1}% of the hand-written handler's requests per second (median of the rounds' ratios): {verdict} the 5% target.", ratio * 100.0);
}
