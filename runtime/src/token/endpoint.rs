//! Token endpoint requests: the form POST every flow makes, and how its answer is read.

use std::fmt;
use std::time::Duration;

use url::Url;

use super::{BoxFuture, TokenError};
use crate::oauth::{form_encode, ClientAuth, ErrorResponse, GrantType, TokenResponse};
use crate::Secret;

/// How long a token, revocation or discovery request may take, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The most of a token endpoint's answer that is read (1 MiB); a larger body is an
/// [`TokenError::InvalidResponse`].
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// `urn:ietf:params:oauth:token-type:access_token` (RFC 8693 §3).
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// `urn:ietf:params:oauth:token-type:refresh_token` (RFC 8693 §3).
pub const REFRESH_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:refresh_token";
/// `urn:ietf:params:oauth:token-type:id_token` (RFC 8693 §3).
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
/// `urn:ietf:params:oauth:token-type:jwt` (RFC 8693 §3).
pub const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";

/// Resolves an endpoint URL from a spec (`tokenUrl`, `refreshUrl`, `authorizationUrl`) against
/// the API's base URL.
///
/// OpenAPI makes such URLs relative to the server URL, so the base is taken as a directory:
/// `v1/oauth/tokens` against `https://host/api/catalog` is
/// `https://host/api/catalog/v1/oauth/tokens` (plain RFC 3986 resolution would drop
/// `catalog`). A reference starting with `/` replaces the whole path, and an absolute URL is
/// returned as it is.
///
/// ```
/// use oauth_api::token::resolve;
/// let base = url::Url::parse("http://localhost:8181/api/catalog").unwrap();
/// assert_eq!(resolve(&base, "v1/oauth/tokens").unwrap().as_str(), "http://localhost:8181/api/catalog/v1/oauth/tokens");
/// assert_eq!(resolve(&base, "https://idp.example/token").unwrap().as_str(), "https://idp.example/token");
/// ```
pub fn resolve(base: &Url, reference: &str) -> Result<Url, TokenError> {
    let mut directory = base.clone();
    if !directory.path().ends_with('/') {
        let path = format!("{}/", directory.path());
        directory.set_path(&path);
    }
    directory.join(reference).map_err(|e| TokenError::Unavailable(format!("cannot resolve the endpoint URL {reference:?}: {e}")))
}

/// A default HTTP client, new for each call (an error if this platform cannot build one).
///
/// Not one for the whole process: a connection belongs to the runtime that opened it, whose
/// task drives it. A client shared by every runtime hands a connection opened under one
/// runtime to a request made under another; the request then waits for as long as the first
/// runtime is idle (one `#[tokio::test]` after another, a synchronous wrapper that makes a
/// runtime per call), or fails ("runtime dropped the dispatch task") once it has shut down.
/// Token requests are rare (a cached token is reused until it expires), so building a client
/// for each costs little; a caller that wants pooled connections passes its own client.
pub(crate) fn default_http_client() -> Result<reqwest::Client, TokenError> {
    reqwest::Client::builder().build().map_err(|e| TokenError::Unavailable(format!("cannot build an HTTP client: {e}")))
}

/// How a token request authenticates.
pub(crate) enum Credentials<'a> {
    /// The client authenticates as its [`ClientAuth`] says.
    Client,
    /// `Authorization: Bearer <token>` (Iceberg's refresh by token exchange); client
    /// credentials go in the body only for [`crate::oauth::ClientAuthMethod::Post`].
    Bearer(&'a Secret),
}

/// A token endpoint and the client that talks to it: form POSTs with client authentication,
/// a timeout, and answers read as RFC 6749 §5.1 tokens or §5.2 errors.
///
/// Every flow uses one; use it directly for a grant this module has no builder for
/// (e.g. `urn:ietf:params:oauth:grant-type:jwt-bearer`). Cheap to clone. `Debug` hides the
/// client secret.
///
/// ```no_run
/// # async fn run() -> Result<(), oauth_api::token::TokenError> {
/// use oauth_api::oauth::{ClientAuth, GrantType};
/// use oauth_api::token::TokenEndpoint;
/// let endpoint = TokenEndpoint::new(url::Url::parse("https://idp.example/token").unwrap(), ClientAuth::basic("id", "secret"));
/// let response = endpoint.request(&GrantType::JwtBearer, &[("assertion", "eyJ…")]).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenEndpoint {
    url: Url,
    auth: ClientAuth,
    http: Option<reqwest::Client>,
    timeout: Duration,
}

impl TokenEndpoint {
    /// An endpoint at `url` that the client authenticates to with `auth`.
    pub fn new(url: Url, auth: ClientAuth) -> Self {
        TokenEndpoint { url, auth, http: None, timeout: DEFAULT_TIMEOUT }
    }

