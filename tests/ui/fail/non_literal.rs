use oauth_api::oauth_api;

const SPEC: &str = "specs/polaris.yaml";

#[oauth_api(SPEC)]
mod from_const {}

#[oauth_api(concat!("specs/", "polaris.yaml"))]
mod from_macro {}

#[oauth_api]
mod no_arguments {}

fn main() {
    let _ = SPEC;
}
