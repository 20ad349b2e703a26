//! [`Core`]: sends requests with the right credentials, timeouts, retries and limits.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::Error;
use super::request::{Body, Request};
use super::response::RawResponse;
use super::retry::RetryPolicy;
use crate::oauth::{ClientAuth, ClientAuthMethod, GrantType, Role};
use crate::token::{AccessToken, StaticToken, TokenError, TokenSource};
use crate::{ApiKeyLocation, Secret};

/// Client settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Time allowed to connect (`None`: no limit). Default 10 s.
    pub connect_timeout: Option<Duration>,
    /// Time allowed for a whole attempt, from sending to the end of the body (`None`: no
    /// limit). Default 30 s.
    pub timeout: Option<Duration>,
    /// Largest response body read, in bytes; a larger one is [`Error::ResponseTooLarge`].
    /// Default 16 MiB.
    pub max_response_bytes: usize,
    /// Retries (off by default).
    pub retry: RetryPolicy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            connect_timeout: Some(Duration::from_secs(10)),
            timeout: Some(Duration::from_secs(30)),
            max_response_bytes: 16 * 1024 * 1024,
            retry: RetryPolicy::none(),
        }
    }
}

/// A security scheme an operation's requirement names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// HTTP Basic.
    Basic,
    /// A Bearer token: HTTP bearer, OAuth 2.0 or OpenID Connect.
    Bearer,
    /// An API key.
    ApiKey(ApiKeyLocation, &'static str),
}

/// What [`Core::send`] needs to know about an operation.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// The operationId (for tracing).
    pub id: &'static str,
    /// The security requirement: alternatives, each a list of schemes that must all be
    /// used (empty list: no security).
    pub security: &'static [&'static [Scheme]],
    /// The OAuth role of the endpoint.
    pub role: Role,
}

impl Operation {
    /// The operations with `security` and `role`, before naming one: generated clients keep
    /// one constant per security requirement and name the operation at the call.
    pub const fn new(security: &'static [&'static [Scheme]], role: Role) -> Self {
        Operation { id: "", security, role }
    }

    /// The same operation named `id`.
    #[must_use]
    pub const fn named(self, id: &'static str) -> Self {
        Operation { id, ..self }
    }
}

/// What one attempt adds to a request for its credentials.
#[derive(Default)]
struct Credentials {
    authorization: Option<String>,
    /// The Bearer token used, to invalidate after a `401`.
    token: Option<AccessToken>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
    /// The body with the client's credentials (`client_secret_post`).
    body: Option<Body>,
}

/// The shared part of every generated client: base URL, HTTP client, credentials and
/// settings. Cloning is cheap: clones share the connection pool and the token sources.
#[derive(Clone)]
pub struct Core {
    base_url: Arc<str>,
    http: reqwest::Client,
    config: Arc<Config>,
    basic: Option<(String, Secret)>,
    bearer: Option<Arc<dyn TokenSource>>,
    api_key: Option<Secret>,
    client: Option<ClientAuth>,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.base_url)
            .field("config", &self.config)
            .field("basic", &self.basic.as_ref().map(|(user, secret)| (user, secret)))
            .field("bearer", &self.bearer)
            .field("api_key", &self.api_key)
            .field("client", &self.client)
            .finish()
    }
}

impl Core {
    /// A core for `base_url` with `config`; redirects are not followed (a `3xx` the spec
    /// declares comes back as a result).
    ///
    /// # Errors
    ///
    /// When the TLS backend cannot be initialized.
    pub fn with_config(base_url: impl Into<String>, config: Config) -> Result<Self, reqwest::Error> {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = config.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        Ok(Self::with_http_client(base_url, builder.build()?).config(config))
    }