    /// Sends requests with this client (proxies, TLS roots, pooled connections …) instead of a
    /// default one built for each request.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The time a request may take ([`DEFAULT_TIMEOUT`] unless set).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The endpoint URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The client's credentials.
    pub fn client_auth(&self) -> &ClientAuth {
        &self.auth
    }

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn set_http_client(&mut self, http: reqwest::Client) {
        self.http = Some(http);
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    pub(crate) fn http(&self) -> Result<reqwest::Client, TokenError> {
        match &self.http {
            Some(http) => Ok(http.clone()),
            None => default_http_client(),
        }
    }

    /// A token request with `grant` and `params`, the client authenticating as configured.
    pub async fn request(&self, grant: &GrantType, params: &[(&str, &str)]) -> Result<TokenResponse, TokenError> {
        let mut fields = vec![("grant_type".to_string(), grant.as_str().to_string())];
        fields.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.send(fields, Credentials::Client).await
    }

    /// A refresh token request (RFC 6749 §6), with `scope` if given.
    pub async fn refresh(&self, refresh_token: &Secret, scope: Option<&str>) -> Result<TokenResponse, TokenError> {
        let mut params = vec![("refresh_token", refresh_token.expose())];
        if let Some(scope) = scope {
            params.push(("scope", scope));
        }
        self.request(&GrantType::RefreshToken, &params).await
    }

    pub(crate) fn send_boxed(&self, fields: Vec<(String, String)>) -> BoxFuture<'_, Result<TokenResponse, TokenError>> {
        Box::pin(self.send(fields, Credentials::Client))
    }

    /// POSTs `fields` (which hold `grant_type`) as a form.
    pub(crate) async fn send(&self, fields: Vec<(String, String)>, credentials: Credentials<'_>) -> Result<TokenResponse, TokenError> {
        #[cfg(feature = "tracing")]
        let grant = fields.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.clone()).unwrap_or_default();
        let (status, bytes) = self.post_form(fields, credentials).await?;
        #[cfg(feature = "tracing")]
        tracing::debug!(endpoint = %redacted_url(&self.url), grant = %grant, status, "token request");
        decode_token_response(status, &bytes)
    }

    /// POSTs `fields` as a form to the endpoint, authenticated as `credentials` says; the
    /// status and (bounded) body of the answer.
    pub(crate) async fn post_form(&self, mut fields: Vec<(String, String)>, credentials: Credentials<'_>) -> Result<(u16, Vec<u8>), TokenError> {
        let http = self.http()?;
        let mut request = http.post(self.url.clone()).timeout(self.timeout).header(reqwest::header::ACCEPT, "application/json");
        match credentials {
            Credentials::Client => {
                self.auth.apply_to_form(&mut fields);
                if let Some(basic) = self.auth.basic_header() {
                    request = request.header(reqwest::header::AUTHORIZATION, basic);
                }
            }
            Credentials::Bearer(token) => {
                fields.retain(|(k, _)| k != "client_id" && k != "client_secret");
                if self.auth.method == crate::oauth::ClientAuthMethod::Post {
                    self.auth.apply_to_form(&mut fields);
                }
                request = request.header(reqwest::header::AUTHORIZATION, format!("Bearer {}", token.expose()));
            }
        }
        let request = request.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(encode_form(&fields));
        read(request).await
    }

    /// The same client, credentials and timeout at another URL (the revocation endpoint).
    pub(crate) fn at(&self, url: Url) -> TokenEndpoint {
        TokenEndpoint { url, ..self.clone() }
    }
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &redacted_url(&self.url))
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The URL without user info or query (which could hold credentials), for `Debug` and logs.
pub(crate) fn redacted_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    if shown.query().is_some() {
        shown.set_query(Some("…"));
    }
    shown.to_string()
}

/// `application/x-www-form-urlencoded` (RFC 6749 Appendix B).
pub(crate) fn encode_form(fields: &[(String, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v))).collect::<Vec<_>>().join("&")
}

/// Sends `request` and reads at most [`MAX_RESPONSE_BYTES`] of the answer.
pub(crate) async fn read(request: reqwest::RequestBuilder) -> Result<(u16, Vec<u8>), TokenError> {
    let mut response = request.send().await.map_err(TokenError::Transport)?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(TokenError::Transport)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(TokenError::InvalidResponse { status, reason: format!("the response is larger than {MAX_RESPONSE_BYTES} bytes") });
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

/// A success as a [`TokenResponse`]; an RFC 6749 §5.2 body as [`TokenError::OAuth`].
pub(crate) fn decode_token_response(status: u16, body: &[u8]) -> Result<TokenResponse, TokenError> {
    if (200..300).contains(&status) {
        return serde_json::from_slice::<TokenResponse>(body).map_err(|e| TokenError::InvalidResponse {
            status,
            // serde's message names the field, never the value of a string.
            reason: format!("not a token response: {}", e),
        });
    }
    Err(error_from(status, body))
}

/// The error for a failed (non-2xx) answer.
pub(crate) fn error_from(status: u16, body: &[u8]) -> TokenError {
    match ErrorResponse::from_body(body) {
        Some(error) => TokenError::OAuth { status, error },
        None => TokenError::InvalidResponse { status, reason: format!("HTTP {status} without an OAuth error body ({} bytes)", body.len()) },
    }
}

/// Shared configuration of the requests a source makes, applied to its endpoint.
#[derive(Clone, Debug, Default)]
pub(crate) struct HttpOptions {
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) timeout: Option<Duration>,
}

impl HttpOptions {
    pub(crate) fn apply(&self, endpoint: &mut TokenEndpoint) {
        if let Some(http) = &self.http {
            endpoint.set_http_client(http.clone());
        }
        if let Some(timeout) = self.timeout {
            endpoint.set_timeout(timeout);
        }
    }
}
