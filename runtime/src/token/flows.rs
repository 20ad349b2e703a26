//! The flows that run unattended: client credentials (with Iceberg's refresh by token
//! exchange), password, and refresh token only.

use url::Url;

use super::cache::{cache_options, Grant, Options};
use super::endpoint::{Credentials, ACCESS_TOKEN_TYPE};
use super::{BoxFuture, CachedTokenSource, TokenEndpoint, TokenError};
use crate::oauth::{ClientAuth, GrantType, TokenResponse};
use crate::Secret;

/// Space-joined scopes, `None` when there are none.
pub(crate) fn scope_param(scopes: &[String]) -> Option<String> {
    (!scopes.is_empty()).then(|| scopes.join(" "))
}

/// `grant_type` and the flow's fields, `scope` and extra parameters after them.
fn form(grant: &GrantType, fields: &[(&str, &str)], scopes: &[String], params: &[(String, String)]) -> Vec<(String, String)> {
    let mut form = vec![("grant_type".to_string(), grant.as_str().to_string())];
    form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    if let Some(scope) = scope_param(scopes) {
        form.push(("scope".into(), scope));
    }
    form.extend(params.iter().cloned());
    form
}

/// Client credentials (RFC 6749 §4.4): the client gets a token for itself with its id and
/// secret. Builds a [`CachedTokenSource`].
///
/// The client authenticates as its [`ClientAuth`] says: HTTP Basic (`ClientAuth::basic`,
/// what servers must support) or in the body (`ClientAuth::post`).
///
/// ```no_run
/// use std::sync::Arc;
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::{ClientCredentials, TokenSource};
/// let base = url::Url::parse("http://localhost:8181/api/catalog").unwrap();
/// let tokens = ClientCredentials::builder(oauth_api::token::resolve(&base, "v1/oauth/tokens").unwrap(), ClientAuth::basic("root", "s3cr3t"))
///     .scope("PRINCIPAL_ROLE:ALL")
///     .renew_by_token_exchange() // Polaris / Iceberg REST
///     .build();
/// let source: Arc<dyn TokenSource> = Arc::new(tokens);
/// ```
#[derive(Debug)]
pub struct ClientCredentials;

impl ClientCredentials {
    /// A builder for the token endpoint at `token_url`.
    pub fn builder(token_url: Url, auth: ClientAuth) -> ClientCredentialsBuilder {
        ClientCredentialsBuilder {
            endpoint: TokenEndpoint::new(token_url, auth),
            scopes: Vec::new(),
            params: Vec::new(),
            exchange: false,
            options: Options::default(),
        }
    }
}

/// Builds a client credentials [`CachedTokenSource`]; see [`ClientCredentials`].
#[derive(Debug)]
#[must_use]
pub struct ClientCredentialsBuilder {
    endpoint: TokenEndpoint,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    exchange: bool,
    options: Options,
}

impl ClientCredentialsBuilder {
    /// Asks for `scope` (one scope, or several space-separated); may be repeated.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Asks for these scopes.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// Sends an extra parameter with every token request, e.g. `audience` or `resource`
    /// (RFC 8707); may be repeated.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Renews a token that is still valid by RFC 8693 token exchange, as Apache Iceberg's REST
    /// client does against Polaris: `subject_token` = the current access token,
    /// `subject_token_type` = `urn:ietf:params:oauth:token-type:access_token`, the same scope
    /// and extra parameters, sent with `Authorization: Bearer <current token>` instead of the
    /// client's Basic credentials (body credentials still go in the body). When the exchange
    /// fails, or the token has expired or was invalidated after a `401`, the source falls
    /// back to client credentials.
    pub fn renew_by_token_exchange(mut self) -> Self {
        self.exchange = true;
        self
    }

    cache_options!();

    /// The token source.
    pub fn build(self) -> CachedTokenSource {
        let grant = ClientCredentialsGrant { scopes: self.scopes, params: self.params, exchange: self.exchange };
        CachedTokenSource::new(self.endpoint, grant, self.options)
    }
}

#[derive(Debug)]
struct ClientCredentialsGrant {
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    exchange: bool,
}

impl Grant for ClientCredentialsGrant {
    fn name(&self) -> &'static str {
        "client credentials"
    }

    fn fetch<'a>(&'a self, endpoint: &'a TokenEndpoint) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>> {
        Some(endpoint.send_boxed(form(&GrantType::ClientCredentials, &[], &self.scopes, &self.params)))
    }

    fn renew<'a>(&'a self, endpoint: &'a TokenEndpoint, current: &'a Secret) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>> {
        if !self.exchange {
            return None;
        }
        let fields = [("subject_token", current.expose()), ("subject_token_type", ACCESS_TOKEN_TYPE)];
        let form = form(&GrantType::TokenExchange, &fields, &self.scopes, &self.params);
        Some(Box::pin(endpoint.send(form, Credentials::Bearer(current))))
    }
}

