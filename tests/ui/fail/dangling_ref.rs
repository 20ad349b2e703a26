use oauth_api_macros::oauth_api;

#[oauth_api("specs/dangling_ref.yaml")]
mod api {}

fn main() {}
