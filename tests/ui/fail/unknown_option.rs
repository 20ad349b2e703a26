use oauth_api::oauth_api;

#[oauth_api("specs/polaris.yaml", clinet)]
mod typo {}

#[oauth_api("specs/polaris.yaml", client, client)]
mod twice {}

#[oauth_api("specs/polaris.yaml", server = true)]
mod not_an_option {}

fn main() {}
