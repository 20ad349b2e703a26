// No option: models, client and server.
use oauth_api_macros::oauth_api;

#[oauth_api("specs/polaris.yaml")]
pub mod polaris {}

struct Tokens;

impl polaris::server::Api for Tokens {
    async fn get_token(
        &self,
        _request: polaris::server::GetTokenRequest,
    ) -> Result<polaris::OAuthTokenResponse, polaris::GetTokenError> {
        Ok(polaris::OAuthTokenResponse {
            access_token: "token".into(),
            token_type: polaris::OAuthTokenResponseTokenType::Bearer,
            expires_in: Some(3600),
            issued_token_type: None,
            refresh_token: None,
            scope: None,
        })
    }
}

fn main() {
    let client = polaris::Client::new("http://127.0.0.1:8181/api/catalog").unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:8181/api/catalog");
    let _router: axum::Router = polaris::server::router(Tokens);
}
