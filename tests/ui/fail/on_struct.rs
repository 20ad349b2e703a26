use oauth_api_macros::oauth_api;

#[oauth_api("specs/polaris.yaml")]
pub struct Polaris;

fn main() {
    let _kept = Polaris;
}
