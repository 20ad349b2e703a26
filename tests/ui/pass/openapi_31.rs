// An OpenAPI 3.1 spec: type arrays with "null", `const`, numeric `exclusiveMinimum`.
use oauth_api::oauth_api;

#[oauth_api("specs/openapi_31.yaml")]
mod api {}

fn main() {
    let token: api::Token200Response =
        serde_json::from_str(r#"{"access_token": "a", "token_type": "Bearer", "expires_in": null}"#).unwrap();
    // `token_type` of a token endpoint is read without regard to case (RFC 6749 §5.1).
    assert_eq!(token.token_type, api::Token200ResponseTokenType::Bearer);
    assert_eq!(token.expires_in, None);
    // `const` is a one-value enum, filled in by the constructor.
    let body = api::TokenBody::new();
    assert_eq!(body.grant_type.as_str(), "client_credentials");
    let _client = api::Client::new("https://idp.example").unwrap();
}
