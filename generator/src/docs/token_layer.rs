//! The "Token layer" section of an API's README: the OAuth2 flows the spec declares, the
//! client methods that turn them into self-renewing token sources, and the API's OAuth
//! endpoints.

use serde::Serialize;

use super::example::base_url;
use crate::ir::oauth::{client_flows, renews_by_exchange};
use crate::ir::{Api, FlowKind, OAuthRole};

#[derive(Serialize)]
pub struct TokenLayer {
    pub flows: Vec<FlowRow>,
    /// A doctest: a client whose Bearer tokens come from the first flow.
    pub example: Option<String>,
    /// One line per OAuth endpoint.
    pub endpoints: Vec<String>,
    /// Some operation asks for a Bearer token (the client has `with_token_source`).
    pub bearer: bool,
}

#[derive(Serialize)]
pub struct FlowRow {
    pub scheme: String,
    pub flow: String,
    pub method: String,
    pub urls: String,
    pub scopes: String,
    pub renewal: String,
}

pub fn token_layer(api: &Api, module: &str) -> TokenLayer {
    let flows: Vec<FlowRow> = client_flows(api)
        .into_iter()
        .map(|(scheme, f)| {
            let (method, renewal) = match f.kind {
                FlowKind::ClientCredentials if renews_by_exchange(api, scheme, f.kind) => (
                    "`client_credentials_flow(client_id, client_secret)`",
                    "token exchange of the valid token (RFC 8693), else the client credentials again",
                ),
                FlowKind::ClientCredentials => ("`client_credentials_flow(client_id, client_secret)`", "the client credentials again"),
                FlowKind::Password => ("`password_flow(client, username, password)`", "the refresh token, else the password again"),
                _ => ("`authorization_code_flow(client, redirect_uri)`", "the refresh token; a revoked one ends in `invalid_grant`"),
            };
            let mut urls = Vec::new();
            if let Some(u) = &f.authorization_url {
                urls.push(format!("authorization `{u}`"));
            }
            if let Some(u) = &f.token_url {
                urls.push(format!("token `{u}`"));
            }
            if let Some(u) = &f.refresh_url {
                urls.push(format!("refresh `{u}`"));
            }
            FlowRow {
                scheme: format!("`{scheme}`"),
                flow: format!("`{}`", f.kind.spec_name()),
                method: method.to_string(),
                urls: urls.join(", "),
                scopes: f.scopes.iter().map(|(s, _)| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                renewal: renewal.to_string(),
            }
        })
        .collect();
    let example = client_flows(api).into_iter().find(|(_, f)| matches!(f.kind, FlowKind::ClientCredentials | FlowKind::Password)).map(|(_, f)| {
        let flow = if f.kind == FlowKind::ClientCredentials {
            "client.client_credentials_flow(\"client_id\", \"client_secret\")?".to_string()
        } else {
            "client.password_flow(ClientAuth::basic(\"client_id\", \"client_secret\"), \"user\", \"password\")?".to_string()
        };
        let scope = f.scopes.first().map(|(s, _)| format!(".scope({s:?})")).unwrap_or_default();
        [
            "# fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
            format!("use generated::{module}::client::Client;"),
            if f.kind == FlowKind::Password { "use oauth_api::oauth::ClientAuth;".to_string() } else { String::new() },
            String::new(),
            format!("let client = Client::new({:?})?;", base_url(api)),
            format!("let tokens = {flow}{scope}.build();"),
            "let client = client.with_token_source(tokens);".to_string(),
            "# Ok(())".to_string(),
            "# }".to_string(),
        ]
        .join("\n")
        .replace("\n\n\n", "\n\n")
    });
    let endpoints = api
        .operations
        .iter()
        .filter_map(|op| {
            let o = op.oauth.as_ref()?;
            let role = match o.role {
                OAuthRole::Token => "token endpoint",
                OAuthRole::Revocation => "revocation endpoint",
                OAuthRole::Introspection => "introspection endpoint",
            };
            let grants = if o.grants.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = o.grants.iter().map(|g| format!("`{}`", g.value)).collect();
                format!(", grants {}{}", list.join(", "), if o.open_grants { " and others" } else { "" })
            };
            Some(format!("[`{}`](#{}): {role} ({}){grants}", op.name, op.name.trim_start_matches("r#"), o.role.rfc()))
        })
        .collect();
    let bearer = api.operations.iter().flat_map(|op| op.security.iter().flatten()).any(|u| api.security_schemes.get(&u.scheme).is_some_and(|s| s.kind.is_bearer()));
    TokenLayer { flows, example, endpoints, bearer }
}
