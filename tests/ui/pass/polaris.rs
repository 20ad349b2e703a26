// No option: models, client and server.
use oauth_api::oauth_api;

#[oauth_api("specs/polaris.yaml")]
pub mod polaris {}

struct Tokens;

impl polaris::server::Api for Tokens {
    async fn get_token(
        &self,
        _request: polaris::server::GetTokenRequest,
    ) -> polaris::server::Outcome<polaris::OAuthTokenResponse, polaris::GetTokenError> {
        Ok(polaris::OAuthTokenResponse::new("token", polaris::OAuthTokenResponseTokenType::Bearer))
    }
}

fn main() {
    let client = polaris::Client::new("http://127.0.0.1:8181/api/catalog").unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:8181/api/catalog");
    let _router: oauth_api::server::axum::Router = polaris::server::router(Tokens);
}
