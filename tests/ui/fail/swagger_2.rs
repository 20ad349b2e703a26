use oauth_api_macros::oauth_api;

#[oauth_api("specs/swagger_2.yaml")]
mod api {}

fn main() {}
