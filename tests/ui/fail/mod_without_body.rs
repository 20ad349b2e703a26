use oauth_api_macros::oauth_api;

#[oauth_api("specs/polaris.yaml")]
mod polaris;

fn main() {}
