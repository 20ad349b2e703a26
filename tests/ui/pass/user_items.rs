// The module's docs, attributes, visibility and items are kept; the generated items follow.
use oauth_api::oauth_api;

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
            client_id: Some(id.into()),
            client_secret: Some(secret.into()),
            ..OAuthClientCredentialsRequest::new()
        })
    }
}

fn main() {
    assert_eq!(polaris::client().base_url(), polaris::BASE_URL);
    let request = polaris::client_credentials("id", "secret");
    let form = serde_json::to_string(&request).unwrap();
    assert!(form.contains(r#""grant_type":"client_credentials""#), "{form}");
}
