//! Serves one of the four generated APIs with its in-memory reference implementation.
//!
//! ```text
//! cargo run -p oauth-api-tests --example serve -- nutanix 127.0.0.1:8080
//! cargo run -p oauth-api-tests --example serve -- polaris            # 127.0.0.1:8080
//! cargo run -p oauth-api-tests --example serve -- treezor 127.0.0.1:0  # any free port
//! ```
//!
//! It binds to loopback only, unless `--allow-remote` is given: the reference
//! implementations hold well-known demo credentials. Stop it with Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;

use generated::{confluent, nutanix, polaris, treezor};
use oauth_api_tests::reference::{
    self, confluent::Confluent, nutanix::Nutanix, polaris::Polaris, treezor::Treezor,
};

const USAGE: &str = "usage: serve <polaris|confluent|nutanix|treezor> [ADDRESS] [--allow-remote]";
const DEFAULT_ADDRESS: &str = "127.0.0.1:8080";

struct Options {
    api: String,
    address: SocketAddr,
}

fn options() -> Result<Options, String> {
    let mut api = None;
    let mut address = None;
    let mut allow_remote = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--allow-remote" => allow_remote = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ if api.is_none() => api = Some(arg),
            _ if address.is_none() => address = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    let api = api.ok_or_else(|| USAGE.to_string())?;
    let text = address.unwrap_or_else(|| DEFAULT_ADDRESS.to_string());
    let address: SocketAddr = text
        .parse()
        .map_err(|e| format!("bad address `{text}`: {e}\n{USAGE}"))?;
    if !address.ip().is_loopback() && !allow_remote {
        return Err(format!(
            "{address} is not a loopback address; add --allow-remote to serve it anyway"
        ));
    }
    Ok(Options { api, address })
}

/// The router for `api`, the base path of its operations and a first request to try.
fn app(api: &str) -> Option<(axum::Router, &'static str, String)> {
    let app = match api {
        "polaris" => {
            let (id, secret) = reference::polaris::ROOT_CLIENT;
            let hint = format!(
                "curl -u {id}:{secret} -d grant_type=client_credentials {{url}}/v1/oauth/tokens"
            );
            (polaris::server::router(Polaris::new()), "", hint)
        }
        "confluent" => {
            let subject = reference::jwt(
                &serde_json::json!({ "iss": "https://idp.example.com", "sub": "alice" }),
            );
            let hint = format!(
                "curl -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange -d subject_token={subject} \
                 -d identity_pool_id={} -d subject_token_type=urn:ietf:params:oauth:token-type:jwt \
                 -d requested_token_type=urn:ietf:params:oauth:token-type:access_token {{url}}/sts/v1/oauth2/token",
                reference::confluent::DEFAULT_POOL
            );
            (confluent::server::router(Confluent::new()), "", hint)
        }
        "nutanix" => {
            let base = "/api/nutanix/v3";
            let router = axum::Router::new().nest(base, nutanix::server::router(Nutanix::new()));
            let (user, password) = reference::nutanix::ADMIN;
            let hint = format!("curl -u '{user}:{password}' -H 'content-type: application/json' -d '{{}}' {{url}}/oauth/client/list");
            (router, base, hint)
        }
        "treezor" => {
            let (id, secret) = reference::treezor::CLIENT;
            let hint = format!("curl -F grant_type=client_credentials -F client_id={id} -F client_secret={secret} {{url}}/oauth/token");
            (treezor::server::router(Treezor::new()), "", hint)
        }
        _ => return None,
    };
    Some(app)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let Some((router, base, hint)) = app(&options.api) else {
        eprintln!("unknown API `{}`\n{USAGE}", options.api);
        return ExitCode::FAILURE;
    };
    let listener = match tokio::net::TcpListener::bind(options.address).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot bind {}: {e}", options.address);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().expect("bound address");
    let url = format!("http://{address}{base}");
    println!("serving {} on {url}", options.api);
    println!("try: {}", hint.replace("{url}", &url));
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("server error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
