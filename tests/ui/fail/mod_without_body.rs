use oauth_api::oauth_api;

#[oauth_api("specs/polaris.yaml")]
mod polaris;

fn main() {}
