//! Reference implementation of the Nutanix v3 OAuth API (Prism Central), 12 operations.
//!
//! How it implements [`server::Api`]:
//!
//! - **Prism users**: the operations other than the token and revocation endpoints take
//!   HTTP Basic for a Prism user (the router answers `401` with `WWW-Authenticate` when it
//!   is missing). The implementation checks the user: unknown user or wrong password →
//!   `401 AUTHENTICATION_REQUIRED` (through the operation's `default` response). Users have
//!   a [`Role`]: a [`Role::Viewer`] may read (get, list, revoke tokens, authorize) but gets
//!   `403 ACCESS_DENIED` on anything that creates, changes or deletes clients or mints
//!   tokens. The three redirect-only operations have no error response: a failed login
//!   redirects to [`LOGIN_ERROR`] instead.
//! - **Identity provider login** (`adfs_login`, `idp_login`): `302` to the IdP's
//!   authorization endpoint with a fresh `state`; `idp_callback` consumes that state and
//!   redirects to the console ([`CONSOLE`]), or to [`LOGIN_ERROR`] for an unknown state.
//! - **OAuth clients** (RFC 7591 / 7592): created with a UUID-shaped `client_id` and a
//!   random-looking `client_secret`; names are unique (`409 DUPLICATE_CLIENT_NAME`);
//!   redirect URIs must be absolute (`400 INVALID_REDIRECT_URI`). Unknown ids get `404`
//!   with an `OauthClientStatus` (`ENTITY_NOT_FOUND`). Listing sorts by `client_name`
//!   (or `client_id`) in `sort_order`, then pages with `offset` (default 0) and `length`
//!   (default [`DEFAULT_PAGE_LENGTH`]); another `sort_attribute` → `400`.
//! - **Authorization** (RFC 6749 §4.1.1–4.1.2): the client and redirect URI must be
//!   registered (else `400`, no redirect, §4.1.2.1); `confirm=yes` redirects to the
//!   redirect URI with `code` and `state`, `confirm=no` with `error=access_denied`.
//! - **Token endpoint** (RFC 6749 §4.1.3, §6): the OAuth client authenticates itself
//!   (§2.3.1), with HTTP Basic or with `client_id` / `client_secret` in the body: the
//!   implementation reads `request.client`, however it came. The router refuses both at
//!   once (`400`, §2.3) and answers `401` with `WWW-Authenticate` when neither came; an
//!   unknown client or a wrong secret (a Prism user's Basic credentials included) → `401
//!   INVALID_CLIENT` (the declared `401`). Codes are single-use and bound to client and
//!   redirect URI; refresh tokens are bound to their client and rotate. Bad grants → `400
//!   INVALID_GRANT`.
//! - **generate_token**: creates a client and a token pair for it in one go.
//! - **Revocation** (RFC 7009): HTTP Basic is a Prism user (any role, who may revoke any
//!   token) or an OAuth client (RFC 7009 §2.1: which may revoke only the tokens issued to
//!   it, else `400 UNAUTHORIZED_CLIENT`); other credentials → `401 INVALID_CLIENT` through
//!   `default`. Revoking removes the token; an unknown token gets `200` too (§2.2). The spec
//!   also declares `404 Token not found`: with [`Nutanix::report_unknown_tokens`] the
//!   implementation answers it for unknown tokens. The `token_type_hint` only says where to
//!   look first; one the server does not know is ignored (§2.1).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};

use generated::nutanix::server::{self, ClientAuth, Credentials, Failure};
use generated::nutanix::server::{
    OauthAdfsLoginGetRequest, OauthAuthorizePostRequest, OauthClientClientIdDeleteRequest,
    OauthClientClientIdGetRequest, OauthClientClientIdPutRequest, OauthClientListPostRequest,
    OauthClientPostRequest, OauthGenerateTokenPostRequest, OauthIdpCallbackGetRequest,
    OauthIdpLoginGetRequest, OauthRevokeTokenPostRequest, OauthTokenPostRequest,
};
use generated::nutanix::{
    MessageResource, OauthAdfsLoginGetSuccess, OauthAuthorizePostError, OauthAuthorizePostSuccess,
    OauthAuthorizeRequestConfirm, OauthClientClientIdDeleteError, OauthClientClientIdGetError,
    OauthClientClientIdPutError, OauthClientInput, OauthClientList, OauthClientListMetadata,
    OauthClientListMetadataSortOrder, OauthClientListPostError, OauthClientPostError,
    OauthClientResponse, OauthClientStatus, OauthGenerateTokenPostError,
    OauthGenerateTokenResponse, OauthIdpCallbackGetSuccess, OauthIdpLoginGetSuccess,
    OauthRevokeTokenPostError, OauthStatus, OauthToken, OauthTokenPostError,
    OauthTokenRequestGrantType, ProviderOauthToken,
};

