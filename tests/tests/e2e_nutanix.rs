//! End to end: the generated Nutanix client against the generated router (mounted under
//! the spec's base path `/api/nutanix/v3`) serving the reference implementation, over
//! loopback: identity provider login and OAuth client management, their successes and
//! each declared error response. The token operations are in `e2e_nutanix_tokens.rs`.

use generated::nutanix::client::{Client, Error};
use generated::nutanix::server::Credentials;
use generated::nutanix::*;
use oauth_api::Secret;
use oauth_api_tests::harness::TestServer;
use oauth_api_tests::reference::nutanix::{Nutanix, ADFS_AUTHORIZE, CONSOLE, IDP_AUTHORIZE, LOGIN_ERROR};

mod nutanix_common;

use nutanix_common::*;

fn client_status(code: i64, reason: &str, message: &str) -> OauthClientStatus {
    OauthClientStatus {
        kind: "oauth_client".to_string(),
        code: Some(code),
        message_list: Some(vec![MessageResource::new(message, reason)]),
        state: Some("ERROR".to_string()),
        api_version: "3.1.0".to_string(),
    }
}

#[tokio::test]
async fn identity_provider_login_redirects_and_callback() {
    let f = Fixture::start(Nutanix::new()).await;

    let adfs = f.admin.oauth_adfs_login_get().await.expect("adfs login");
    let wire = f.server.take_one();
    assert_wire(&wire, "GET", "/oauth/adfs_login", None, None);
    assert!(wire.body.is_empty());
    assert_eq!(adfs.status(), 302);
    let OauthAdfsLoginGetSuccess::Found {
        location: Some(location),
    } = adfs.into_inner()
    else {
        panic!("no Location")
    };
    assert!(location.starts_with(&format!(
        "{ADFS_AUTHORIZE}?response_type=code&client_id=prism-central\
         &redirect_uri=https%3A%2F%2Fprism.example.com%3A9440%2Fapi%2Fnutanix%2Fv3%2Foauth%2Fidp_callback&state=st_"
    )), "{location}");

    let idp = f.admin.oauth_idp_login_get().await.expect("idp login");
    assert_wire(&f.server.take_one(), "GET", "/oauth/idp_login", None, None);
    assert_eq!(idp.status(), 302);
    let header = idp.headers()["location"]
        .to_str()
        .expect("text")
        .to_string();
    let OauthIdpLoginGetSuccess::Found {
        location: Some(location),
    } = idp.into_inner()
    else {
        panic!("no Location")
    };
    assert_eq!(location, header);
    assert!(location.starts_with(IDP_AUTHORIZE), "{location}");
    let state = query_param(&location, "state").expect("state");

    let params = OauthIdpCallbackGetParams {
        code: "idp code/1".to_string(),
        state: Some(state.clone()),
    };
    let callback = f
        .admin
        .oauth_idp_callback_get(&params)
        .await
        .expect("callback");
    let query = format!("code=idp+code%2F1&state={state}");
    assert_wire(
        &f.server.take_one(),
        "GET",
        "/oauth/idp_callback",
        Some(&query),
        None,
    );
    assert_eq!(callback.status(), 302);
    assert_eq!(
        callback.into_inner(),
        OauthIdpCallbackGetSuccess::Found {
            location: Some(CONSOLE.to_string())
        }
    );
    assert_eq!(
        f.server.take_requests().len(),
        0,
        "the relative redirect must not be followed"
    );

    // The state is single-use, and a bad password lands on the login error page.
    let replay = f
        .admin
        .oauth_idp_callback_get(&params)
        .await
        .expect("callback");
    let invalid = format!("{LOGIN_ERROR}INVALID_STATE");
    assert_eq!(
        replay.into_inner(),
        OauthIdpCallbackGetSuccess::Found {
            location: Some(invalid)
        }
    );
    let denied = f
        .anonymous("admin", "guess")
        .oauth_adfs_login_get()
        .await
        .expect("adfs login");
    let failed = format!("{LOGIN_ERROR}AUTHENTICATION_REQUIRED");
    assert_eq!(
        denied.into_inner(),
        OauthAdfsLoginGetSuccess::Found {
            location: Some(failed)
        }
    );
    assert_eq!(
        f.api.last_credentials(),
        Some(Credentials::Basic {
            username: "admin".into(),
            password: Secret::new("guess")
        })
    );
    f.stop().await;
}

