//! The OAuth knowledge of the IR (`ir::oauth`) on the four real specs: which operations are
//! token, revocation and introspection endpoints, with their grants and flows, and the types
//! the RFCs are wider than the specs about.

use generator::ir::{self, Api, FlowKind, OAuthRole, SecurityKind, TokenLocation, TypeKind, TypeRef};

fn api(name: &str) -> Api {
    let path = format!("{}/../specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the spec");
    let doc = generator::load::load(&path, &text).unwrap_or_else(|d| panic!("{d}"));
    ir::lower(&doc).unwrap_or_else(|d| panic!("{d}"))
}

fn op<'a>(api: &'a Api, name: &str) -> &'a ir::Operation {
    api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("operation {name}"))
}

fn field<'a>(api: &'a Api, ty: &str, wire: &str) -> &'a ir::Field {
    match &api.types[ty].kind {
        TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("{ty}.{wire}")),
        other => panic!("{ty} is not a struct: {other:?}"),
    }
}

fn grants(o: &ir::OAuthEndpoint) -> Vec<(&str, Option<usize>, bool)> {
    o.grants.iter().map(|g| (g.value.as_str(), g.variant, g.requires_client)).collect()
}

#[test]
fn polaris_token_endpoint_is_its_flows_token_url() {
    let api = api("polaris");
    let get_token = op(&api, "get_token");
    let o = get_token.oauth.as_ref().expect("an OAuth endpoint");
    assert_eq!(o.role, OAuthRole::Token);
    assert_eq!(o.flows, [("OAuth2".to_string(), FlowKind::ClientCredentials)], "the relative tokenUrl names it");
    assert_eq!(
        grants(o),
        [("client_credentials", Some(0), true), ("urn:ietf:params:oauth:grant-type:token-exchange", Some(1), false)]
    );
    assert!(!o.open_grants);
    // Security stays OR-of-AND with scopes.
    assert_eq!(get_token.security.len(), 1);
    assert_eq!(get_token.security[0][0].scheme, "BearerAuth");
    let SecurityKind::OAuth2 { flows } = &api.security_schemes["OAuth2"].kind else { panic!("OAuth2 flows") };
    assert_eq!(flows[0].token_url.as_deref(), Some("v1/oauth/tokens"));
    assert_eq!(flows[0].scopes, [("catalog".to_string(), "Allows interacting with the Config and Catalog APIs".to_string())]);
    // Basic satisfies the client credentials: optional in the body.
    assert!(!field(&api, "OAuthClientCredentialsRequest", "client_id").required);
    assert!(!field(&api, "OAuthClientCredentialsRequest", "client_secret").required);
    // token_type is case-insensitive and open; error codes open.
    assert!(matches!(api.types["OAuthTokenResponseTokenType"].kind, TypeKind::Enum { open: true, case_insensitive: true, .. }));
    assert!(matches!(api.types["OAuthErrorError"].kind, TypeKind::Enum { open: true, case_insensitive: false, .. }));
    // The anyOf decodes by grant_type (one value per alternative).
    let TypeKind::Union { discriminator: Some(d), .. } = &api.types["OAuthTokenRequest"].kind else { panic!("a tag") };
    assert_eq!(d.property, "grant_type");
    assert!(!d.required);
    // Closed enums elsewhere stay closed (request validation is not loosened).
    assert!(matches!(api.types["TokenType"].kind, TypeKind::Enum { open: false, .. }));
}

#[test]
fn nutanix_token_and_revocation_endpoints() {
    let api = api("nutanix");
    let token = op(&api, "oauth_token_post").oauth.as_ref().expect("token endpoint");
    assert_eq!(token.role, OAuthRole::Token);
    assert_eq!(grants(token), [("authorization_code", None, true), ("refresh_token", None, true)]);
    assert!(token.flows.is_empty(), "the spec declares no OAuth2 flow");
    let revoke = op(&api, "oauth_revoke_token_post").oauth.as_ref().expect("revocation endpoint");
    assert_eq!(revoke.role, OAuthRole::Revocation);
    assert_eq!(revoke.token_in, Some(TokenLocation::Query), "the spec is narrower than RFC 7009 §2.1");
    for name in ["oauth_authorize_post", "oauth_client_post", "oauth_generate_token_post", "oauth_idp_callback_get"] {
        assert!(op(&api, name).oauth.is_none(), "{name} is not a token endpoint");
    }
}

#[test]
fn treezor_multipart_token_endpoint_takes_forms_and_decodes_by_grant_type() {
    let api = api("treezor");
    let put_auth = op(&api, "put_auth");
    let o = put_auth.oauth.as_ref().expect("token endpoint");
    assert_eq!(
        grants(o),
        [("client_credentials", Some(0), false), ("password", Some(1), false), ("refresh_token", Some(2), false)],
        "the grants come from each alternative's default"
    );
    let body = put_auth.body.as_ref().expect("a body");
    assert!(body.media_types.iter().any(|m| m == "application/x-www-form-urlencoded"), "RFC 6749 §3.2");
    let TypeRef::Named(name) = &body.ty else { panic!("a named body") };
    let TypeKind::Union { discriminator: Some(d), .. } = &api.types[name].kind else { panic!("a tag") };
    assert_eq!(d.mapping, [("client_credentials".to_string(), 0), ("password".to_string(), 1), ("refresh_token".to_string(), 2)]);
}

#[test]
fn confluent_token_exchange_takes_any_grant() {
    let api = api("confluent");
    let o = op(&api, "exchange_sts_v1_oauth_token").oauth.as_ref().expect("token endpoint");
    assert_eq!(o.role, OAuthRole::Token);
    assert!(o.open_grants, "grant_type is an extensible enum");
}
