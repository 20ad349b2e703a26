use oauth_api::oauth_api;

#[oauth_api("specs/dangling_ref.yaml")]
mod api {}

fn main() {}
