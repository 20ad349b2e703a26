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
}

#[test]
fn defaults_apply_when_fields_are_absent() {
    let reply: treezor::ClientCredentialsTokenResponse = serde_json::from_value(json!({"access_token": "a"})).expect("decodes");
    assert_eq!((reply.token_type.as_str(), reply.expires_in), ("Bearer", 3600));
    let status: nutanix::OauthStatus = serde_json::from_value(json!({})).expect("nothing required");
    assert_eq!(status.api_version, "3.1.0");
    assert_eq!(nutanix::OauthStatus::default().kind, "oauth");
}

#[test]
fn limits_are_checked_by_validate() {
    use generated::nutanix::runtime::Validate;
    let mut input = nutanix::OauthClientInput {
        client_name: "x".repeat(64),
        redirect_uris: vec![],
        client_description: String::new(),
        default_scopes: vec![],
    };
    assert_eq!(input.validate(""), Ok(()));
    input.client_name.push('y');
    assert_eq!(input.validate(""), Err("`client_name` must be at most 64 characters long".to_string()));
    let list = nutanix::OauthClientListMetadata { length: Some(0), ..Default::default() };
    assert_eq!(list.validate(""), Err("`length` must be at least 1".to_string()));
}

#[test]
fn form_bodies_encode_like_the_wire_format() {
    let body = polaris::OAuthTokenRequest::ClientCredentials(polaris::OAuthClientCredentialsRequest {
        grant_type: polaris::OAuthClientCredentialsRequestGrantType::ClientCredentials,
        scope: Some("PRINCIPAL_ROLE:ALL".into()),
        client_id: "root".into(),
        client_secret: "s3cr3t".into(),
    });
    assert_eq!(
        serde_urlencoded::to_string(&body).expect("encodes"),
        "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL&client_id=root&client_secret=s3cr3t"
    );
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
