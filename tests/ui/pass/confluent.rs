// No option, on a spec with date-time fields (chrono).
use oauth_api::oauth_api;

#[oauth_api("specs/confluent.yaml")]
mod confluent {}

fn main() {
    let meta: confluent::ObjectMeta =
        serde_json::from_str(r#"{"self": "https://api.confluent.cloud/sts/v1", "created_at": "2024-01-02T03:04:05Z"}"#)
            .unwrap();
    assert_eq!(meta.created_at.unwrap().timestamp(), 1_704_164_645);
    let _client = confluent::Client::new("https://api.confluent.cloud").unwrap();
    assert_eq!(confluent::server::Config::default().body_limit, 64 * 1024);
}
