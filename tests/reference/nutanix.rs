//! Reference implementation of the Nutanix v3 OAuth API (Prism Central), 12 operations.
//!
//! How it implements [`server::Api`]:
//!
//! - **Authentication**: every operation takes HTTP Basic (the router answers `401` with
//!   `WWW-Authenticate` when it is missing). The implementation checks the user: unknown
//!   user or wrong password → `401 AUTHENTICATION_REQUIRED` (through the operation's
//!   `default` response). Users have a [`Role`]: a [`Role::Viewer`] may read (get, list,
//!   revoke its tokens, authorize) but gets `403 ACCESS_DENIED` on anything that creates,
//!   changes or deletes clients or mints tokens. The three redirect-only operations have
//!   no error response: a failed login redirects to [`LOGIN_ERROR`] instead.
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
//! - **Token endpoint** (RFC 6749 §4.1.3, §6): Basic is a Prism user or the OAuth client
//!   itself (§2.3.1); the body's `client_id` / `client_secret` must match a client
//!   (`401 INVALID_CLIENT`). Codes are single-use and bound to client and redirect URI;
//!   refresh tokens rotate. Bad grants → `400 INVALID_GRANT`.
//! - **generate_token**: creates a client and a token pair for it in one go.
//! - **Revocation** (RFC 7009): revoking removes the token; an unknown token gets `200`
//!   too (§2.2). The spec also declares `404 Token not found`: with
//!   [`Nutanix::report_unknown_tokens`] the implementation answers it for unknown tokens.
//!   A `token_type_hint` other than `access_token` / `refresh_token` → `400
//!   UNSUPPORTED_TOKEN_TYPE` (§2.2.1).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use generated::nutanix::server::{self, Credentials};
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
        let message = MessageResource {
            message: self.message.clone(),
            reason: self.reason.to_string(),
            details: None,
        };
        Some(vec![message])
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

    /// The credentials of the last request that reached the implementation.
    pub fn last_credentials(&self) -> Option<Credentials> {
        self.state().last_credentials.clone()
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
        let mut state = self.state();
        state.calls += 1;
        state.last_credentials = Some(credentials.clone());
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
                Some((expected, role)) if expected == password => Some(*role),
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

    fn client_of(&self, credentials: &Credentials, id: &str, secret: &str) -> Result<(), Problem> {
        // Basic is either a Prism user (any role may not mint: viewers get 403) or the
        // OAuth client itself (RFC 6749 §2.3.1), which must then be the body's client.
        let Credentials::Basic { username, password } = credentials else {
            return Err(Problem::new(
                401,
                "INVALID_CLIENT",
                "HTTP Basic credentials are required",
            ));
        };
        if self.users.contains_key(username) {
            self.user(credentials, true)?;
        } else {
            let same = username == id
                && self
                    .clients
                    .get(id)
                    .is_some_and(|c| c.client_secret == *password);
            if !same {
                return Err(Problem::new(
                    401,
                    "INVALID_CLIENT",
                    "client authentication failed",
                ));
            }
        }
        match self.clients.get(id) {
            Some(client) if client.client_secret == secret => Ok(()),
            _ => Err(Problem::new(
                401,
                "INVALID_CLIENT",
                "client authentication failed",
            )),
        }
    }

    fn token(
        &mut self,
        request: OauthTokenPostRequest,
    ) -> Result<ProviderOauthToken, OauthTokenPostError> {
        let body = request.body;
        self.client_of(&request.credentials, &body.client_id, &body.client_secret)
            .map_err(|p| match p.status {
                401 => OauthTokenPostError::Unauthorized(p.status_body()),
                status => OauthTokenPostError::Default {
                    status,
                    body: p.status_body(),
                },
            })?;
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
                if grant.client_id != body.client_id
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
                    Some(grant) if grant.client_id == body.client_id => {}
                    _ => return Err(bad("INVALID_GRANT", "unknown refresh token")),
                }
                let grant = self.refresh.remove(&token).expect("checked above");
                grant.scope
            }
        };
        let (access_token, refresh_token) = self.issue(&body.client_id, &scope);
        Ok(ProviderOauthToken {
            access_token,
            token_type: "Bearer".to_string(),
            expires_in: TOKEN_LIFETIME,
            refresh_token,
            scope,
        })
    }
}

impl server::Api for Nutanix {
    async fn oauth_adfs_login_get(
        &self,
        request: OauthAdfsLoginGetRequest,
    ) -> Result<OauthAdfsLoginGetSuccess, std::convert::Infallible> {
        let location = self
            .enter(&request.credentials)
            .login(&request.credentials, ADFS_AUTHORIZE);
        Ok(OauthAdfsLoginGetSuccess::Found { location })
    }

    async fn oauth_idp_login_get(
        &self,
        request: OauthIdpLoginGetRequest,
    ) -> Result<OauthIdpLoginGetSuccess, std::convert::Infallible> {
        let location = self
            .enter(&request.credentials)
            .login(&request.credentials, IDP_AUTHORIZE);
        Ok(OauthIdpLoginGetSuccess::Found { location })
    }

