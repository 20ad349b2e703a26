//! The cached-token path: what `token()` costs when the cache holds a valid token (the goal:
//! under 1 µs per call). Run with `cargo bench -p oauth-api --bench token`.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use criterion::{criterion_group, criterion_main, Criterion};
use oauth_api::oauth::ClientAuth;
use oauth_api::token::{ClientCredentials, StaticToken, TokenSet, TokenSource};

/// Polls a future that is ready at once (the warm cache never waits).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the cached path waited"),
    }
}

fn warm_cache(c: &mut Criterion) {
    let token_url = url::Url::parse("http://127.0.0.1:9/token").expect("URL");
    let saved = TokenSet::from_access_token(
        "a-cached-access-token-of-a-typical-length-0123456789",
        Some(chrono::Utc::now() + chrono::Duration::hours(1)),
    );
    let cached: Arc<dyn TokenSource> =
        Arc::new(ClientCredentials::builder(token_url, ClientAuth::basic("id", "secret")).tokens(saved).build());
    let fixed: Arc<dyn TokenSource> = Arc::new(StaticToken::new("a-cached-access-token-of-a-typical-length-0123456789"));
    // The cache really is warm: no request is attempted (port 9 would refuse it).
    assert!(ready(cached.token()).is_ok());

    c.bench_function("token/cached (poll once)", |b| b.iter(|| black_box(ready(cached.token())).is_ok()));
    c.bench_function("token/static (poll once)", |b| b.iter(|| black_box(ready(fixed.token())).is_ok()));

    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    c.bench_function("token/cached (tokio block_on)", |b| b.iter(|| black_box(runtime.block_on(cached.token())).is_ok()));
}

criterion_group!(benches, warm_cache);
criterion_main!(benches);
