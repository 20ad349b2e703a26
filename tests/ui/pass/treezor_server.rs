// `server`: only the server stub; the module has no `client`.
use oauth_api::oauth_api;

#[oauth_api("specs/treezor.yaml", server)]
mod treezor {}

struct Auth;

impl treezor::server::Api for Auth {
    async fn put_auth(
        &self,
        _request: treezor::server::PutAuthRequest,
    ) -> Result<treezor::PutAuth200Response, oauth_api::server::Failure<treezor::PutAuthError>> {
        Ok(treezor::PutAuth200Response::ClientCredentials(
            treezor::ClientCredentialsTokenResponse {
                token_type: "Bearer".into(),
                expires_in: 3600,
                access_token: Some("token".into()),
            },
        ))
    }
}

fn main() {
    let _router: oauth_api::server::axum::Router = treezor::server::router(Auth);
}