/// The administrator [`Nutanix::new`] knows (a `:` in the password, as RFC 7617 allows).
pub const ADMIN: (&str, &str) = ("admin", "Nutanix/4u:2024");
/// The read-only user [`Nutanix::new`] knows.
pub const VIEWER: (&str, &str) = ("viewer", "read only");
/// The ADFS authorization endpoint `adfs_login` redirects to.
pub const ADFS_AUTHORIZE: &str = "https://adfs.example.com/adfs/oauth2/authorize";
/// The IdP authorization endpoint `idp_login` redirects to.
pub const IDP_AUTHORIZE: &str = "https://idp.example.com/oauth2/authorize";
/// The Prism callback the IdP sends the user back to.
pub const CALLBACK: &str = "https://prism.example.com:9440/api/nutanix/v3/oauth/idp_callback";
/// Prism's client id at the IdP.
pub const PRISM_CLIENT_ID: &str = "prism-central";
/// Where a completed login lands.
pub const CONSOLE: &str = "/console/#/dashboard";
/// Where a failed login lands, followed by the reason.
pub const LOGIN_ERROR: &str = "/console/#/login?error=";
/// Lifetime of issued access tokens, in seconds.
pub const TOKEN_LIFETIME: i64 = 3600;
/// Page length of a list request without `length`.
pub const DEFAULT_PAGE_LENGTH: i32 = 20;

/// What a Prism user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Everything.
    Admin,
    /// Read only.
    Viewer,
}

/// In-memory Prism Central OAuth server. Clones share their state.
#[derive(Clone)]
pub struct Nutanix {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// user → (password, role).
    users: HashMap<String, (String, Role)>,
    /// client id → client.
    clients: BTreeMap<String, OauthClientResponse>,
    codes: HashMap<String, CodeGrant>,
    access: HashMap<String, Grant>,
    refresh: HashMap<String, Grant>,
    login_states: HashSet<String>,
    report_unknown_tokens: bool,
    issued: u64,
    calls: usize,
    last_credentials: Option<Credentials>,
    last_client: Option<ClientAuth>,
}

struct CodeGrant {
    client_id: String,
    redirect_uri: Option<String>,
    scope: String,
}

#[derive(Clone)]
struct Grant {
    client_id: String,
    scope: String,
}

/// Why a request fails: its status, Nutanix reason code and message.
#[derive(Debug)]
pub struct Problem {
    /// HTTP status.
    pub status: u16,
    /// Nutanix reason code (`message_list[0].reason`).
    pub reason: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl Problem {
    fn new(status: u16, reason: &'static str, message: impl Into<String>) -> Self {
        Problem {
            status,
            reason,
            message: message.into(),
        }
    }

    fn messages(&self) -> Option<Vec<MessageResource>> {
        Some(vec![MessageResource::new(&self.message, self.reason)])
    }

    /// As an `OauthStatus` body.
    pub fn status_body(&self) -> OauthStatus {
        OauthStatus {
            code: Some(self.status.into()),
            message_list: self.messages(),
            state: Some("ERROR".to_string()),
            ..OauthStatus::default()
        }
    }

    /// As an `OauthClientStatus` body.
    pub fn client_status_body(&self) -> OauthClientStatus {
        OauthClientStatus {
            code: Some(self.status.into()),
            message_list: self.messages(),
            state: Some("ERROR".to_string()),
            ..OauthClientStatus::default()
        }
    }
}

/// `base` with `pairs` appended as form-encoded query parameters.
fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    let query = serde_urlencoded::to_string(pairs).expect("query pairs encode");
    format!("{base}{separator}{query}")
}

