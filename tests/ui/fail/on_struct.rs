use oauth_api::oauth_api;

#[oauth_api("specs/polaris.yaml")]
pub struct Polaris;

fn main() {
    let _kept = Polaris;
}
