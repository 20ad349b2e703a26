// `client`: only the client; the module has no `server`.
use oauth_api::oauth_api;

#[oauth_api("specs/nutanix.yaml", client)]
pub mod nutanix {}

async fn list(client: &nutanix::Client) -> Result<nutanix::OauthClientList, Box<dyn std::error::Error>> {
    let metadata = nutanix::OauthClientListMetadata { length: Some(20), ..Default::default() };
    let list = client.oauth_client_list_post(&metadata).await?;
    Ok(list.into_inner())
}

fn main() {
    let client = nutanix::Client::new("https://prism.example:9440/api/nutanix/v3").unwrap();
    let _future = list(&client);
}