fn not_found(client_id: &str) -> Problem {
    Problem::new(
        404,
        "ENTITY_NOT_FOUND",
        format!("OAuth client `{client_id}` does not exist"),
    )
}

impl Default for Nutanix {
    fn default() -> Self {
        Self::new()
    }
}

impl Nutanix {
    /// A server with the users [`ADMIN`] and [`VIEWER`] and no OAuth client.
    pub fn new() -> Self {
        Nutanix {
            state: Arc::default(),
        }
        .with_user(ADMIN.0, ADMIN.1, Role::Admin)
        .with_user(VIEWER.0, VIEWER.1, Role::Viewer)
    }

    /// Adds a Prism user.
    pub fn with_user(self, name: &str, password: &str, role: Role) -> Self {
        self.state()
            .users
            .insert(name.to_string(), (password.to_string(), role));
        self
    }

    /// Registers an OAuth client as is (id and secret included).
    pub fn with_oauth_client(self, client: OauthClientResponse) -> Self {
        self.state()
            .clients
            .insert(client.client_id.clone(), client);
        self
    }

    /// Answers `404` instead of `200` when asked to revoke an unknown token.
    pub fn report_unknown_tokens(self, report: bool) -> Self {
        self.state().report_unknown_tokens = report;
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many requests reached the implementation (the router rejects bad ones before).
    pub fn calls(&self) -> usize {
        self.state().calls
    }

    /// The credentials (`Authorization` header) of the last request that reached the
    /// implementation.
    pub fn last_credentials(&self) -> Option<Credentials> {
        self.state().last_credentials.clone()
    }

    /// The client authentication of the last request to the token or revocation endpoint
    /// that reached the implementation, as the router handed it over.
    pub fn last_client(&self) -> Option<ClientAuth> {
        self.state().last_client.clone()
    }

    /// A registered client.
    pub fn client(&self, client_id: &str) -> Option<OauthClientResponse> {
        self.state().clients.get(client_id).cloned()
    }

    /// Whether `token` is an active access or refresh token.
    pub fn is_active(&self, token: &str) -> bool {
        let state = self.state();
        state.access.contains_key(token) || state.refresh.contains_key(token)
    }

    /// Counts the call, remembers its credentials and hands over the state.
    fn enter(&self, credentials: &Credentials) -> MutexGuard<'_, State> {
        self.enter_oauth(Some(credentials), None)
    }

    /// [`Nutanix::enter`] for the OAuth endpoints, whose credentials are optional and which
    /// also have a client authentication.
    fn enter_oauth(
        &self,
        credentials: Option<&Credentials>,
        client: Option<&ClientAuth>,
    ) -> MutexGuard<'_, State> {
        let mut state = self.state();
        state.calls += 1;
        state.last_credentials = credentials.cloned();
        state.last_client = client.cloned();
        state
    }
}

impl State {
    fn next(&mut self) -> u64 {
        self.issued += 1;
        self.issued
    }

    /// The role of the Basic user; `admin` also asks for [`Role::Admin`].
    fn user(&self, credentials: &Credentials, admin: bool) -> Result<Role, Problem> {
        let role = match credentials {
            Credentials::Basic { username, password } => match self.users.get(username) {
                Some((expected, role)) if expected == password.expose() => Some(*role),
                _ => None,
            },
            _ => None,
        };
        match role {
            None => Err(Problem::new(
                401,
                "AUTHENTICATION_REQUIRED",
                "invalid user name or password",
            )),
            Some(Role::Viewer) if admin => Err(Problem::new(
                403,
                "ACCESS_DENIED",
                "this needs the administrator role",
            )),
            Some(role) => Ok(role),
        }
    }

