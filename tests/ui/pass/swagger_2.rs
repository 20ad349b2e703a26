// A Swagger 2.0 spec: formData parameters become a form body, `host` + `basePath` a server,
// the `application` flow a client credentials flow.
use oauth_api::oauth_api;

#[oauth_api("specs/swagger_2.yaml", client)]
mod api {}

fn main() {
    assert_eq!(api::client::SERVERS, ["https://idp.example/oauth2"]);
    let client = api::Client::new(api::client::SERVERS[0]).unwrap();
    let body = api::TokenBody::new();
    let _request = client.token(&body);
}
