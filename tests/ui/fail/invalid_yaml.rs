use oauth_api_macros::oauth_api;

#[oauth_api("specs/invalid_yaml.yaml")]
mod api {}

fn main() {}