/// Resource owner password credentials (RFC 6749 §4.3): a token for a user, from the user's
/// name and password. Builds a [`CachedTokenSource`] that renews with the refresh token when
/// the server issues one, else with the password again.
///
/// ```no_run
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::Password;
/// let tokens = Password::builder(url::Url::parse("https://idp.example/token").unwrap(), ClientAuth::basic("app", "secret"), "alice", "pa55word")
///     .scope("openid offline_access")
///     .build();
/// ```
#[derive(Debug)]
pub struct Password;

impl Password {
    /// A builder for the token endpoint at `token_url`, signing in as `username`.
    pub fn builder(token_url: Url, auth: ClientAuth, username: impl Into<String>, password: impl Into<Secret>) -> PasswordBuilder {
        PasswordBuilder {
            endpoint: TokenEndpoint::new(token_url, auth),
            username: username.into(),
            password: password.into(),
            scopes: Vec::new(),
            params: Vec::new(),
            options: Options::default(),
        }
    }
}

/// Builds a password [`CachedTokenSource`]; see [`Password`].
#[derive(Debug)]
#[must_use]
pub struct PasswordBuilder {
    endpoint: TokenEndpoint,
    username: String,
    password: Secret,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    options: Options,
}

impl PasswordBuilder {
    /// Asks for `scope` (one scope, or several space-separated); may be repeated.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Sends an extra parameter with every password request; may be repeated.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    cache_options!();

    /// The token source.
    pub fn build(self) -> CachedTokenSource {
        let grant = PasswordGrant { username: self.username, password: self.password, scopes: self.scopes, params: self.params };
        CachedTokenSource::new(self.endpoint, grant, self.options)
    }
}

#[derive(Debug)]
struct PasswordGrant {
    username: String,
    password: Secret,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
}

impl Grant for PasswordGrant {
    fn name(&self) -> &'static str {
        "password"
    }

    fn fetch<'a>(&'a self, endpoint: &'a TokenEndpoint) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>> {
        let fields = [("username", self.username.as_str()), ("password", self.password.expose())];
        Some(endpoint.send_boxed(form(&GrantType::Password, &fields, &self.scopes, &self.params)))
    }
}

/// A refresh token the user already has (RFC 6749 §6): the first call refreshes it, and so
/// does every renewal. A server that rotates refresh tokens is followed (the new one replaces
/// the old, and reaches the [`TokenStore`](super::TokenStore)). When the server rejects the
/// refresh token (`invalid_grant`), the source fails with that error from then on, without
/// asking again, until [`CachedTokenSource::set_tokens`].
///
/// ```no_run
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::RefreshToken;
/// let tokens = RefreshToken::builder(url::Url::parse("https://idp.example/token").unwrap(), ClientAuth::public("cli"), "the-refresh-token").build();
/// ```
#[derive(Debug)]
pub struct RefreshToken;

impl RefreshToken {
    /// A builder for the token endpoint at `token_url`, starting from `refresh_token`.
    pub fn builder(token_url: Url, auth: ClientAuth, refresh_token: impl Into<Secret>) -> RefreshTokenBuilder {
        let options = Options { seed: Some(super::TokenSet::from_refresh_token(refresh_token)), ..Options::default() };
        RefreshTokenBuilder { endpoint: TokenEndpoint::new(token_url, auth), scope: None, options }
    }
}

/// Builds a refresh token [`CachedTokenSource`]; see [`RefreshToken`].
#[derive(Debug)]
#[must_use]
pub struct RefreshTokenBuilder {
    endpoint: TokenEndpoint,
    scope: Option<String>,
    options: Options,
}

impl RefreshTokenBuilder {
    /// Sends `scope` with each refresh (by default none: the scope originally granted).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    cache_options!();

    /// The token source.
    pub fn build(self) -> CachedTokenSource {
        CachedTokenSource::new(self.endpoint, RefreshOnly { name: "refresh token", scope: self.scope }, self.options)
    }
}

/// A flow with no grant of its own: renews with the refresh token only.
#[derive(Debug)]
pub(crate) struct RefreshOnly {
    pub(crate) name: &'static str,
    pub(crate) scope: Option<String>,
}

impl Grant for RefreshOnly {
    fn name(&self) -> &'static str {
        self.name
    }

    fn fetch<'a>(&'a self, _endpoint: &'a TokenEndpoint) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>> {
        None
    }

    fn refresh_scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
}