    /// A core sending with the caller's `reqwest::Client` (proxies, middleware, its own
    /// connect timeout) and the default [`Config`].
    pub fn with_http_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        let base_url: String = base_url.into();
        Core {
            base_url: base_url.trim_end_matches('/').into(),
            http,
            config: Arc::new(Config::default()),
            basic: None,
            bearer: None,
            api_key: None,
            client: None,
        }
    }

    /// The same core with other settings (the connect timeout applies to clients built by
    /// [`Core::with_config`] only).
    #[must_use]
    pub fn config(mut self, config: Config) -> Self {
        self.config = Arc::new(config);
        self
    }

    /// The same core with a retry policy.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        Arc::make_mut(&mut self.config).retry = retry;
        self
    }

    /// The settings.
    pub fn settings(&self) -> &Config {
        &self.config
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Uses HTTP Basic where an operation asks for it.
    #[must_use]
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.basic = Some((username.into(), password.into()));
        self
    }

    /// Uses a fixed Bearer token where an operation asks for a Bearer token, OAuth 2.0 or
    /// OpenID Connect.
    #[must_use]
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.token_source(StaticToken::new(token))
    }

    /// Takes Bearer tokens from `source` (fetched, cached and renewed by it).
    #[must_use]
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        self.bearer = Some(Arc::new(source));
        self
    }

    /// Uses an API key where an operation asks for one.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Authenticates the client to token, revocation and introspection endpoints.
    #[must_use]
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.client = Some(auth);
        self
    }

    /// The client authentication, if set.
    pub fn client_credentials(&self) -> Option<&ClientAuth> {
        self.client.as_ref()
    }

    /// `path` (already percent-encoded) appended to the base URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A URL of the spec (a `tokenUrl`, …) resolved against the base URL (see
    /// [`crate::token::resolve`]).
    ///
    /// # Errors
    ///
    /// When the base URL or the result is not a valid URL.
    pub fn endpoint_url(&self, reference: &str) -> Result<url::Url, TokenError> {
        let base = url::Url::parse(&self.base_url).map_err(|e| TokenError::Unavailable(format!("the base URL {:?} is not a URL: {e}", self.base_url)))?;
        crate::token::resolve(&base, reference)
    }

    /// A request to `path` (already percent-encoded, starting with `/`).
    pub fn request(&self, method: reqwest::Method, path: &str) -> Request {
        Request::new(method, self.url(path))
    }

    /// Sends `request` for `operation` and reads the response.
    ///
    /// Credentials follow the operation: the first alternative of its security requirement
    /// whose schemes are all configured is used; on OAuth endpoints the client
    /// authentication is used instead, except for a token exchange when the requirement can
    /// be met (RFC 8693 lets the API's own credentials authenticate it). When the API answers
    /// `401` to a token from a [`TokenSource`], the token is invalidated and the call retried
    /// once with a new one. Retries follow [`Config::retry`].
    ///
    /// # Errors
    ///
    /// [`Error::Transport`], [`Error::Token`], [`Error::ResponseTooLarge`]; statuses are the
    /// caller's to decode.
    pub async fn send<E>(&self, request: Request, operation: &Operation) -> Result<RawResponse, Error<E>> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::info_span!(
                "oauth_api.call",
                operation = operation.id,
                method = %request.method,
                url = %request.url,
                status = tracing::field::Empty,
                attempts = tracing::field::Empty,
            );
            self.send_inner(request, operation).instrument(span).await
        }
        #[cfg(not(feature = "tracing"))]
        self.send_inner(request, operation).await
    }

    async fn send_inner<E>(&self, request: Request, operation: &Operation) -> Result<RawResponse, Error<E>> {
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            let mut credentials = self.credentials_for(&request, operation).await?;
            let token = credentials.token.take();
            let builder = self.builder(&request, credentials)?;
            let outcome = match builder.send().await {
                Ok(response) => self.read(response).await,
                Err(e) => Err(Error::Transport(e)),
            };
            let wait = match &outcome {
                Ok(raw) if raw.status() == 401 && !renewed => {
                    if let (Some(source), Some(token)) = (&self.bearer, &token) {
                        source.invalidate(token);
                        // A fixed token would only be refused again.
                        if source.renews() {
                            renewed = true;
                            attempt -= 1;
                            continue;
                        }
                    }
                    None
                }
                Ok(raw) => self.config.retry.after_status(&request.method, raw.status(), raw.headers(), attempt),
                Err(Error::Transport(e)) => self.config.retry.after_transport_error(&request.method, e, attempt),
                Err(_) => None,
            };
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => {
                    #[cfg(feature = "tracing")]
                    {
                        let span = tracing::Span::current();
                        span.record("attempts", attempt);
                        if let Ok(raw) = &outcome {
                            span.record("status", raw.status());
                        }
                    }
                    return outcome;
                }
            }
        }
    }

    /// The reqwest request for one attempt, with `credentials` (a plain function: the builder
    /// is not carried through a future's state, which moved it several times a call).
    fn builder<E>(&self, request: &Request, credentials: Credentials) -> Result<reqwest::RequestBuilder, Error<E>> {
        let mut builder = self.http.request(request.method.clone(), &request.url);
        if !request.query.is_empty() || !credentials.query.is_empty() {
            builder = builder.query(&request.query).query(&credentials.query);
        }
        for (name, value) in request.headers.iter().chain(&credentials.headers) {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if !request.cookies.is_empty() || !credentials.cookies.is_empty() {
            let cookies: Vec<&str> = request.cookies.iter().chain(&credentials.cookies).map(String::as_str).collect();
            builder = builder.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some(value) = credentials.authorization {
            let mut value = reqwest::header::HeaderValue::try_from(value).map_err(|e| Error::InvalidRequest(format!("credentials: {e}")))?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(timeout) = self.config.timeout {
            builder = builder.timeout(timeout);
        }
        builder = match credentials.body.as_ref().unwrap_or(&request.body) {
            Body::Empty => builder,
            Body::Form(encoded) => builder
                .header(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"))
                .body(encoded.clone()),
            Body::Multipart(fields) => {
                let form = fields.iter().fold(reqwest::multipart::Form::new(), |form, (name, value)| form.text(name.clone(), value.clone()));
                builder.multipart(form)
            }
            Body::Bytes { media_type, bytes } => builder.header(reqwest::header::CONTENT_TYPE, media_type.as_str()).body(bytes.clone()),
        };
        Ok(builder)
    }

    /// The credentials `operation` asks for, as configured: the first alternative of its
    /// security requirement whose schemes are all configured, or on OAuth endpoints the
    /// client authentication (except for a token exchange the requirement can authenticate).
    async fn credentials_for<E>(&self, request: &Request, operation: &Operation) -> Result<Credentials, Error<E>> {
        let mut out = Credentials::default();
        let alternative = operation.security.iter().copied().find(|schemes| !schemes.is_empty() && schemes.iter().all(|s| self.has(*s)));
        let client_auth = self.client.as_ref().filter(|_| operation.role.authenticates_client()).filter(|_| {
            let exchange = request.form_field("grant_type").is_some_and(|g| GrantType::from(g.as_str()) == GrantType::TokenExchange);
            !(exchange && alternative.is_some())
        });
        if let Some(auth) = client_auth {
            let mut body = request.body.clone();
            if body.edit_fields(|fields| auth.apply_to_form(fields)) {
                out.body = Some(body);
                if auth.method == ClientAuthMethod::Basic {
                    out.authorization = auth.basic_header();
                }
            } else {
                // No form body to carry `client_secret_post` (a spec that puts the token of a
                // revocation in the query): the credentials go as HTTP Basic, which every
                // server supports (RFC 6749 §2.3.1).
                out.authorization = ClientAuth { method: ClientAuthMethod::Basic, ..auth.clone() }.basic_header();
            }
            return Ok(out);
        }
        for scheme in alternative.unwrap_or_default() {
            match scheme {
                Scheme::Basic => {
                    if let Some((user, password)) = &self.basic {
                        let pair = format!("{user}:{}", password.expose());
                        out.authorization = Some(format!("Basic {}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, pair)));
                    }
                }
                Scheme::Bearer => {
                    if let Some(source) = &self.bearer {
                        let token = match source.cached() {
                            Some(token) => token,
                            None => source.token().await?,
                        };
                        out.authorization = Some(format!("Bearer {}", token.secret().expose()));
                        out.token = Some(token);
                    }
                }
                Scheme::ApiKey(location, name) => {
                    if let Some(key) = &self.api_key {
                        match location {
                            ApiKeyLocation::Header => out.headers.push(((*name).to_string(), key.expose().to_string())),
                            ApiKeyLocation::Query => out.query.push(((*name).to_string(), key.expose().to_string())),
                            ApiKeyLocation::Cookie => out.cookies.push(format!("{name}={}", key.expose())),
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn has(&self, scheme: Scheme) -> bool {
        match scheme {
            Scheme::Basic => self.basic.is_some(),
            Scheme::Bearer => self.bearer.is_some(),
            Scheme::ApiKey(..) => self.api_key.is_some(),
        }
    }

    /// Reads a response, refusing bodies over the limit.
    async fn read<E>(&self, mut response: reqwest::Response) -> Result<RawResponse, Error<E>> {
        let status = response.status().as_u16();
        let limit = self.config.max_response_bytes;
        let headers = std::mem::take(response.headers_mut());
        let body = match response.content_length() {
            Some(n) if n > limit as u64 => return Err(Error::ResponseTooLarge { status, limit }),
            // The length is known and allowed: one buffer, no copy.
            Some(_) => response.bytes().await.map_err(Error::Transport)?,
            None => {
                let mut body = Vec::new();
                while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
                    if body.len() + chunk.len() > limit {
                        return Err(Error::ResponseTooLarge { status, limit });
                    }
                    body.extend_from_slice(&chunk);
                }
                body.into()
            }
        };
        Ok(RawResponse::new(status, headers, body))
    }
}
