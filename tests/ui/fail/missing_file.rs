use oauth_api::oauth_api;

#[oauth_api("specs/does_not_exist.yaml")]
mod api {}

fn main() {}