#[tokio::test]
async fn oauth_client_create_read_update_delete() {
    let f = Fixture::start(Nutanix::new()).await;

    let created = f
        .admin
        .oauth_client_post(&input("ci"))
        .await
        .expect("create");
    let wire = f.server.take_one();
    assert_wire(&wire, "POST", "/oauth/client", None, Some(JSON));
    assert_eq!(
        wire.body_text(),
        r#"{"client_name":"ci","redirect_uris":["https://app.example.com/callback"],"client_description":"ci app","default_scopes":["openid","profile"]}"#
    );
    assert_eq!(created.status(), 200);
    let created = created.into_inner();
    assert_eq!(
        (
            created.client_name.as_str(),
            created.client_description.as_str()
        ),
        ("ci", "ci app")
    );
    assert_eq!(created.redirect_uris, vec![REDIRECT.to_string()]);
    assert_eq!(
        created.client_id.len(),
        36,
        "UUID-shaped: {}",
        created.client_id
    );
    assert_eq!(created.client_secret.len(), 32);
    assert_eq!(f.api.client(&created.client_id), Some(created.clone()));
    let id = created.client_id.clone();

    let read = f.admin.oauth_client_client_id_get(&id).await.expect("read");
    assert_wire(
        &f.server.take_one(),
        "GET",
        &format!("/oauth/client/{id}"),
        None,
        None,
    );
    assert_eq!((read.status(), read.into_inner()), (200, created.clone()));

    let mut changed = input("ci-2");
    changed.default_scopes = vec!["openid".to_string()];
    let updated = f
        .admin
        .oauth_client_client_id_put(&id, &changed)
        .await
        .expect("update")
        .into_inner();
    let wire = f.server.take_one();
    assert_wire(
        &wire,
        "PUT",
        &format!("/oauth/client/{id}"),
        None,
        Some(JSON),
    );
    assert_eq!(wire.json(), serde_json::to_value(&changed).expect("json"));
    assert_eq!(
        (updated.client_name.as_str(), updated.default_scopes.len()),
        ("ci-2", 1)
    );
    assert_eq!(
        (&updated.client_id, &updated.client_secret),
        (&created.client_id, &created.client_secret)
    );

    let deleted = f
        .admin
        .oauth_client_client_id_delete(&id)
        .await
        .expect("delete");
    assert_wire(
        &f.server.take_one(),
        "DELETE",
        &format!("/oauth/client/{id}"),
        None,
        None,
    );
    assert_eq!((deleted.status(), deleted.into_inner()), (200, updated));
    assert_eq!(f.api.client(&id), None);

    let message = format!("OAuth client `{id}` does not exist");
    let expected = client_status(404, "ENTITY_NOT_FOUND", &message);
    let (code, error) = api_error(f.admin.oauth_client_client_id_get(&id).await);
    assert_eq!(
        (code, error),
        (404, OauthClientClientIdGetError::NotFound(expected.clone()))
    );
    let (code, error) = api_error(f.admin.oauth_client_client_id_put(&id, &changed).await);
    assert_eq!(
        (code, error),
        (404, OauthClientClientIdPutError::NotFound(expected.clone()))
    );
    let (code, error) = api_error(f.admin.oauth_client_client_id_delete(&id).await);
    assert_eq!(
        (code, error),
        (404, OauthClientClientIdDeleteError::NotFound(expected))
    );
    f.stop().await;
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let f = Fixture::start(Nutanix::new()).await;

    let (code, error) = api_error(f.admin.oauth_client_client_id_get("a b/c?d%").await);

    assert_wire(
        &f.server.take_one(),
        "GET",
        "/oauth/client/a%20b%2Fc%3Fd%25",
        None,
        None,
    );
    let expected = client_status(
        404,
        "ENTITY_NOT_FOUND",
        "OAuth client `a b/c?d%` does not exist",
    );
    assert_eq!(
        (code, error),
        (404, OauthClientClientIdGetError::NotFound(expected))
    );
    f.stop().await;
}

#[tokio::test]
async fn oauth_client_default_errors() {
    let f = Fixture::start(Nutanix::new()).await;
    let id = f.register("taken").await.client_id;
    let denied = client_status(403, "ACCESS_DENIED", "this needs the administrator role");

    let (code, error) = api_error(f.viewer.oauth_client_post(&input("new")).await);
    assert_eq!(
        (code, error),
        (
            403,
            OauthClientPostError::Default {
                status: 403,
                body: denied.clone()
            }
        )
    );
    let (code, error) = api_error(f.admin.oauth_client_post(&input("taken")).await);
    let duplicate = client_status(
        409,
        "DUPLICATE_CLIENT_NAME",
        "a client named `taken` exists",
    );
    assert_eq!(
        (code, error),
        (
            409,
            OauthClientPostError::Default {
                status: 409,
                body: duplicate
            }
        )
    );
    let mut relative = input("relative");
    relative.redirect_uris = vec!["/callback".to_string()];
    let (code, error) = api_error(f.admin.oauth_client_post(&relative).await);
    let invalid = client_status(
        400,
        "INVALID_REDIRECT_URI",
        "`/callback` is not an absolute URI",
    );
    assert_eq!(
        (code, error),
        (
            400,
            OauthClientPostError::Default {
                status: 400,
                body: invalid
            }
        )
    );

    let (code, error) = api_error(f.viewer.oauth_client_client_id_put(&id, &input("x")).await);
    assert_eq!(
        (code, error),
        (
            403,
            OauthClientClientIdPutError::Default {
                status: 403,
                body: denied.clone()
            }
        )
    );
    let (code, error) = api_error(f.viewer.oauth_client_client_id_delete(&id).await);
    assert_eq!(
        (code, error),
        (
            403,
            OauthClientClientIdDeleteError::Default {
                status: 403,
                body: denied
            }
        )
    );

    f.stop().await;
}