    /// Where the login redirect goes: the IdP with a fresh state, or the login error page.
    fn login(&mut self, credentials: &Credentials, authorize: &str) -> Option<String> {
        if let Err(problem) = self.user(credentials, false) {
            return Some(format!("{LOGIN_ERROR}{}", problem.reason));
        }
        let n = self.next();
        let state = super::opaque("st_", n);
        self.login_states.insert(state.clone());
        Some(with_query(
            authorize,
            &[
                ("response_type", "code"),
                ("client_id", PRISM_CLIENT_ID),
                ("redirect_uri", CALLBACK),
                ("state", &state),
            ],
        ))
    }

    fn check_input(&self, input: &OauthClientInput, except: Option<&str>) -> Result<(), Problem> {
        if let Some(bad) = input.redirect_uris.iter().find(|u| !u.contains("://")) {
            return Err(Problem::new(
                400,
                "INVALID_REDIRECT_URI",
                format!("`{bad}` is not an absolute URI"),
            ));
        }
        let taken = self
            .clients
            .values()
            .any(|c| c.client_name == input.client_name && Some(c.client_id.as_str()) != except);
        if taken {
            return Err(Problem::new(
                409,
                "DUPLICATE_CLIENT_NAME",
                format!("a client named `{}` exists", input.client_name),
            ));
        }
        Ok(())
    }

    fn create_client(&mut self, input: OauthClientInput) -> OauthClientResponse {
        let n = self.next();
        let client = OauthClientResponse {
            client_name: input.client_name,
            redirect_uris: input.redirect_uris,
            client_description: input.client_description,
            default_scopes: input.default_scopes,
            client_id: super::uuid(n),
            client_secret: super::opaque("", n),
        };
        self.clients
            .insert(client.client_id.clone(), client.clone());
        client
    }

    /// A new access and refresh token pair for `client_id`.
    fn issue(&mut self, client_id: &str, scope: &str) -> (String, String) {
        let n = self.next();
        let (access, refresh) = (super::opaque("ntnx_at_", n), super::opaque("ntnx_rt_", n));
        let grant = Grant {
            client_id: client_id.to_string(),
            scope: scope.to_string(),
        };
        self.access.insert(access.clone(), grant.clone());
        self.refresh.insert(refresh.clone(), grant);
        (access, refresh)
    }

    /// The OAuth client a request to the token endpoint authenticates as (RFC 6749
    /// §2.3.1), however its credentials came.
    fn client_of(&self, client: Option<&ClientAuth>) -> Result<String, Problem> {
        let Some(client) = client else {
            return Err(Problem::new(
                401,
                "INVALID_CLIENT",
                "client authentication is required",
            ));
        };
        let secret = client.client_secret.as_ref().map(|s| s.expose());
        match (self.clients.get(&client.client_id), secret) {
            (Some(registered), Some(secret)) if registered.client_secret == secret => {
                Ok(client.client_id.clone())
            }
            _ => Err(Problem::new(
                401,
                "INVALID_CLIENT",
                "client authentication failed",
            )),
        }
    }

    /// Who revokes: a Prism user (any role) or an OAuth client (only its own tokens).
    fn revoker(&self, client: Option<&ClientAuth>) -> Result<Option<String>, Problem> {
        let secret = client.and_then(|c| c.client_secret.as_ref().map(|s| s.expose()));
        if let (Some(client), Some(secret)) = (client, secret) {
            if let Some((password, _)) = self.users.get(&client.client_id) {
                if password == secret {
                    return Ok(None);
                }
            }
        }
        self.client_of(client).map(Some)
    }

