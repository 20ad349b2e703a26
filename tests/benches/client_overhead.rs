//! What the generated client with a token source costs over raw reqwest doing the same request
//! (issue 12: within 5%).
//!
//! Both send Polaris' token exchange (`POST /v1/oauth/tokens`, form body, `Authorization:
//! Bearer …`) to the same in-process axum server on 127.0.0.1 and decode the same JSON answer
//! into `OAuthTokenResponse`. The generated side takes its Bearer token from a
//! `CachedTokenSource` seeded with a valid token (the cached path) and goes through the
//! runtime's `Core::send`: credentials per security requirement, timeouts, body cap (the raw
//! side sets the same 30 s per-request timeout, as a careful reqwest user does). The two
//! run interleaved, in rounds, so that machine noise falls on both; the figures are medians
//! per call over the rounds, in wall time and in CPU time (user + sys of the whole process,
//! server included, so the ratio understates the client's share).
//!
//! `cargo bench -p oauth-api-tests --bench client_overhead`

use std::time::{Duration, Instant};

use generated::polaris;
use oauth_api::oauth::ClientAuth;
use oauth_api::token::{ClientCredentials, TokenSet};

const ROUNDS: usize = 100;
const CALLS: usize = 200;
const TOKEN: &str = "pol_at_0123456789abcdef";
const ANSWER: &str = r#"{"access_token":"pol_at_fedcba9876543210","token_type":"bearer","expires_in":3600,"issued_token_type":"urn:ietf:params:oauth:token-type:access_token","scope":"PRINCIPAL_ROLE:ALL"}"#;

fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `rusage` into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let app = axum::Router::new().route(
            "/v1/oauth/tokens",
            axum::routing::post(|| async { ([(axum::http::header::CONTENT_TYPE, "application/json")], ANSWER) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move { axum::serve(listener, app).await });

        // Generated: the token comes from a token source's cache.
        let client = polaris::Client::new(&base).expect("a client");
        let tokens = ClientCredentials::builder(format!("{base}/v1/oauth/tokens").parse().expect("a URL"), ClientAuth::basic("root", "s3cr3t"))
            .tokens(TokenSet::from_access_token(TOKEN, Some(chrono::Utc::now() + chrono::Duration::hours(1))))
            .build();
        let client = client.with_token_source(tokens);
        let request: polaris::OAuthTokenRequest = polaris::OAuthTokenExchangeRequest::new("subject-token", polaris::TokenType::AccessToken).into();
        let generated = || async {
            let token = client.get_token(&request).await.expect("a token").into_inner();
            assert_eq!(token.token_type, polaris::OAuthTokenResponseTokenType::Bearer);
        };

        // Raw reqwest: the same request by hand, with the same `reqwest::Client` (same pool,
        // same settings), so that only what the generated layer adds is measured.
        let http = client.core().http_client().clone();
        let url = format!("{base}/v1/oauth/tokens");
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
            ("subject_token", "subject-token"),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
        ];
        // The generated client applies a per-attempt timeout (30 s by default); so does this.
        let raw = || async {
            let response = http.post(&url).bearer_auth(TOKEN).timeout(Duration::from_secs(30)).form(&form).send().await.expect("sent");
            assert_eq!(response.status(), 200);
            let bytes = response.bytes().await.expect("a body");
            let token: polaris::OAuthTokenResponse = serde_json::from_slice(&bytes).expect("a token");
            assert_eq!(token.token_type, polaris::OAuthTokenResponseTokenType::Bearer);
        };

        // Warm-up: connections, allocator.
        for _ in 0..CALLS {
            generated().await;
            raw().await;
        }
        let (mut wall, mut cpu) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
        for round in 0..ROUNDS {
            // Alternate which goes first.
            for side in if round % 2 == 0 { [0, 1] } else { [1, 0] } {
                let (started, cpu_started) = (Instant::now(), cpu_time());
                for _ in 0..CALLS {
                    if side == 0 {
                        raw().await;
                    } else {
                        generated().await;
                    }
                }
                wall[side].push(started.elapsed().as_secs_f64() * 1e6 / CALLS as f64);
                cpu[side].push((cpu_time() - cpu_started).as_secs_f64() * 1e6 / CALLS as f64);
            }
        }
        let [raw_wall, gen_wall] = wall.map(median);
        let [raw_cpu, gen_cpu] = cpu.map(median);
        println!("{ROUNDS} interleaved rounds of {CALLS} calls; medians per call.\n");
        println!("| client | wall (µs) | CPU user+sys (µs) |");
        println!("| --- | --- | --- |");
        println!("| raw reqwest | {raw_wall:.1} | {raw_cpu:.1} |");
        println!("| generated + token source | {gen_wall:.1} | {gen_cpu:.1} |");
        println!("| ratio | {:.3} | {:.3} |", gen_wall / raw_wall, gen_cpu / raw_cpu);
    });
}
