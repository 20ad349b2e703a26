//! Runtime behaviour of generated models: enums, unions, defaults, limits, form encoding.

use generated::{confluent, nutanix, polaris, treezor};
use serde_json::json;

#[test]
fn open_enums_keep_unknown_values_and_closed_ones_refuse_them() {
    let known: confluent::StsV1TokenExchangeReplyTokenType = serde_json::from_value(json!("Bearer")).expect("known");
    assert_eq!(known, confluent::StsV1TokenExchangeReplyTokenType::Bearer);
    let unknown: confluent::StsV1TokenExchangeReplyTokenType = serde_json::from_value(json!("DPoP")).expect("open");
    assert_eq!(unknown, confluent::StsV1TokenExchangeReplyTokenType::Other("DPoP".into()));
    assert_eq!(serde_json::to_value(&unknown).expect("serializes"), json!("DPoP"));

    let closed = serde_json::from_value::<polaris::TokenType>(json!("urn:ietf:params:oauth:token-type:nope"));
    assert!(closed.is_err());
    let jwt: polaris::TokenType = "urn:ietf:params:oauth:token-type:jwt".parse().expect("parses");
    assert_eq!(jwt, polaris::TokenType::Jwt);
    assert_eq!(jwt.to_string(), "urn:ietf:params:oauth:token-type:jwt");
    assert!("jwt".parse::<polaris::TokenType>().is_err());

    // OAuth error codes are open (RFC 6749 §5.2 extension codes are kept).
    let code: polaris::OAuthErrorError = serde_json::from_value(json!("slow_down")).expect("open");
    assert_eq!(code, polaris::OAuthErrorError::Other("slow_down".into()));
    assert_eq!(polaris::OAuthErrorError::from("invalid_grant"), polaris::OAuthErrorError::InvalidGrant);
}

#[test]
fn token_types_ignore_case_and_are_written_as_the_spec_spells_them() {
    // RFC 6749 §5.1 / §7.1: `token_type` is case-insensitive.
    use polaris::OAuthTokenResponseTokenType as TokenType;
    assert_eq!(TokenType::from("Bearer"), TokenType::Bearer);
    assert_eq!(TokenType::from("BEARER"), TokenType::Bearer);
    assert_eq!(TokenType::from("n_a"), TokenType::NA);
    assert_eq!(TokenType::from("DPoP"), TokenType::Other("DPoP".into()));
    assert_eq!(serde_json::to_value(TokenType::Bearer).expect("serializes"), json!("bearer"));
    let response: polaris::OAuthTokenResponse =
        serde_json::from_value(json!({"access_token": "t", "token_type": "Bearer"})).expect("decodes");
    assert_eq!(response.token_type, TokenType::Bearer);
}

#[test]
fn constructors_take_the_required_fields_and_fill_single_values() {
    let request = polaris::OAuthClientCredentialsRequest::new();
    assert_eq!(request.grant_type, polaris::OAuthClientCredentialsRequestGrantType::ClientCredentials);
    assert_eq!((request.client_id, request.client_secret, request.scope), (None, None, None));
    let exchange = polaris::OAuthTokenExchangeRequest::new("subject", polaris::TokenType::Jwt);
    assert_eq!(exchange.grant_type, polaris::OAuthTokenExchangeRequestGrantType::TokenExchange);
    assert_eq!((exchange.subject_token.as_str(), exchange.subject_token_type), ("subject", polaris::TokenType::Jwt));
    let union: polaris::OAuthTokenRequest = exchange.into();
    assert!(matches!(union, polaris::OAuthTokenRequest::TokenExchange(_)));
    let authorize = nutanix::OauthAuthorizeRequest::new("app", nutanix::OauthAuthorizeRequestConfirm::Yes);
    assert_eq!(authorize.response_type, nutanix::OauthAuthorizeRequestResponseType::Code);
    // Defaults of the spec apply.
    assert_eq!(treezor::PasswordGrantRequest::new().grant_type, "password");
    assert_eq!(nutanix::OauthStatus::new().kind, "oauth");
}

