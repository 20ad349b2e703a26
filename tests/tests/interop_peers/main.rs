//! Real OAuth clients against the generated servers: pyiceberg (both auth managers),
//! authlib and requests-oauthlib (`tests/interop/peers/`, installed by
//! `tests/interop/setup.sh`) against the generated Polaris, Nutanix and Treezor routers
//! serving the reference implementations on 127.0.0.1.
//!
//! One test per row of `INTEROP.md` (checked by `interop_doc.rs`). Each test starts its own
//! server, runs one peer process (bounded by `run_peer`), asserts what the library got *and*
//! what it sent (`sent` in the peer's JSON line: content type, client authentication, body
//! parameters), and what the implementation received (`last_client`), then stops the server.
//!
//! "Default mode" is `--auth=basic`: HTTP Basic, which none of these libraries form-encodes
//! (RFC 6749 §2.3.1); the generated server form-decodes Basic credentials and takes text that
//! is not valid form-encoding as it came. `post` puts `client_id`/`client_secret` in the body.

#[path = "../interop_common/mod.rs"]
mod interop_common;
#[path = "../nutanix_common/mod.rs"]
mod nutanix_common;

mod nutanix_flows;
mod polaris_flows;
mod treezor_flows;

use std::collections::BTreeSet;

use generated::nutanix::{
    OauthTokenRequest, OauthTokenRequestGrantType, ProviderOauthToken,
};
use generated::polaris::{OAuthClientCredentialsRequest, OAuthTokenRequest};
use generated::treezor::{PasswordGrantRequest, PutAuth200Response, PutAuthBody};
use generated::{polaris, treezor};
use interop_common::{run_peer, PeerOutcome};
use oauth_api::oauth::{ClientAuth, ClientAuthMethod};
use oauth_api_tests::harness::TestServer;
use oauth_api_tests::reference::nutanix::Nutanix;
use oauth_api_tests::reference::polaris::{Polaris, ROOT_CLIENT};
use oauth_api_tests::reference::treezor::{Treezor, CLIENT, USER};
use serde_json::Value;

use nutanix_common::{Fixture, BASE, REDIRECT};

const AUTHLIB: &str = "authlib_peer.py";
const REQUESTS_OAUTHLIB: &str = "requests_oauthlib_peer.py";
const PYICEBERG: &str = "pyiceberg_peer.py";
const FORM: &str = "application/x-www-form-urlencoded";
const POLARIS_SCOPE: &str = "PRINCIPAL_ROLE:ALL";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// A secret that is not valid form-encoding (`%&=`): a raw Basic header still works.
const SPECIAL_SECRET: &str = "p@ss w+rd:%&=";
/// A secret that *is* valid form-encoding when sent raw: `+` reads as a space (§2.3.1).
const PLUS_SECRET: &str = "s3cr+t";

// ---------------------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------------------

/// Runs `script FLOW --key=value …` off the async runtime: the Python process blocks its
/// thread while the server under test keeps serving on the runtime.
async fn peer(script: &'static str, flow: &str, options: &[(&str, &str)]) -> PeerOutcome {
    let mut args = vec![flow.to_string()];
    args.extend(options.iter().map(|(k, v)| format!("--{k}={v}")));
    tokio::task::spawn_blocking(move || run_peer(script, &args))
        .await
        .expect("the peer's thread")
}

/// The last request the library sent, as the peer recorded it.
fn last_sent(outcome: &PeerOutcome) -> &Value {
    outcome.line["sent"]
        .as_array()
        .and_then(|sent| sent.last())
        .unwrap_or_else(|| panic!("the peer sent nothing: {}", outcome.line))
}

/// The body parameters a client sends: `params`, plus `client_id`/`client_secret` in `post`
/// mode (and never in `basic` mode).
fn with_client(params: &[&str], auth: &str) -> Vec<String> {
    let mut all: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    if auth == "post" {
        all.extend(["client_id".to_string(), "client_secret".to_string()]);
    }
    all
}

/// What the library sent: a form body with exactly `params` (in any order), and the client
/// authentication `client_auth` (`basic` means: Basic header, no `client_secret` in the body).
fn assert_sent(outcome: &PeerOutcome, client_auth: &str, params: &[String]) {
    let sent = last_sent(outcome);
    let content_type = sent["content_type"].as_str().unwrap_or_default();
    assert!(
        content_type.starts_with(FORM),
        "content type {content_type:?}: {}",
        outcome.line
    );
    assert_eq!(
        sent["client_auth"], client_auth,
        "client authentication: {}",
        outcome.line
    );
    let got: BTreeSet<&str> = sent["body_params"]
        .as_array()
        .map(|ps| ps.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let want: BTreeSet<&str> = params.iter().map(String::as_str).collect();
    assert_eq!(got, want, "body parameters: {}", outcome.line);
    if client_auth == "basic" {
        assert!(
            !got.contains("client_secret"),
            "Basic mode put the secret in the body: {}",
            outcome.line
        );
        assert!(
            sent["basic_encoding"].is_string(),
            "no Basic header recorded: {}",
            outcome.line
        );
    }
}

/// The flow succeeded with a token of `token_type` (as the server spelled it); returns the
/// access token.
fn assert_token(outcome: &PeerOutcome, token_type: &str) -> String {
    assert!(outcome.ok, "expected a token: {}", outcome.line);
    assert_eq!(outcome.line["status"], 200, "{}", outcome.line);
    assert_eq!(
        outcome.str("token_type"),
        Some(token_type),
        "{}",
        outcome.line
    );
    let token = outcome
        .str("access_token")
        .expect("an access token")
        .to_string();
    assert!(!token.is_empty());
    token
}

/// The flow failed with `status` and the RFC 6749 §5.2 `error` the library read.
fn assert_oauth_error(outcome: &PeerOutcome, status: u16, error: &str) {
    assert!(!outcome.ok, "expected a failure: {}", outcome.line);
    assert_eq!(outcome.line["status"], status, "{}", outcome.line);
    assert_eq!(outcome.str("error"), Some(error), "{}", outcome.line);
}


/// The exception the library raised (`Type: message`).
fn exception(outcome: &PeerOutcome) -> &str {
    outcome.str("exception").unwrap_or_default()
}



/// How the implementation saw the client.
fn assert_client(client: Option<ClientAuth>, id: &str, auth: &str) {
    let client = client.expect("the implementation got a client authentication");
    assert_eq!(client.client_id, id);
    let method = if auth == "basic" {
        ClientAuthMethod::Basic
    } else {
        ClientAuthMethod::Post
    };
    assert_eq!(client.method, method);
}
