//! The caching core: reuse, expiry, skew, single flight, invalidation, persistence.

mod token_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use oauth_api::oauth::ClientAuth;
use oauth_api::token::{CachedTokenSource, ClientCredentials, TokenError, TokenSet, TokenSource, TokenStore};
use token_support::{within, MockServer, Reply};

fn client_credentials(server: &MockServer) -> oauth_api::token::ClientCredentialsBuilder {
    ClientCredentials::builder(server.token_url(), ClientAuth::basic("client", "secret"))
}

async fn token(source: &CachedTokenSource) -> String {
    source.token().await.expect("a token").secret().expose().to_string()
}

#[tokio::test]
async fn token_is_reused_while_valid() {
    let server = MockServer::issuing(Some(3600), false).await;
    let source = client_credentials(&server).build();
    for _ in 0..5 {
        assert_eq!(token(&source).await, "at-1");
    }
    assert_eq!(server.count(), 1);
    let clone = source.clone();
    assert_eq!(token(&clone).await, "at-1", "clones share the cache");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn token_is_renewed_after_expiry() {
    let server = MockServer::issuing(Some(1), false).await;
    let source = client_credentials(&server).skew(Duration::ZERO).build();
    within(10, async {
        let first = source.token().await.expect("token");
        assert_eq!(first.secret().expose(), "at-1");
        assert!(first.expires_at().is_some());
        assert_eq!(token(&source).await, "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await, "at-2");
        assert_eq!(token(&source).await, "at-2");
    })
    .await;
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn cached_answers_without_waiting_only_while_the_token_is_fresh() {
    let server = MockServer::issuing(Some(1), false).await;
    let source = client_credentials(&server).skew(Duration::ZERO).build();
    assert!(source.cached().is_none(), "nothing fetched yet");
    assert_eq!(server.count(), 0, "cached() never fetches");
    within(10, async {
        assert_eq!(token(&source).await, "at-1");
        assert_eq!(source.cached().map(|t| t.secret().expose().to_string()).as_deref(), Some("at-1"));
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert!(source.cached().is_none(), "an expired token is not offered");
        assert_eq!(token(&source).await, "at-2");
    })
    .await;
    assert_eq!(server.count(), 2);
    let fixed = oauth_api::token::StaticToken::new("fixed");
    assert_eq!(fixed.cached().map(|t| t.secret().expose().to_string()).as_deref(), Some("fixed"));
}

#[tokio::test]
async fn skew_is_capped_at_half_the_lifetime() {
    // expires_in 2 with the default 30 s skew: used for 1 s, not renewed on every call.
    let server = MockServer::issuing(Some(2), false).await;
    let source = client_credentials(&server).build();
    within(10, async {
        assert_eq!(token(&source).await, "at-1");
        assert_eq!(token(&source).await, "at-1");
        assert_eq!(server.count(), 1);
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await, "at-2");
    })
    .await;
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_make_one_request() {
    let server = MockServer::start(|_, n| Reply::token(&format!("at-{n}"), Some(3600), None).after(Duration::from_millis(200))).await;
    let source = client_credentials(&server).build();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn({
                let source = source.clone();
                async move { token(&source).await }
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(within(10, task).await.expect("task"), "at-1");
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn zero_lifetime_tokens_are_still_single_flight() {
    let server = MockServer::start(|_, n| Reply::token(&format!("at-{n}"), Some(0), None).after(Duration::from_millis(200))).await;
    let source = client_credentials(&server).build();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            tokio::spawn({
                let source = source.clone();
                async move { token(&source).await }
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(within(10, task).await.expect("task"), "at-1");
    }
    assert_eq!(server.count(), 1);
    // A token that is already due is renewed by the next call.
    assert_eq!(within(10, token(&source)).await, "at-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invalidation_by_many_callers_renews_once() {
    let server = MockServer::start(|_, n| Reply::token(&format!("at-{n}"), Some(3600), None).after(Duration::from_millis(100))).await;
    let source = client_credentials(&server).build();
    let rejected = source.token().await.expect("token");
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn({
                let source = source.clone();
                let rejected = rejected.clone();
                async move {
                    // Each caller got 401 with the same token.
                    source.invalidate(&rejected);
                    token(&source).await
                }
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(within(10, task).await.expect("task"), "at-2");
    }
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn invalidating_an_older_token_changes_nothing() {
    let server = MockServer::issuing(Some(3600), false).await;
    let source = client_credentials(&server).build();
    let first = source.token().await.expect("token");
    source.invalidate(&first);
    assert_eq!(token(&source).await, "at-2");
    source.invalidate(&first);
    assert_eq!(token(&source).await, "at-2");
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn waiters_share_a_failure_and_the_next_call_tries_again() {
    let server = MockServer::start(|_, n| match n {
        1 => Reply::error(503, "temporarily_unavailable").after(Duration::from_millis(200)),
        _ => Reply::token(&format!("at-{n}"), Some(3600), None),
    })
    .await;
    let source = client_credentials(&server).build();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            tokio::spawn({
                let source = source.clone();
                async move { source.token().await }
            })
        })
        .collect();
    for task in tasks {
        match within(10, task).await.expect("task") {
            Err(TokenError::OAuth { status: 503, error }) => assert_eq!(error.error.as_str(), "temporarily_unavailable"),
            other => panic!("expected the shared 503, got {other:?}"),
        }
    }
    assert_eq!(server.count(), 1);
    assert_eq!(token(&source).await, "at-2");
    assert_eq!(server.count(), 2);
}

#[derive(Default)]
struct Saved(Mutex<Vec<TokenSet>>, Mutex<usize>);

impl TokenStore for Saved {
    fn save(&self, tokens: &TokenSet) {
        self.0.lock().expect("lock").push(tokens.clone());
    }

    fn clear(&self) {
        *self.1.lock().expect("lock") += 1;
    }
}

#[tokio::test]
async fn the_store_gets_every_new_set_including_refreshed_ones() {
    let server = MockServer::start(|seen, n| {
        let mut reply = Reply::token(&format!("at-{n}"), Some(1), Some(&format!("rt-{n}")));
        if seen.grant() == "client_credentials" {
            reply.body["scope"] = serde_json::json!("read");
        }
        reply
    })
    .await;
    let saved = Arc::new(Saved::default());
    let source = client_credentials(&server).skew(Duration::ZERO).store(saved.clone()).build();
    within(10, async {
        assert_eq!(token(&source).await, "at-1");
        tokio::time::sleep(Duration::from_millis(1050)).await;
        assert_eq!(token(&source).await, "at-2");
    })
    .await;
    assert_eq!(server.grants(), ["client_credentials", "refresh_token"]);
    assert_eq!(server.last().get("refresh_token"), Some("rt-1"));
    let sets = saved.0.lock().expect("lock").clone();
    assert_eq!(sets.len(), 2);
    let refreshed = &sets[1];
    assert_eq!(refreshed.access_token.as_ref().map(|s| s.expose()), Some("at-2"));
    assert_eq!(refreshed.refresh_token.as_ref().map(|s| s.expose()), Some("rt-2"));
    assert_eq!(refreshed.scope.as_deref(), Some("read"), "the scope granted before is kept");
    let left = refreshed.expires_at.expect("expiry") - Utc::now();
    assert!(left <= chrono::Duration::seconds(1) && left > chrono::Duration::milliseconds(-500), "{left}");
    assert_eq!(source.tokens().as_ref(), Some(refreshed));
}

#[tokio::test]
async fn a_seeded_source_uses_the_saved_tokens() {
    let server = MockServer::issuing(Some(3600), true).await;
    let valid = TokenSet::from_access_token("saved", Some(Utc::now() + chrono::Duration::hours(1)));
    let source = client_credentials(&server).tokens(valid).build();
    assert_eq!(token(&source).await, "saved");
    assert_eq!(server.count(), 0);

    let mut expired = TokenSet::from_access_token("old", Some(Utc::now() - chrono::Duration::seconds(5)));
    expired.refresh_token = Some("saved-rt".into());
    let source = client_credentials(&server).tokens(expired).build();
    assert_eq!(token(&source).await, "at-1");
    assert_eq!(server.grants(), ["refresh_token"]);
    assert_eq!(server.last().get("refresh_token"), Some("saved-rt"));

    // A set survives a JSON round trip.
    let set = source.tokens().expect("tokens");
    let again: TokenSet = serde_json::from_str(&serde_json::to_string(&set).expect("json")).expect("set");
    assert_eq!(again, set);
}

#[tokio::test]
async fn a_token_without_expiry_is_kept_until_invalidated_or_for_the_default_lifetime() {
    let server = MockServer::issuing(None, false).await;
    let source = client_credentials(&server).build();
    assert_eq!(token(&source).await, "at-1");
    assert_eq!(token(&source).await, "at-1");
    let source = client_credentials(&server).default_lifetime(Duration::from_millis(200)).skew(Duration::ZERO).build();
    assert_eq!(token(&source).await, "at-2");
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(token(&source).await, "at-3");
}

#[tokio::test]
async fn debug_output_shows_no_secret() {
    let server = MockServer::start(|_, _| Reply::token("ACCESS-SECRET", Some(3600), Some("REFRESH-SECRET"))).await;
    let builder =
        ClientCredentials::builder(server.token_url(), ClientAuth::basic("client", "CLIENT-SECRET")).scope("s").param("audience", "api");
    let builder_debug = format!("{builder:?}");
    let source = builder.build();
    let access = source.token().await.expect("token");
    let password =
        oauth_api::token::Password::builder(server.token_url(), ClientAuth::post("c", "CLIENT-SECRET"), "alice", "PASSWORD-SECRET");
    let flow = oauth_api::token::AuthorizationCode::builder(
        server.url("authorize"),
        server.token_url(),
        ClientAuth::basic("c", "CLIENT-SECRET"),
        "http://localhost/cb",
    )
    .build();
    let pending = flow.authorize().expect("authorize");
    let exchange = oauth_api::token::TokenExchange::builder(server.token_url(), ClientAuth::basic("c", "CLIENT-SECRET"))
        .subject_token("SUBJECT-SECRET", oauth_api::token::ACCESS_TOKEN_TYPE)
        .actor_token("ACTOR-SECRET", oauth_api::token::ACCESS_TOKEN_TYPE);
    let revocation = oauth_api::token::Revocation::new(server.url("revoke"), ClientAuth::basic("c", "CLIENT-SECRET"));
    let exchange_debug = format!("{exchange:?}");
    let all = format!(
        "{builder_debug} {source:?} {access:?} {:?} {password:?} {flow:?} {pending:?} {exchange_debug} {:?} {revocation:?} {:?}",
        source.tokens(),
        exchange.build(),
        source.endpoint()
    );
    for secret in [
        "ACCESS-SECRET",
        "REFRESH-SECRET",
        "CLIENT-SECRET",
        "PASSWORD-SECRET",
        "SUBJECT-SECRET",
        "ACTOR-SECRET",
        pending.verifier().expose(),
        pending.state(),
    ] {
        assert!(!all.contains(secret), "{secret} shows in {all}");
    }
    assert!(all.contains("<redacted>"));
}

#[tokio::test]
async fn a_huge_expires_in_does_not_overflow() {
    let server = MockServer::start(|_, n| {
        Reply::json(200, serde_json::json!({ "access_token": format!("at-{n}"), "token_type": "Bearer", "expires_in": u64::MAX }))
    })
    .await;
    let source = client_credentials(&server).build();
    assert_eq!(token(&source).await, "at-1");
    assert_eq!(token(&source).await, "at-1");
    assert_eq!(server.count(), 1);
}