    fn token(
        &mut self,
        request: OauthTokenPostRequest,
    ) -> Result<ProviderOauthToken, OauthTokenPostError> {
        let client_id = self
            .client_of(request.client.as_ref())
            .map_err(|p| OauthTokenPostError::Unauthorized(p.status_body()))?;
        let body = request.body;
        let bad = |reason: &'static str, message: &str| {
            OauthTokenPostError::BadRequest(Problem::new(400, reason, message).status_body())
        };
        let scope = match body.grant_type {
            OauthTokenRequestGrantType::AuthorizationCode => {
                let code = body
                    .code
                    .ok_or_else(|| bad("INVALID_REQUEST", "`code` is required"))?;
                let grant = self
                    .codes
                    .remove(&code)
                    .ok_or_else(|| bad("INVALID_GRANT", "unknown or used code"))?;
                if grant.client_id != client_id
                    || grant.redirect_uri.is_some() && grant.redirect_uri != body.redirect_uri
                {
                    return Err(bad(
                        "INVALID_GRANT",
                        "the code was issued to another client or redirect URI",
                    ));
                }
                grant.scope
            }
            OauthTokenRequestGrantType::RefreshToken => {
                let token = body
                    .refresh_token
                    .ok_or_else(|| bad("INVALID_REQUEST", "`refresh_token` is required"))?;
                match self.refresh.get(&token) {
                    Some(grant) if grant.client_id == client_id => {}
                    _ => return Err(bad("INVALID_GRANT", "unknown refresh token")),
                }
                let grant = self.refresh.remove(&token).expect("checked above");
                grant.scope
            }
        };
        let (access_token, refresh_token) = self.issue(&client_id, &scope);
        Ok(ProviderOauthToken::new(
            access_token,
            "Bearer",
            TOKEN_LIFETIME,
            refresh_token,
            scope,
        ))
    }
}

impl server::Api for Nutanix {
    async fn oauth_adfs_login_get(
        &self,
        request: OauthAdfsLoginGetRequest,
    ) -> Result<OauthAdfsLoginGetSuccess, Failure<Infallible>> {
        let location = self
            .enter(&request.credentials)
            .login(&request.credentials, ADFS_AUTHORIZE);
        Ok(OauthAdfsLoginGetSuccess::Found { location })
    }

    async fn oauth_idp_login_get(
        &self,
        request: OauthIdpLoginGetRequest,
    ) -> Result<OauthIdpLoginGetSuccess, Failure<Infallible>> {
        let location = self
            .enter(&request.credentials)
            .login(&request.credentials, IDP_AUTHORIZE);
        Ok(OauthIdpLoginGetSuccess::Found { location })
    }

    async fn oauth_idp_callback_get(
        &self,
        request: OauthIdpCallbackGetRequest,
    ) -> Result<OauthIdpCallbackGetSuccess, Failure<Infallible>> {
        let mut state = self.enter(&request.credentials);
        let location = match state.user(&request.credentials, false) {
            Err(problem) => format!("{LOGIN_ERROR}{}", problem.reason),
            Ok(_) => {
                // The state is single-use: the first authenticated callback consumes it.
                let params = &request.params;
                let known = params
                    .state
                    .as_ref()
                    .is_some_and(|s| state.login_states.remove(s));
                if known && !params.code.is_empty() {
                    CONSOLE.to_string()
                } else {
                    format!("{LOGIN_ERROR}INVALID_STATE")
                }
            }
        };
        Ok(OauthIdpCallbackGetSuccess::Found {
            location: Some(location),
        })
    }

