// The module's docs, attributes, visibility and items are kept; the generated items follow.
use oauth_api_macros::oauth_api;

/// Apache Polaris, with a helper of our own.
#[allow(dead_code)]
#[oauth_api("specs/polaris.yaml", client, server)]
pub(crate) mod polaris {
    #![allow(clippy::all)]

    /// Where our catalog runs.
    pub const BASE_URL: &str = "http://127.0.0.1:8181/api/catalog";

    /// A client for [`BASE_URL`], using the generated `Client`.
    pub fn client() -> Client {
        Client::new(BASE_URL).expect("a valid URL")
    }

    /// A user item uses the generated models by their plain names.
    pub fn client_credentials(id: &str, secret: &str) -> OAuthTokenRequest {
        OAuthTokenRequest::ClientCredentials(OAuthClientCredentialsRequest {
            grant_type: OAuthClientCredentialsRequestGrantType::ClientCredentials,
            scope: None,
            client_id: id.into(),
            client_secret: secret.into(),
        })
    }
}

fn main() {
    assert_eq!(polaris::client().base_url(), polaris::BASE_URL);
    let request = polaris::client_credentials("id", "secret");
    let form = serde_urlencoded::to_string(&request).unwrap();
    assert!(form.contains("grant_type=client_credentials"), "{form}");
}
