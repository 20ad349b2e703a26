use oauth_api::oauth_api;

#[oauth_api("specs/invalid_yaml.yaml")]
mod api {}

fn main() {}