#[tokio::test]
async fn oauth_client_unauthenticated_errors() {
    let f = Fixture::start(Nutanix::new()).await;
    let id = f.register("taken").await.client_id;
    let unauthenticated = client_status(
        401,
        "AUTHENTICATION_REQUIRED",
        "invalid user name or password",
    );
    let intruder = f.anonymous("admin", "Nutanix/4u");
    let (code, error) = api_error(intruder.oauth_client_client_id_get(&id).await);
    assert_eq!(
        (code, error),
        (
            401,
            OauthClientClientIdGetError::Default {
                status: 401,
                body: unauthenticated.clone()
            }
        )
    );
    let wire = f.server.take_requests().pop().expect("request");
    assert_eq!(
        wire.basic_auth(),
        Some(("admin".to_string(), "Nutanix/4u".to_string()))
    );
    let (code, error) = api_error(
        intruder
            .oauth_client_list_post(&OauthClientListMetadata::default())
            .await,
    );
    assert_eq!(
        (code, error),
        (
            401,
            OauthClientListPostError::Default {
                status: 401,
                body: unauthenticated
            }
        )
    );

    // The viewer may read.
    assert_eq!(
        f.viewer
            .oauth_client_client_id_get(&id)
            .await
            .expect("read")
            .client_name,
        "taken"
    );
    assert!(f.api.client(&id).is_some());
    f.stop().await;
}

#[tokio::test]
async fn oauth_client_list_sorts_and_pages() {
    let f = Fixture::start(Nutanix::new()).await;
    for name in ["charlie", "alpha", "bravo"] {
        f.register(name).await;
    }

    let query = OauthClientListMetadata {
        sort_attribute: Some("client_name".to_string()),
        length: Some(2),
        sort_order: Some(OauthClientListMetadataSortOrder::Descending),
        offset: Some(1),
        ..OauthClientListMetadata::default()
    };
    let page = f.viewer.oauth_client_list_post(&query).await.expect("list");
    let wire = f.server.take_one();
    assert_eq!(
        (wire.method.as_str(), wire.path.as_str()),
        ("POST", "/api/nutanix/v3/oauth/client/list")
    );
    assert_eq!(wire.content_type(), Some(JSON));
    assert_eq!(
        wire.body_text(),
        r#"{"kind":"oauth_client","sort_attribute":"client_name","length":2,"sort_order":"DESCENDING","offset":1}"#
    );
    assert_eq!(page.status(), 200);
    let page = page.into_inner();
    let names: Vec<&str> = page
        .entities
        .iter()
        .map(|c| c.client_name.as_str())
        .collect();
    assert_eq!(names, ["bravo", "alpha"]);
    assert_eq!(page.metadata, query);

    let all = f
        .viewer
        .oauth_client_list_post(&OauthClientListMetadata::default())
        .await
        .expect("list")
        .into_inner();
    assert_eq!(
        f.server.take_one().body_text(),
        r#"{"kind":"oauth_client"}"#
    );
    let names: Vec<&str> = all
        .entities
        .iter()
        .map(|c| c.client_name.as_str())
        .collect();
    assert_eq!(names, ["alpha", "bravo", "charlie"]);
    assert_eq!(
        (all.metadata.length, all.metadata.offset),
        (Some(20), Some(0))
    );
    assert_eq!(
        all.metadata.sort_order,
        Some(OauthClientListMetadataSortOrder::Ascending)
    );

    let bad = OauthClientListMetadata {
        sort_attribute: Some("created_at".to_string()),
        ..OauthClientListMetadata::default()
    };
    let (code, error) = api_error(f.viewer.oauth_client_list_post(&bad).await);
    let body = client_status(400, "INVALID_SORT_ATTRIBUTE", "cannot sort on `created_at`");
    assert_eq!(
        (code, error),
        (400, OauthClientListPostError::Default { status: 400, body })
    );
    f.stop().await;
}

#[tokio::test]
async fn an_undeclared_status_on_a_redirect_only_operation() {
    let server =
        TestServer::canned(200, &[("content-type", "text/html")], b"<html>login</html>").await;
    let client = Client::new(format!("{}{BASE}", server.url())).expect("client");

    match client.oauth_idp_login_get().await {
        Err(Error::UnexpectedStatus(raw)) => {
            assert_eq!(
                (raw.status(), raw.body()),
                (200, b"<html>login</html>".as_slice())
            );
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(
        server.take_one().header("authorization"),
        None,
        "no credentials were configured"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_default_error_body_that_does_not_decode_is_an_invalid_response() {
    let server = TestServer::canned(
        503,
        &[("content-type", "text/plain")],
        b"upstream unavailable",
    )
    .await;
    let client = Client::new(format!("{}{BASE}", server.url())).expect("client");

    match client.oauth_client_client_id_get("x").await {
        Err(Error::InvalidResponse { response, .. }) => {
            assert_eq!(
                (response.status(), response.body()),
                (503, b"upstream unavailable".as_slice())
            );
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    server.stop().await;
}
