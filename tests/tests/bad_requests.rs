//! Bad requests, sent raw with `reqwest` (not the generated clients) to the four generated
//! routers serving the reference implementations. Each row checks the status, that the
//! body is the API's own error body (decoded into the generated model) and that the
//! request never reached the implementation. After all rows each server must still
//! serve a good request.

use base64::Engine as _;
use generated::{confluent, nutanix, polaris, treezor};
use oauth_api_tests::harness::{self, TestServer};
use oauth_api_tests::reference::{
    confluent::Confluent, jwt, nutanix::Nutanix, polaris::Polaris, treezor::Treezor,
};

const LIMIT: usize = 4096;
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";
const BOUNDARY: &str = "XyZ-boundary-42";
const NUTANIX_REALM: &str = "Basic realm=\"Nutanix Intentful API v3 - OAuth\"";
const POLARIS_REALM: &str =
    "Basic realm=\"Apache Polaris / Iceberg REST Catalog API - OAuth2 token endpoint\"";
const TOKEN_EXCHANGE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    Polaris,
    Confluent,
    Nutanix,
    Treezor,
}

/// The error body a row expects.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Polaris `OAuthError`, with this `error` code when given.
    OAuthError(Option<&'static str>),
    /// Confluent `Failure` with one error of the response's status.
    Failure,
    /// Nutanix `OauthStatus` (`kind` `oauth`).
    OauthStatus,
    /// Nutanix `OauthClientStatus` (`kind` `oauth_client`).
    OauthClientStatus,
    /// Treezor `DefaultError` with at least one error.
    DefaultError,
}

struct Row {
    name: &'static str,
    api: Api,
    method: &'static str,
    target: String,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
    status: u16,
    expect: Expect,
    challenge: Option<&'static str>,
}

fn row(name: &'static str, api: Api, method: &'static str, target: &str) -> Row {
    let expect = match api {
        Api::Polaris => Expect::OAuthError(None),
        Api::Confluent => Expect::Failure,
        Api::Nutanix => Expect::OauthClientStatus,
        Api::Treezor => Expect::DefaultError,
    };
    let target = if api == Api::Nutanix {
        format!("/api/nutanix/v3{target}")
    } else {
        target.to_string()
    };
    Row {
        name,
        api,
        method,
        target,
        headers: Vec::new(),
        body: Vec::new(),
        status: 400,
        expect,
        challenge: None,
    }
}

impl Row {
    fn header(mut self, name: &'static str, value: impl Into<Vec<u8>>) -> Row {
        self.headers.push((name, value.into()));
        self
    }
    fn content_type(self, value: &str) -> Row {
        self.header("content-type", value)
    }
    fn admin(self) -> Row {
        let (user, password) = oauth_api_tests::reference::nutanix::ADMIN;
        self.header("authorization", harness::basic(user, password))
    }
    fn form(self, body: &str) -> Row {
        self.content_type(FORM).body(body)
    }
    fn json(self, body: &str) -> Row {
        self.content_type(JSON).body(body)
    }
    fn multipart(self, fields: &[(&str, &str)]) -> Row {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.content_type(&content_type)
            .body(multipart_body(fields))
    }
    fn body(mut self, body: impl Into<Vec<u8>>) -> Row {
        self.body = body.into();
        self
    }
    fn status(mut self, status: u16) -> Row {
        self.status = status;
        self
    }
    fn expect(mut self, expect: Expect) -> Row {
        self.expect = expect;
        self
    }
    fn code(self, code: &'static str) -> Row {
        self.expect(Expect::OAuthError(Some(code)))
    }
    fn challenge(mut self, challenge: &'static str) -> Row {
        self.challenge = Some(challenge);
        self
    }
}

fn multipart_body(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body.into_bytes()
}