    async fn oauth_idp_callback_get(
        &self,
        request: OauthIdpCallbackGetRequest,
    ) -> Result<OauthIdpCallbackGetSuccess, std::convert::Infallible> {
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
    ) -> Result<OauthAuthorizePostSuccess, OauthAuthorizePostError> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthAuthorizePostError::Default {
            status: p.status,
            body: p.status_body(),
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
    ) -> Result<OauthClientResponse, OauthClientPostError> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthClientPostError::Default {
            status: p.status,
            body: p.client_status_body(),
        };
        state.user(&request.credentials, true).map_err(fail)?;
        state.check_input(&request.body, None).map_err(fail)?;
        Ok(state.create_client(request.body))
    }

    async fn oauth_client_list_post(
        &self,
        request: OauthClientListPostRequest,
    ) -> Result<OauthClientList, OauthClientListPostError> {
        let state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthClientListPostError::Default {
            status: p.status,
            body: p.client_status_body(),
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
        Ok(OauthClientList { entities, metadata })
    }

    async fn oauth_client_client_id_get(
        &self,
        request: OauthClientClientIdGetRequest,
    ) -> Result<OauthClientResponse, OauthClientClientIdGetError> {
        let state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthClientClientIdGetError::Default {
            status: p.status,
            body: p.client_status_body(),
        };
        state.user(&request.credentials, false).map_err(fail)?;
        let found = state.clients.get(&request.client_id).cloned();
        found.ok_or_else(|| {
            OauthClientClientIdGetError::NotFound(
                not_found(&request.client_id).client_status_body(),
            )
        })
    }

    async fn oauth_client_client_id_put(
        &self,
        request: OauthClientClientIdPutRequest,
    ) -> Result<OauthClientResponse, OauthClientClientIdPutError> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthClientClientIdPutError::Default {
            status: p.status,
            body: p.client_status_body(),
        };
        state.user(&request.credentials, true).map_err(fail)?;
        if !state.clients.contains_key(&request.client_id) {
            return Err(OauthClientClientIdPutError::NotFound(
                not_found(&request.client_id).client_status_body(),
            ));
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
    ) -> Result<OauthClientResponse, OauthClientClientIdDeleteError> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthClientClientIdDeleteError::Default {
            status: p.status,
            body: p.client_status_body(),
        };
        state.user(&request.credentials, true).map_err(fail)?;
        let Some(client) = state.clients.remove(&request.client_id) else {
            return Err(OauthClientClientIdDeleteError::NotFound(
                not_found(&request.client_id).client_status_body(),
            ));
        };
        state.access.retain(|_, g| g.client_id != client.client_id);
        state.refresh.retain(|_, g| g.client_id != client.client_id);
        state.codes.retain(|_, g| g.client_id != client.client_id);
        Ok(client)
    }

    async fn oauth_generate_token_post(
        &self,
        request: OauthGenerateTokenPostRequest,
    ) -> Result<OauthGenerateTokenResponse, OauthGenerateTokenPostError> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthGenerateTokenPostError::Default {
            status: p.status,
            body: p.status_body(),
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
        let input = OauthClientInput {
            client_name: body.client_name,
            redirect_uris: Vec::new(),
            client_description: body.client_description,
            default_scopes: body.scopes.clone(),
        };
        state.check_input(&input, None).map_err(fail)?;
        let client = state.create_client(input);
        let (access_token, refresh_token) = state.issue(&client.client_id, &body.scopes.join(" "));
        Ok(OauthGenerateTokenResponse {
            client_secret: client.client_secret,
            oauth_token: OauthToken {
                access_token,
                token_type: "Bearer".to_string(),
                expires_in,
                refresh_token,
                scopes: body.scopes,
            },
            client_id: client.client_id,
        })
    }

    async fn oauth_revoke_token_post(
        &self,
        request: OauthRevokeTokenPostRequest,
    ) -> Result<OauthStatus, OauthRevokeTokenPostError> {
        let mut state = self.enter(&request.credentials);
        let fail = |p: Problem| OauthRevokeTokenPostError::Default {
            status: p.status,
            body: p.status_body(),
        };
        state.user(&request.credentials, false).map_err(fail)?;
        let params = request.params;
        let hint = params.token_type_hint.as_deref().unwrap_or("access_token");
        if hint != "access_token" && hint != "refresh_token" {
            return Err(fail(Problem::new(
                400,
                "UNSUPPORTED_TOKEN_TYPE",
                format!("unknown token type `{hint}`"),
            )));
        }
        // RFC 7009 §2.1: the hint only says where to look first.
        let found = state.access.remove(&params.token).is_some()
            || state.refresh.remove(&params.token).is_some();
        if !found && state.report_unknown_tokens {
            let problem = Problem::new(404, "ENTITY_NOT_FOUND", "token not found");
            return Err(OauthRevokeTokenPostError::NotFound(problem.status_body()));
        }
        Ok(OauthStatus {
            code: Some(200),
            state: Some("COMPLETE".to_string()),
            ..OauthStatus::default()
        })
    }

    async fn oauth_token_post(
        &self,
        request: OauthTokenPostRequest,
    ) -> Result<ProviderOauthToken, OauthTokenPostError> {
        self.enter(&request.credentials).token(request)
    }
}