    async fn oauth_authorize_post(
        &self,
        request: OauthAuthorizePostRequest,
    ) -> Result<OauthAuthorizePostSuccess, Failure<OauthAuthorizePostError>> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthAuthorizePostError::Default {
                status: p.status,
                body: p.status_body(),
            })
        };
        state.user(&request.credentials, false).map_err(fail)?;
        let body = request.body;
        let client = state.clients.get(&body.client_id).ok_or_else(|| {
            fail(Problem::new(
                400,
                "INVALID_CLIENT",
                format!("unknown client `{}`", body.client_id),
            ))
        })?;
        let redirect = match &body.redirect_uri {
            Some(uri) if client.redirect_uris.contains(uri) => uri.clone(),
            Some(uri) => {
                return Err(fail(Problem::new(
                    400,
                    "INVALID_REDIRECT_URI",
                    format!("`{uri}` is not registered"),
                )))
            }
            None => client.redirect_uris.first().cloned().ok_or_else(|| {
                fail(Problem::new(
                    400,
                    "INVALID_REDIRECT_URI",
                    "the client has no redirect URI",
                ))
            })?,
        };
        let scope = body
            .scope
            .clone()
            .unwrap_or_else(|| client.default_scopes.join(" "));
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        let code;
        match body.confirm {
            OauthAuthorizeRequestConfirm::No => pairs.push(("error", "access_denied")),
            OauthAuthorizeRequestConfirm::Yes => {
                let n = state.next();
                code = super::opaque("code_", n);
                let grant = CodeGrant {
                    client_id: body.client_id.clone(),
                    redirect_uri: body.redirect_uri.clone(),
                    scope,
                };
                state.codes.insert(code.clone(), grant);
                pairs.push(("code", &code));
            }
        }
        if let Some(s) = &body.state {
            pairs.push(("state", s));
        }
        Ok(OauthAuthorizePostSuccess::Found {
            location: Some(with_query(&redirect, &pairs)),
        })
    }

    async fn oauth_client_post(
        &self,
        request: OauthClientPostRequest,
    ) -> Result<OauthClientResponse, Failure<OauthClientPostError>> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthClientPostError::Default {
                status: p.status,
                body: p.client_status_body(),
            })
        };
        state.user(&request.credentials, true).map_err(fail)?;
        state.check_input(&request.body, None).map_err(fail)?;
        Ok(state.create_client(request.body))
    }

    async fn oauth_client_list_post(
        &self,
        request: OauthClientListPostRequest,
    ) -> Result<OauthClientList, Failure<OauthClientListPostError>> {
        let state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthClientListPostError::Default {
                status: p.status,
                body: p.client_status_body(),
            })
        };
        state.user(&request.credentials, false).map_err(fail)?;
        let query = request.body;
        let attribute = query
            .sort_attribute
            .clone()
            .unwrap_or_else(|| "client_name".to_string());
        let key: fn(&OauthClientResponse) -> &str = match attribute.as_str() {
            "client_name" => |c| &c.client_name,
            "client_id" => |c| &c.client_id,
            other => {
                return Err(fail(Problem::new(
                    400,
                    "INVALID_SORT_ATTRIBUTE",
                    format!("cannot sort on `{other}`"),
                )));
            }
        };
        let order = query
            .sort_order
            .unwrap_or(OauthClientListMetadataSortOrder::Ascending);
        let mut entities: Vec<OauthClientResponse> = state.clients.values().cloned().collect();
        entities.sort_by(|a, b| key(a).cmp(key(b)));
        if order == OauthClientListMetadataSortOrder::Descending {
            entities.reverse();
        }
        let offset = query.offset.unwrap_or(0);
        let length = query.length.unwrap_or(DEFAULT_PAGE_LENGTH);
        let skip = usize::try_from(offset).unwrap_or(0);
        let take = usize::try_from(length).unwrap_or(0);
        let entities = entities.into_iter().skip(skip).take(take).collect();
        let metadata = OauthClientListMetadata {
            kind: "oauth_client".to_string(),
            sort_attribute: Some(attribute),
            filter: query.filter,
            length: Some(length),
            sort_order: Some(order),
            offset: Some(offset),
        };
        Ok(OauthClientList::new(entities, metadata))
    }

    async fn oauth_client_client_id_get(
        &self,
        request: OauthClientClientIdGetRequest,
    ) -> Result<OauthClientResponse, Failure<OauthClientClientIdGetError>> {
        let state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthClientClientIdGetError::Default {
                status: p.status,
                body: p.client_status_body(),
            })
        };
        state.user(&request.credentials, false).map_err(fail)?;
        let found = state.clients.get(&request.client_id).cloned();
        found.ok_or_else(|| {
            let body = not_found(&request.client_id).client_status_body();
            OauthClientClientIdGetError::NotFound(body).into()
        })
    }

    async fn oauth_client_client_id_put(
        &self,
        request: OauthClientClientIdPutRequest,
    ) -> Result<OauthClientResponse, Failure<OauthClientClientIdPutError>> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthClientClientIdPutError::Default {
                status: p.status,
                body: p.client_status_body(),
            })
        };
        state.user(&request.credentials, true).map_err(fail)?;
        if !state.clients.contains_key(&request.client_id) {
            let body = not_found(&request.client_id).client_status_body();
            return Err(OauthClientClientIdPutError::NotFound(body).into());
        }
        state
            .check_input(&request.body, Some(&request.client_id))
            .map_err(fail)?;
        let client = state
            .clients
            .get_mut(&request.client_id)
            .expect("checked above");
        let input = request.body;
        client.client_name = input.client_name;
        client.redirect_uris = input.redirect_uris;
        client.client_description = input.client_description;
        client.default_scopes = input.default_scopes;
        Ok(client.clone())
    }

    async fn oauth_client_client_id_delete(
        &self,
        request: OauthClientClientIdDeleteRequest,
    ) -> Result<OauthClientResponse, Failure<OauthClientClientIdDeleteError>> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthClientClientIdDeleteError::Default {
                status: p.status,
                body: p.client_status_body(),
            })
        };
        state.user(&request.credentials, true).map_err(fail)?;
        let Some(client) = state.clients.remove(&request.client_id) else {
            let body = not_found(&request.client_id).client_status_body();
            return Err(OauthClientClientIdDeleteError::NotFound(body).into());
        };
        state.access.retain(|_, g| g.client_id != client.client_id);
        state.refresh.retain(|_, g| g.client_id != client.client_id);
        state.codes.retain(|_, g| g.client_id != client.client_id);
        Ok(client)
    }

    async fn oauth_generate_token_post(
        &self,
        request: OauthGenerateTokenPostRequest,
    ) -> Result<OauthGenerateTokenResponse, Failure<OauthGenerateTokenPostError>> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| {
            Failure::from(OauthGenerateTokenPostError::Default {
                status: p.status,
                body: p.status_body(),
            })
        };
        state.user(&request.credentials, true).map_err(fail)?;
        let body = request.body;
        let expires_in = body.expires_in.unwrap_or(TOKEN_LIFETIME);
        if expires_in <= 0 {
            return Err(fail(Problem::new(
                400,
                "INVALID_REQUEST",
                "`expires_in` must be positive",
            )));
        }
        let input = OauthClientInput::new(
            body.client_name,
            Vec::new(),
            body.client_description,
            body.scopes.clone(),
        );
        state.check_input(&input, None).map_err(fail)?;
        let client = state.create_client(input);
        let (access_token, refresh_token) = state.issue(&client.client_id, &body.scopes.join(" "));
        let token = OauthToken::new(
            access_token,
            "Bearer",
            expires_in,
            refresh_token,
            body.scopes,
        );
        Ok(OauthGenerateTokenResponse::new(
            client.client_secret,
            token,
            client.client_id,
        ))
    }

    async fn oauth_revoke_token_post(
        &self,
        request: OauthRevokeTokenPostRequest,
    ) -> Result<OauthStatus, Failure<OauthRevokeTokenPostError>> {
        let client = request.client.as_ref();
        let mut state = self.enter_oauth(request.credentials.as_ref(), client);
        let fail = |p: Problem| {
            Failure::from(OauthRevokeTokenPostError::Default {
                status: p.status,
                body: p.status_body(),
            })
        };
        let revoker = state.revoker(client).map_err(fail)?;
        let params = request.params;
        // RFC 7009 §2.1: the hint only says where to look first (an invalid one is ignored);
        // a client may revoke only the tokens issued to it.
        let grant = state
            .access
            .get(&params.token)
            .or_else(|| state.refresh.get(&params.token));
        if let (Some(client_id), Some(grant)) = (&revoker, grant) {
            if grant.client_id != *client_id {
                return Err(fail(Problem::new(
                    400,
                    "UNAUTHORIZED_CLIENT",
                    "the token was issued to another client",
                )));
            }
        }
        let found = state.access.remove(&params.token).is_some()
            || state.refresh.remove(&params.token).is_some();
        if !found && state.report_unknown_tokens {
            let problem = Problem::new(404, "ENTITY_NOT_FOUND", "token not found");
            return Err(OauthRevokeTokenPostError::NotFound(problem.status_body()).into());
        }
        Ok(OauthStatus {
            code: Some(200),
            state: Some("COMPLETE".to_string()),
            ..OauthStatus::new()
        })
    }

    async fn oauth_token_post(
        &self,
        request: OauthTokenPostRequest,
    ) -> Result<ProviderOauthToken, Failure<OauthTokenPostError>> {
        self.enter_oauth(request.credentials.as_ref(), request.client.as_ref())
            .token(request)
            .map_err(Failure::from)
    }
}