#[test]
fn unions_pick_the_alternative_that_knows_the_most_fields() {
    let client_credentials: polaris::OAuthTokenRequest = serde_json::from_value(json!({
        "grant_type": "client_credentials", "client_id": "id", "client_secret": "s"
    }))
    .expect("decodes");
    assert!(matches!(client_credentials, polaris::OAuthTokenRequest::ClientCredentials(_)));
    let exchange: polaris::OAuthTokenRequest = serde_json::from_value(json!({
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "subject_token": "t", "subject_token_type": "urn:ietf:params:oauth:token-type:access_token"
    }))
    .expect("decodes");
    assert!(matches!(exchange, polaris::OAuthTokenRequest::TokenExchange(_)));
    assert!(serde_json::from_value::<polaris::OAuthTokenRequest>(json!({"grant_type": "password"})).is_err());

    // Treezor's variants overlap and require nothing: the one knowing `username` wins.
    let password: treezor::PutAuthBody =
        serde_json::from_value(json!({"grant_type": "password", "username": "u", "password": "p"})).expect("decodes");
    assert!(matches!(password, treezor::PutAuthBody::Password(_)), "{password:?}");
    let refresh: treezor::PutAuthBody =
        serde_json::from_value(json!({"grant_type": "refresh_token", "refresh_token": "r"})).expect("decodes");
    assert!(matches!(refresh, treezor::PutAuthBody::RefreshToken(_)), "{refresh:?}");
    let plain: treezor::PutAuthBody = serde_json::from_value(json!({"client_id": "c"})).expect("decodes");
    assert!(matches!(plain, treezor::PutAuthBody::ClientCredentials(_)), "{plain:?}");

    // With a `grant_type`, the branch is the one that has it (an implicit discriminator),
    // even where another branch knows more of the fields.
    let refresh: treezor::PutAuthBody =
        serde_json::from_value(json!({"grant_type": "refresh_token", "username": "u", "password": "p"})).expect("decodes");
    assert!(matches!(refresh, treezor::PutAuthBody::RefreshToken(_)), "{refresh:?}");
    let unknown = serde_json::from_value::<treezor::PutAuthBody>(json!({"grant_type": "authorization_code"}));
    assert!(unknown.is_err());
}

#[test]
fn defaults_apply_when_fields_are_absent() {
    let reply: treezor::ClientCredentialsTokenResponse = serde_json::from_value(json!({"access_token": "a"})).expect("decodes");
    assert_eq!((reply.token_type.as_str(), reply.expires_in), ("Bearer", 3600));
    let status: nutanix::OauthStatus = serde_json::from_value(json!({})).expect("nothing required");
    assert_eq!(status.api_version, "3.1.0");
    // An optional field that is not nullable refuses an explicit `null` (a server answers
    // 400); absent is fine.
    assert!(serde_json::from_value::<nutanix::OauthClientListMetadata>(json!({"length": null})).is_err());
    assert!(serde_json::from_value::<nutanix::OauthClientListMetadata>(json!({})).is_ok());
    assert_eq!(nutanix::OauthStatus::default().kind, "oauth");
}

#[test]
fn limits_are_checked_by_validate() {
    use oauth_api::Validate;
    let mut input = nutanix::OauthClientInput::new("x".repeat(64), vec![], "", vec![]);
    assert_eq!(input.validate(""), Ok(()));
    input.client_name.push('y');
    assert_eq!(input.validate(""), Err("`client_name` must be at most 64 characters long".to_string()));
    let list = nutanix::OauthClientListMetadata { length: Some(0), ..nutanix::OauthClientListMetadata::new() };
    assert_eq!(list.validate(""), Err("`length` must be at least 1".to_string()));
}

#[test]
fn form_bodies_encode_like_the_wire_format() {
    let body = polaris::OAuthTokenRequest::ClientCredentials(polaris::OAuthClientCredentialsRequest {
        scope: Some("PRINCIPAL_ROLE:ALL".into()),
        client_id: Some("root".into()),
        client_secret: Some("s3cr3t".into()),
        ..polaris::OAuthClientCredentialsRequest::new()
    });
    assert_eq!(
        serde_urlencoded::to_string(&body).expect("encodes"),
        "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL&client_id=root&client_secret=s3cr3t"
    );
    // Absent optional fields are left out (HTTP Basic carries the client's credentials).
    let bare = polaris::OAuthTokenRequest::from(polaris::OAuthClientCredentialsRequest::new());
    assert_eq!(serde_urlencoded::to_string(&bare).expect("encodes"), "grant_type=client_credentials");
}

#[test]
fn date_times_are_typed() {
    let meta: confluent::ObjectMeta = serde_json::from_value(json!({
        "self": "https://api.confluent.cloud/x", "created_at": "2024-05-01T10:00:00Z"
    }))
    .expect("decodes");
    assert_eq!(meta.created_at.map(|t| t.timestamp()), Some(1_714_557_600));
    assert!(serde_json::from_value::<confluent::ObjectMeta>(json!({"self": "x", "created_at": "yesterday"})).is_err());
}
