use oauth_api_macros::oauth_api;

#[oauth_api("specs/openapi_31.yaml")]
mod api {}

fn main() {}