fn basic_raw(raw: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn confluent_form(extra: &str) -> String {
    let subject = jwt(&serde_json::json!({ "sub": "alice" }));
    format!(
        "grant_type={TOKEN_EXCHANGE}&subject_token={subject}&identity_pool_id=pool-Ab1x\
         &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt\
         &requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token{extra}"
    )
}

fn client_json(name: &str, description: &str) -> String {
    serde_json::json!({
        "client_name": name,
        "redirect_uris": ["https://app.example.com/cb"],
        "client_description": description,
        "default_scopes": ["openid"],
    })
    .to_string()
}

const CC: &str = "grant_type=client_credentials&client_id=root&client_secret=s3cr3t";

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use Api::*;
    let big = "x".repeat(2 * LIMIT);
    vec![
        // Polaris: form body, anyOf of two grants, client authentication.
        row("missing required form field", Polaris, "POST", "/v1/oauth/tokens").form(&format!("grant_type={TOKEN_EXCHANGE}&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token")),
        row("unknown grant_type (closed enum)", Polaris, "POST", "/v1/oauth/tokens").form("grant_type=password&username=u&password=p&client_id=root&client_secret=s3cr3t"),
        // A token request of the wrong media type is an `invalid_request` 400 (RFC 6749 §5.2).
        row("wrong content type", Polaris, "POST", "/v1/oauth/tokens").json(r#"{"grant_type":"client_credentials"}"#).code("invalid_request"),
        row("no content type", Polaris, "POST", "/v1/oauth/tokens").body(CC).code("invalid_request"),
        row("no grant_type", Polaris, "POST", "/v1/oauth/tokens").form("client_id=root&client_secret=s3cr3t").code("invalid_request"),
        row("invalid UTF-8 in form body", Polaris, "POST", "/v1/oauth/tokens").form("").body(&b"grant_type=client_credentials&client_id=r\xffot&client_secret=x"[..]).code("invalid_request"),
        row("oversized body", Polaris, "POST", "/v1/oauth/tokens").form(&format!("{CC}&scope={big}")).status(413),
        row("malformed form encoding (JSON text)", Polaris, "POST", "/v1/oauth/tokens").form(r#"{"grant_type":"client_credentials","client_id":"root"}"#),
        row("duplicate form field", Polaris, "POST", "/v1/oauth/tokens").form(&format!("{CC}&grant_type=client_credentials")).code("invalid_request"),
        row("empty body where required", Polaris, "POST", "/v1/oauth/tokens").form(""),
        row("client credentials in Basic and body", Polaris, "POST", "/v1/oauth/tokens").header("authorization", harness::basic("root", "s3cr3t")).form(CC).code("invalid_request"),
        row("client secret in Basic and body, no body id", Polaris, "POST", "/v1/oauth/tokens").header("authorization", harness::basic("root", "s3cr3t")).form("grant_type=client_credentials&client_secret=s3cr3t").code("invalid_request"),
        row("body client_id other than the Basic one", Polaris, "POST", "/v1/oauth/tokens").header("authorization", harness::basic("root", "s3cr3t")).form("grant_type=client_credentials&client_id=bob").code("invalid_request"),
        row("missing client authentication", Polaris, "POST", "/v1/oauth/tokens").form("grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL").status(401).code("invalid_client").challenge(POLARIS_REALM),
        row("missing authentication (token exchange)", Polaris, "POST", "/v1/oauth/tokens").form(&format!("grant_type={TOKEN_EXCHANGE}&subject_token=t&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token")).status(401).code("invalid_client").challenge(POLARIS_REALM),
        row("malformed Basic: bad base64", Polaris, "POST", "/v1/oauth/tokens").header("authorization", "Basic !!!").form(CC).status(401).code("invalid_client").challenge("Basic"),
        row("malformed Basic: no colon", Polaris, "POST", "/v1/oauth/tokens").header("authorization", basic_raw("rootonly")).form("grant_type=client_credentials&client_id=&client_secret=").status(401).code("invalid_client").challenge("Basic"),
        row("empty Bearer token", Polaris, "POST", "/v1/oauth/tokens").header("authorization", "Bearer").form(CC).status(401).code("invalid_token"),
        row("unknown subject_token_type (closed enum)", Polaris, "POST", "/v1/oauth/tokens").form(&format!("grant_type={TOKEN_EXCHANGE}&subject_token=t&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Asaml3")),
        // Confluent: form body, open enums, maximum.
        row("maximum violation (expires_in 1000)", Confluent, "POST", "/sts/v1/oauth2/token").form(&confluent_form("&expires_in=1000")),
        row("wrong type (expires_in not an integer)", Confluent, "POST", "/sts/v1/oauth2/token").form(&confluent_form("&expires_in=soon")),
        row("integer overflow (expires_in > i32)", Confluent, "POST", "/sts/v1/oauth2/token").form(&confluent_form("&expires_in=99999999999")),
        row("duplicate form field", Confluent, "POST", "/sts/v1/oauth2/token").form(&confluent_form("&identity_pool_id=pool-2")),
        row("multipart instead of form", Confluent, "POST", "/sts/v1/oauth2/token").multipart(&[("grant_type", "x")]),
        row("JSON instead of form", Confluent, "POST", "/sts/v1/oauth2/token").json("{}"),
        row("no content type", Confluent, "POST", "/sts/v1/oauth2/token").body(confluent_form("")),
        row("oversized body", Confluent, "POST", "/sts/v1/oauth2/token").form(&confluent_form(&format!("&x={big}"))).status(413),
        row("invalid UTF-8 in form body", Confluent, "POST", "/sts/v1/oauth2/token").form("").body(&b"grant_type=\xfe\xff"[..]),
        // Nutanix: Basic on every operation, JSON bodies, limits, query parameters.
        row("missing Basic auth", Nutanix, "POST", "/oauth/client").json(&client_json("a", "b")).status(401).challenge(NUTANIX_REALM),
        row("missing Basic auth (revoke)", Nutanix, "POST", "/oauth/revoke_token?token=t").status(401).expect(Expect::OauthStatus).challenge(NUTANIX_REALM),
        row("malformed Basic: bad base64", Nutanix, "GET", "/oauth/client/c1").header("authorization", "Basic %%%").status(401).challenge("Basic"),
        row("malformed Basic: no colon", Nutanix, "POST", "/oauth/client/list").header("authorization", basic_raw("admin")).json("{}").status(401),
        row("Authorization header not text", Nutanix, "GET", "/oauth/client/c1").header("authorization", &b"Basic \xff\xfe"[..]).status(401),
        row("maxLength violation (client_name 65)", Nutanix, "POST", "/oauth/client").admin().json(&client_json(&"n".repeat(65), "d")),
        row("maxLength violation (client_description 1001)", Nutanix, "POST", "/oauth/generate_token").admin().json(&format!(r#"{{"scopes":[],"client_name":"c","client_description":"{}"}}"#, "d".repeat(1001))).expect(Expect::OauthStatus),
        row("minimum violation (length 0)", Nutanix, "POST", "/oauth/client/list").admin().json(r#"{"length":0}"#),
        row("minimum violation (offset -1)", Nutanix, "POST", "/oauth/client/list").admin().json(r#"{"offset":-1}"#),
        row("unknown enum value (sort_order)", Nutanix, "POST", "/oauth/client/list").admin().json(r#"{"sort_order":"SIDEWAYS"}"#),
        row("wrong JSON type (length as string)", Nutanix, "POST", "/oauth/client/list").admin().json(r#"{"length":"2"}"#),
        row("wrong JSON type (client_name a number)", Nutanix, "POST", "/oauth/client").admin().json(r#"{"client_name":5,"redirect_uris":[],"client_description":"d","default_scopes":[]}"#),
        row("truncated JSON", Nutanix, "POST", "/oauth/client").admin().json(r#"{"client_name":"a","redirect_uris":["#),
        row("JSON array instead of object", Nutanix, "PUT", "/oauth/client/c1").admin().json(&format!("[{}]", client_json("a", "b"))),
        row("missing required JSON field", Nutanix, "POST", "/oauth/client").admin().json(r#"{"client_name":"a","redirect_uris":[],"client_description":"d"}"#),
        row("empty body where required", Nutanix, "POST", "/oauth/client").admin().json(""),
        row("form instead of JSON", Nutanix, "POST", "/oauth/client").admin().form("client_name=a").status(415),
        row("no content type", Nutanix, "POST", "/oauth/generate_token").admin().body(r#"{"scopes":[],"client_name":"c","client_description":"d"}"#).status(415).expect(Expect::OauthStatus),
        row("oversized body", Nutanix, "PUT", "/oauth/client/c1").admin().json(&client_json("a", &big)).status(413),
        row("missing required query parameter (token)", Nutanix, "POST", "/oauth/revoke_token?token_type_hint=access_token").admin().expect(Expect::OauthStatus),
        row("repeated query parameter (token)", Nutanix, "POST", "/oauth/revoke_token?token=a&token=b").admin().expect(Expect::OauthStatus),
        row("unknown enum value (response_type)", Nutanix, "POST", "/oauth/authorize").admin().form("client_id=c&response_type=token&confirm=yes").expect(Expect::OauthStatus),
        row("unknown enum value (confirm)", Nutanix, "POST", "/oauth/authorize").admin().form("client_id=c&response_type=code&confirm=maybe").expect(Expect::OauthStatus),
        row("missing required form field (client_id)", Nutanix, "POST", "/oauth/authorize").admin().form("response_type=code&confirm=yes").expect(Expect::OauthStatus),
        row("unknown grant_type (closed enum)", Nutanix, "POST", "/oauth/token").admin().form("grant_type=password&client_id=c&client_secret=s").expect(Expect::OauthStatus),
        row("missing required form field (grant_type)", Nutanix, "POST", "/oauth/token").admin().form("refresh_token=r").expect(Expect::OauthStatus),
        row("client credentials in Basic and body", Nutanix, "POST", "/oauth/token").admin().form("grant_type=refresh_token&refresh_token=r&client_secret=s").expect(Expect::OauthStatus),
        row("body client_id other than the Basic one", Nutanix, "POST", "/oauth/token").admin().form("grant_type=refresh_token&refresh_token=r&client_id=c").expect(Expect::OauthStatus),
        row("missing client authentication (token)", Nutanix, "POST", "/oauth/token").form("grant_type=refresh_token&refresh_token=r").status(401).expect(Expect::OauthStatus).challenge(NUTANIX_REALM),
        // Treezor: multipart body, client authentication.
        row("multipart without boundary", Treezor, "POST", "/oauth/token").content_type("multipart/form-data").body(multipart_body(&[("grant_type", "client_credentials")])),
        row("multipart with garbage", Treezor, "POST", "/oauth/token").content_type(&format!("multipart/form-data; boundary={BOUNDARY}")).body("this is not multipart"),
        row("multipart duplicate field", Treezor, "POST", "/oauth/token").multipart(&[("grant_type", "password"), ("grant_type", "client_credentials")]),
        row("empty body where required (multipart)", Treezor, "POST", "/oauth/token").content_type(&format!("multipart/form-data; boundary={BOUNDARY}")),
        row("JSON instead of multipart or form", Treezor, "POST", "/oauth/token").json(r#"{"grant_type":"client_credentials"}"#),
        row("no content type", Treezor, "POST", "/oauth/token").body(multipart_body(&[("grant_type", "client_credentials")])),
        // RFC 6749 §4.4.2: `grant_type` is required, whatever the spec says (schemathesis found
        // a request without it taken as client credentials, tests/schemathesis).
        row("no grant_type", Treezor, "POST", "/oauth/token").multipart(&[("client_id", "tz-client"), ("client_secret", "tz-secret")]),
        row("client credentials in Basic and body", Treezor, "POST", "/oauth/token").header("authorization", harness::basic("tz-client", "tz-secret")).multipart(&[("client_id", "tz-client"), ("client_secret", "tz-secret")]),
        row("client credentials in Basic and body (form)", Treezor, "POST", "/oauth/token").header("authorization", harness::basic("tz-client", "tz-secret")).form("grant_type=client_credentials&client_secret=tz-secret"),
        row("body client_id other than the Basic one", Treezor, "POST", "/oauth/token").header("authorization", harness::basic("tz-client", "tz-secret")).multipart(&[("client_id", "someone-else")]),
        row("unknown grant_type", Treezor, "POST", "/oauth/token").multipart(&[("grant_type", "authorization_code"), ("code", "c")]),
        row("duplicate form field", Treezor, "POST", "/oauth/token").form("grant_type=password&grant_type=client_credentials"),
        row("malformed Basic: bad base64", Treezor, "POST", "/oauth/token").header("authorization", "Basic ***").multipart(&[("grant_type", "client_credentials")]).status(401).challenge("Basic"),
        row("oversized body", Treezor, "POST", "/oauth/token").multipart(&[("scope", &big)]).status(413),
    ]
}

/// The four servers, each with a small body limit.
struct Servers {
    polaris: (Polaris, TestServer),
    confluent: (Confluent, TestServer),
    nutanix: (Nutanix, TestServer),
    treezor: (Treezor, TestServer),
}

impl Servers {
    async fn start() -> Servers {
        let polaris = Polaris::new();
        let confluent = Confluent::new();
        let nutanix = Nutanix::new();
        let treezor = Treezor::new();
        let p = polaris::server::router_with_config(
            polaris.clone(),
            polaris::server::Config { body_limit: LIMIT },
        );
        let c = confluent::server::router_with_config(
            confluent.clone(),
            confluent::server::Config { body_limit: LIMIT },
        );
        let n = nutanix::server::router_with_config(
            nutanix.clone(),
            nutanix::server::Config { body_limit: LIMIT },
        );
        let n = axum::Router::new().nest("/api/nutanix/v3", n);
        let t = treezor::server::router_with_config(
            treezor.clone(),
            treezor::server::Config { body_limit: LIMIT },
        );
        Servers {
            polaris: (polaris, TestServer::start(p).await),
            confluent: (confluent, TestServer::start(c).await),
            nutanix: (nutanix, TestServer::start(n).await),
            treezor: (treezor, TestServer::start(t).await),
        }
    }

    fn url(&self, api: Api) -> String {
        match api {
            Api::Polaris => self.polaris.1.url(),
            Api::Confluent => self.confluent.1.url(),
            Api::Nutanix => self.nutanix.1.url(),
            Api::Treezor => self.treezor.1.url(),
        }
    }

    fn calls(&self) -> [usize; 4] {
        [
            self.polaris.0.calls(),
            self.confluent.0.calls(),
            self.nutanix.0.calls(),
            self.treezor.0.calls(),
        ]
    }

    async fn stop(self) {
        self.polaris.1.stop().await;
        self.confluent.1.stop().await;
        self.nutanix.1.stop().await;
        self.treezor.1.stop().await;
    }
}

/// Sends `row` and says what is wrong with the answer, if anything.
async fn check(servers: &Servers, http: &reqwest::Client, row: &Row) -> Result<(), String> {
    let method = reqwest::Method::from_bytes(row.method.as_bytes()).expect("method");
    let mut request = http.request(method, format!("{}{}", servers.url(row.api), row.target));
    for (name, value) in &row.headers {
        request = request.header(
            *name,
            reqwest::header::HeaderValue::from_bytes(value).expect("header value"),
        );
    }
    let calls = servers.calls();
    let response = request
        .body(row.body.clone())
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(|e| format!("body: {e}"))?;
    let text = String::from_utf8_lossy(&body);
    if status != row.status {
        return Err(format!("status {status} instead of {}: {text}", row.status));
    }
    if servers.calls() != calls {
        return Err(format!(
            "the request reached the implementation ({status} {text})"
        ));
    }
    if let Some(challenge) = row.challenge {
        let got = headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok());
        if !got.is_some_and(|g| g.starts_with(challenge)) {
            return Err(format!(
                "WWW-Authenticate {got:?} instead of {challenge:?}…"
            ));
        }
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some(JSON) {
        return Err(format!(
            "content type {:?}: {text}",
            headers.get("content-type")
        ));
    }
    let wrong = |what: &str| Err(format!("{what}: {text}"));
    match row.expect {
        Expect::OAuthError(code) => match serde_json::from_slice::<polaris::OAuthError>(&body) {
            Ok(e) if code.is_none_or(|c| e.error.as_str() == c) => Ok(()),
            _ => wrong(&format!("not an OAuthError with error {code:?}")),
        },
        Expect::Failure => match serde_json::from_slice::<confluent::Failure>(&body) {
            Ok(f) if f.errors.len() == 1 && f.errors[0].status == Some(status.to_string()) => {
                Ok(())
            }
            _ => wrong("not a Failure with one error of this status"),
        },
        Expect::OauthStatus | Expect::OauthClientStatus => {
            let (kind, parsed) = match row.expect {
                Expect::OauthStatus => (
                    "oauth",
                    serde_json::from_slice::<nutanix::OauthStatus>(&body)
                        .map(|s| (s.kind, s.code, s.message_list, s.state)),
                ),
                _ => (
                    "oauth_client",
                    serde_json::from_slice::<nutanix::OauthClientStatus>(&body)
                        .map(|s| (s.kind, s.code, s.message_list, s.state)),
                ),
            };
            match parsed {
                Ok((k, code, Some(messages), Some(state)))
                    if k == kind
                        && code == Some(i64::from(status))
                        && !messages.is_empty()
                        && state == "ERROR" =>
                {
                    Ok(())
                }
                _ => wrong(&format!("not an error status of kind {kind}")),
            }
        }
        Expect::DefaultError => match serde_json::from_slice::<treezor::DefaultError>(&body) {
            Ok(treezor::DefaultError {
                errors: Some(errors),
            }) if !errors.is_empty() => Ok(()),
            _ => wrong("not a DefaultError with errors"),
        },
    }
}

/// Runs `rows` and panics listing every row that went wrong.
async fn run(servers: &Servers, rows: &[Row]) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    let mut failures = Vec::new();
    for row in rows {
        if let Err(problem) = check(servers, &http, row).await {
            failures.push(format!(
                "{:?} {} ({} {}): {problem}",
                row.api, row.name, row.method, row.target
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// A good request for `api`, and its status.
async fn good_request(servers: &Servers, api: Api) -> u16 {
    let http = reqwest::Client::new();
    let url = servers.url(api);
    let request = match api {
        Api::Polaris => http
            .post(format!("{url}/v1/oauth/tokens"))
            .header("content-type", FORM)
            .body(CC),
        Api::Confluent => http
            .post(format!("{url}/sts/v1/oauth2/token"))
            .header("content-type", FORM)
            .body(confluent_form("")),
        Api::Nutanix => {
            let (user, password) = oauth_api_tests::reference::nutanix::ADMIN;
            http.post(format!("{url}/api/nutanix/v3/oauth/client/list"))
                .basic_auth(user, Some(password))
                .json(&serde_json::json!({}))
        }
        Api::Treezor => {
            let form = reqwest::multipart::Form::new()
                .text("grant_type", "client_credentials")
                .text("client_id", "tz-client")
                .text("client_secret", "tz-secret");
            http.post(format!("{url}/oauth/token")).multipart(form)
        }
    };
    request
        .send()
        .await
        .expect("good request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn bad_requests_get_the_api_error_body_and_the_server_keeps_serving() {
    let servers = Servers::start().await;
    let rows = rows();
    assert!(rows.len() >= 30, "{} rows", rows.len());

    run(&servers, &rows).await;

    assert_eq!(
        servers.calls(),
        [0, 0, 0, 0],
        "no bad request may reach an implementation"
    );
    for api in [Api::Polaris, Api::Confluent, Api::Nutanix, Api::Treezor] {
        assert_eq!(
            good_request(&servers, api).await,
            200,
            "{api:?} after the bad requests"
        );
    }
    assert_eq!(servers.calls(), [1, 1, 1, 1]);
    servers.stop().await;
}

#[tokio::test]
async fn confluent_required_fields_of_the_operation() {
    let servers = Servers::start().await;
    let without = |field: &str| {
        let form: Vec<(String, String)> =
            serde_urlencoded::from_str(&confluent_form("")).expect("form");
        let kept: Vec<_> = form.into_iter().filter(|(k, _)| k != field).collect();
        serde_urlencoded::to_string(kept).expect("form")
    };
    let rows: Vec<Row> = [
        "grant_type",
        "subject_token",
        "identity_pool_id",
        "subject_token_type",
        "requested_token_type",
    ]
    .into_iter()
    .map(|field| {
        row(
            "missing required form field",
            Api::Confluent,
            "POST",
            "/sts/v1/oauth2/token",
        )
        .form(&without(field))
    })
    .collect();
    run(&servers, &rows).await;
    servers.stop().await;
}

#[tokio::test]
// Operations that declare no error body answer with the error model most Nutanix operations
// use (`OauthClientStatus`, same shape as `OauthStatus`); a wrong method gets 405 with it.
async fn nutanix_rejections_always_use_the_api_error_body() {
    let servers = Servers::start().await;
    let rows = [
        row(
            "missing Basic auth",
            Api::Nutanix,
            "GET",
            "/oauth/adfs_login",
        )
        .status(401)
        .expect(Expect::OauthClientStatus)
        .challenge(NUTANIX_REALM),
        row(
            "missing Basic auth",
            Api::Nutanix,
            "GET",
            "/oauth/idp_login",
        )
        .status(401)
        .expect(Expect::OauthClientStatus)
        .challenge(NUTANIX_REALM),
        row(
            "missing required query parameter (code)",
            Api::Nutanix,
            "GET",
            "/oauth/idp_callback?state=s",
        )
        .admin()
        .expect(Expect::OauthClientStatus),
        row(
            "method not allowed",
            Api::Nutanix,
            "PATCH",
            "/oauth/client/c1",
        )
        .admin()
        .json("{}")
        .status(405),
    ];
    run(&servers, &rows).await;
    servers.stop().await;
}

#[tokio::test]
// A struct's JSON is an object: serde alone would read an array into it, field by field
// (schemathesis found it, tests/schemathesis).
async fn nutanix_json_bodies_must_match_the_schema_types() {
    let servers = Servers::start().await;
    let rows = [
        row("JSON array in the object's field order", Api::Nutanix, "POST", "/oauth/client")
            .admin()
            .json(r#"["name",["https://app.example.com/cb"],"desc",["openid"]]"#),
        row("empty JSON array for an object", Api::Nutanix, "POST", "/oauth/client/list").admin().json("[]"),
    ];
    run(&servers, &rows).await;
    servers.stop().await;
}

#[tokio::test]
// An optional property that is not `nullable` may be absent, but not `null` (issue 13).
async fn null_for_an_optional_non_nullable_json_field_is_refused() {
    let servers = Servers::start().await;
    let rows = [
        row(
            "null for a non-nullable integer",
            Api::Nutanix,
            "POST",
            "/oauth/client/list",
        )
        .admin()
        .json(r#"{"length":null}"#),
        row(
            "null for a non-nullable enum",
            Api::Nutanix,
            "POST",
            "/oauth/client/list",
        )
        .admin()
        .json(r#"{"sort_order":null}"#),
        row(
            "null for a non-nullable string",
            Api::Nutanix,
            "POST",
            "/oauth/client/list",
        )
        .admin()
        .json(r#"{"filter":null,"length":2}"#),
        row(
            "null for a non-nullable integer (generate_token)",
            Api::Nutanix,
            "POST",
            "/oauth/generate_token",
        )
        .admin()
        .json(r#"{"scopes":[],"client_name":"c","client_description":"d","expires_in":null}"#)
        .expect(Expect::OauthStatus),
    ];
    run(&servers, &rows).await;
    assert_eq!(servers.calls(), [0, 0, 0, 0]);
    // Absent is fine.
    let http = reqwest::Client::new();
    let (user, password) = oauth_api_tests::reference::nutanix::ADMIN;
    let status = http
        .post(format!(
            "{}/api/nutanix/v3/oauth/client/list",
            servers.url(Api::Nutanix)
        ))
        .basic_auth(user, Some(password))
        .json(&serde_json::json!({"length": 2}))
        .send()
        .await
        .expect("request")
        .status();
    assert_eq!(status, 200);
    servers.stop().await;
}

/// Implements nothing: every operation answers the trait's default.
struct Unimplemented;

impl nutanix::server::Api for Unimplemented {}
impl polaris::server::Api for Unimplemented {}

#[tokio::test]
async fn an_unimplemented_operation_answers_501_with_the_api_error_body() {
    let nutanix =
        axum::Router::new().nest("/api/nutanix/v3", nutanix::server::router(Unimplemented));
    let nutanix = TestServer::start(nutanix).await;
    let polaris = TestServer::start(polaris::server::router(Unimplemented)).await;
    let http = reqwest::Client::new();
    let (user, password) = oauth_api_tests::reference::nutanix::ADMIN;

    let response = http
        .post(format!(
            "{}/api/nutanix/v3/oauth/client/list",
            nutanix.url()
        ))
        .basic_auth(user, Some(password))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 501);
    let body: nutanix::OauthClientStatus = response.json().await.expect("OauthClientStatus");
    assert_eq!((body.kind.as_str(), body.code), ("oauth_client", Some(501)));
    let message = &body.message_list.expect("messages")[0];
    assert_eq!(message.reason, "server_error");
    assert!(
        message.message.contains("oauth_client_list_post"),
        "{message:?}"
    );

    // The router still decodes and checks the request first.
    let response = http
        .post(format!(
            "{}/api/nutanix/v3/oauth/client/list",
            nutanix.url()
        ))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 401);

    let response = http
        .post(format!("{}/v1/oauth/tokens", polaris.url()))
        .basic_auth("root", Some("s3cr3t"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 501);
    let body: polaris::OAuthError = response.json().await.expect("OAuthError");
    assert_eq!(
        body.error,
        polaris::OAuthErrorError::Other("server_error".into())
    );
    assert!(
        body.error_description
            .as_deref()
            .is_some_and(|d| d.contains("getToken")),
        "{body:?}"
    );
    nutanix.stop().await;
    polaris.stop().await;
}

#[tokio::test]
async fn token_endpoint_responses_are_not_cached() {
    // RFC 6749 §5.1 and §5.2: `Cache-Control: no-store` and `Pragma: no-cache` on every
    // answer of a token endpoint, successes and rejections alike.
    let servers = Servers::start().await;
    let http = reqwest::Client::new();
    let (polaris, confluent, nutanix, treezor) = (
        servers.url(Api::Polaris),
        servers.url(Api::Confluent),
        servers.url(Api::Nutanix),
        servers.url(Api::Treezor),
    );
    let requests = [
        (
            200,
            http.post(format!("{polaris}/v1/oauth/tokens"))
                .header("content-type", FORM)
                .body(CC),
        ),
        (
            400,
            http.post(format!("{polaris}/v1/oauth/tokens"))
                .header("content-type", FORM)
                .body("grant_type=password"),
        ),
        (
            401,
            http.post(format!("{polaris}/v1/oauth/tokens"))
                .header("content-type", FORM)
                .body("grant_type=client_credentials"),
        ),
        (
            200,
            http.post(format!("{confluent}/sts/v1/oauth2/token"))
                .header("content-type", FORM)
                .body(confluent_form("")),
        ),
        (
            400,
            http.post(format!("{confluent}/sts/v1/oauth2/token"))
                .header("content-type", FORM)
                .body(confluent_form("&expires_in=1000")),
        ),
        (
            401,
            http.post(format!("{nutanix}/api/nutanix/v3/oauth/token"))
                .header("content-type", FORM)
                .body("grant_type=refresh_token&refresh_token=r"),
        ),
        (
            200,
            http.post(format!("{treezor}/oauth/token")).multipart(
                reqwest::multipart::Form::new()
                    .text("grant_type", "client_credentials")
                    .text("client_id", "tz-client")
                    .text("client_secret", "tz-secret"),
            ),
        ),
        (
            401,
            http.post(format!("{treezor}/oauth/token")).multipart(
                reqwest::multipart::Form::new().text("grant_type", "client_credentials"),
            ),
        ),
    ];
    for (status, request) in requests {
        let response = request.send().await.expect("request");
        let url = response.url().to_string();
        assert_eq!(response.status(), status, "{url}");
        let headers = response.headers();
        assert_eq!(
            (
                headers.get("cache-control").and_then(|v| v.to_str().ok()),
                headers.get("pragma").and_then(|v| v.to_str().ok())
            ),
            (Some("no-store"), Some("no-cache")),
            "{status} from {url}"
        );
    }
    servers.stop().await;
}

#[tokio::test]
async fn treezor_multipart_parts_must_have_a_name() {
    let servers = Servers::start().await;
    let body = format!("--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nclient_credentials\r\n--{BOUNDARY}--\r\n");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let rows = [row(
        "multipart part without a name",
        Api::Treezor,
        "POST",
        "/oauth/token",
    )
    .content_type(&content_type)
    .body(body)];
    run(&servers, &rows).await;
    servers.stop().await;
}

#[tokio::test]
async fn polaris_rejections_follow_the_oauth_rfcs() {
    let servers = Servers::start().await;
    let rows = [
        row(
            "unknown grant_type (closed enum)",
            Api::Polaris,
            "POST",
            "/v1/oauth/tokens",
        )
        .form("grant_type=password&username=u&password=p&client_id=root&client_secret=s3cr3t")
        .code("unsupported_grant_type"),
        row(
            "empty Bearer token",
            Api::Polaris,
            "POST",
            "/v1/oauth/tokens",
        )
        .header("authorization", "Bearer")
        .form(CC)
        .status(401)
        .challenge("Bearer"),
    ];
    run(&servers, &rows).await;
    servers.stop().await;
}
