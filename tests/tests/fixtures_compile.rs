//! Every real-world construct fixture (`generator/tests/fixtures/real_world/*.yaml`), every
//! OpenAPI 3.1 and Swagger 2.0 fixture (`generator/tests/fixtures/{openapi31,swagger2}/`, but
//! the refused `bad.yaml`s), the constructs fixture and the corpus reproductions that once did not compile
//! (`tests/corpus/repros/`) expand through `#[oauth_api]` and compile (client and server), with
//! no warnings (`#![deny(warnings)]`).
#![deny(warnings)]

use oauth_api::oauth_api;

#[oauth_api("../generator/tests/fixtures/real_world/additional_properties.yaml")]
pub mod additional_properties {}

#[oauth_api("../generator/tests/fixtures/real_world/any_and_nullable.yaml")]
pub mod any_and_nullable {}

#[oauth_api("../generator/tests/fixtures/real_world/client_method_names.yaml")]
pub mod client_method_names {}

#[oauth_api("../generator/tests/fixtures/real_world/client_name_clashes.yaml")]
pub mod client_name_clashes {}

#[oauth_api("../generator/tests/fixtures/real_world/client_name_clashes_only.yaml")]
pub mod client_name_clashes_only {}

/// A user's own items beside the generated ones: `client` imports the models with
/// `use super::*`, which brings these along; they must not change what its code means (its
/// own methods return `Result<Self, _>`).
#[oauth_api("../specs/polaris.yaml")]
pub mod with_user_items {
    use std::fmt::Result;

    /// A helper of the user's, returning the `Result` imported above.
    pub fn describe(f: &mut std::fmt::Formatter<'_>) -> Result {
        f.write_str("polaris")
    }
}

#[oauth_api("../generator/tests/fixtures/real_world/cookie_params.yaml")]
pub mod cookie_params {}

#[oauth_api("../generator/tests/fixtures/real_world/doc_text_controls.yaml")]
pub mod doc_text_controls {}

#[oauth_api("../generator/tests/fixtures/real_world/discriminators.yaml")]
pub mod discriminators {}

#[oauth_api("../generator/tests/fixtures/real_world/enum_values.yaml")]
pub mod enum_values {}

#[oauth_api("../generator/tests/fixtures/real_world/missing_operation_ids.yaml")]
pub mod missing_operation_ids {}

#[oauth_api("../generator/tests/fixtures/real_world/name_collisions.yaml")]
pub mod name_collisions {}

#[oauth_api("../generator/tests/fixtures/real_world/odd_paths.yaml")]
pub mod odd_paths {}

#[oauth_api("../generator/tests/fixtures/real_world/query_styles.yaml")]
pub mod query_styles {}

#[oauth_api("../generator/tests/fixtures/real_world/recursive.yaml")]
pub mod recursive {}

#[oauth_api("../generator/tests/fixtures/real_world/repeated_enums.yaml")]
pub mod repeated_enums {}

#[oauth_api("../generator/tests/fixtures/real_world/ref_siblings.yaml")]
pub mod ref_siblings {}

#[oauth_api("../generator/tests/fixtures/real_world/server_variables.yaml")]
pub mod server_variables {}

#[oauth_api("../generator/tests/fixtures/real_world/several_content_types.yaml")]
pub mod several_content_types {}

#[oauth_api("../generator/tests/fixtures/real_world/several_responses.yaml")]
pub mod several_responses {}

#[oauth_api("../generator/tests/fixtures/real_world/single_success.yaml")]
pub mod single_success {}

#[oauth_api("../generator/tests/fixtures/real_world/unsupported_security.yaml")]
pub mod unsupported_security {}

#[oauth_api("../generator/tests/fixtures/constructs.yaml")]
pub mod constructs {}

#[oauth_api("../generator/tests/fixtures/openapi31/const.yaml")]
pub mod openapi31_const {}

#[oauth_api("../generator/tests/fixtures/openapi31/content-media.yaml")]
pub mod openapi31_content_media {}

#[oauth_api("../generator/tests/fixtures/openapi31/custom-dialect.yaml")]
pub mod openapi31_custom_dialect {}

#[oauth_api("../generator/tests/fixtures/openapi31/defs.yaml")]
pub mod openapi31_defs {}

#[oauth_api("../generator/tests/fixtures/openapi31/examples.yaml")]
pub mod openapi31_examples {}

#[oauth_api("../generator/tests/fixtures/openapi31/exclusive-bounds.yaml")]
pub mod openapi31_exclusive_bounds {}

#[oauth_api("../generator/tests/fixtures/openapi31/info-and-dialect.yaml")]
pub mod openapi31_info_and_dialect {}

#[oauth_api("../generator/tests/fixtures/openapi31/no-paths.yaml")]
pub mod openapi31_no_paths {}

#[oauth_api("../generator/tests/fixtures/openapi31/nullable-leftover.yaml")]
pub mod openapi31_nullable_leftover {}

#[oauth_api("../generator/tests/fixtures/openapi31/path-items.yaml")]
pub mod openapi31_path_items {}

#[oauth_api("../generator/tests/fixtures/openapi31/ref-siblings.yaml")]
pub mod openapi31_ref_siblings {}

#[oauth_api("../generator/tests/fixtures/openapi31/type-arrays.yaml")]
pub mod openapi31_type_arrays {}

#[oauth_api("../generator/tests/fixtures/openapi31/untypable.yaml")]
pub mod openapi31_untypable {}

#[oauth_api("../generator/tests/fixtures/openapi31/webhooks.yaml")]
pub mod openapi31_webhooks {}

#[oauth_api("../generator/tests/fixtures/swagger2/body-param.yaml")]
pub mod swagger2_body_param {}

#[oauth_api("../generator/tests/fixtures/swagger2/collection-format.yaml")]
pub mod swagger2_collection_format {}

#[oauth_api("../generator/tests/fixtures/swagger2/consumes-produces.yaml")]
pub mod swagger2_consumes_produces {}

#[oauth_api("../generator/tests/fixtures/swagger2/definitions.yaml")]
pub mod swagger2_definitions {}

#[oauth_api("../generator/tests/fixtures/swagger2/extensions.yaml")]
pub mod swagger2_extensions {}

#[oauth_api("../generator/tests/fixtures/swagger2/form-data.yaml")]
pub mod swagger2_form_data {}

#[oauth_api("../generator/tests/fixtures/swagger2/relative-server.yaml")]
pub mod swagger2_relative_server {}

#[oauth_api("../generator/tests/fixtures/swagger2/responses.yaml")]
pub mod swagger2_responses {}

#[oauth_api("../generator/tests/fixtures/swagger2/security.yaml")]
pub mod swagger2_security {}

#[oauth_api("../generator/tests/fixtures/swagger2/servers.yaml")]
pub mod swagger2_servers {}

#[oauth_api("../generator/tests/fixtures/swagger2/shared.yaml")]
pub mod swagger2_shared {}

#[oauth_api("../tests/corpus/repros/allof-ref-and-annotation.yaml")]
pub mod allof_ref_and_annotation {}

#[oauth_api("../tests/corpus/repros/any-response-body.yaml")]
pub mod any_response_body {}

#[oauth_api("../tests/corpus/repros/date-time-path-parameter.yaml")]
pub mod date_time_path_parameter {}

#[oauth_api("../tests/corpus/repros/error-body-any-field.yaml")]
pub mod error_body_any_field {}

#[oauth_api("../tests/corpus/repros/nullable-through-ref.yaml")]
pub mod nullable_through_ref {}

#[oauth_api("../tests/corpus/repros/union-alias-same-type.yaml")]
pub mod union_alias_same_type {}

#[oauth_api("../tests/corpus/repros/server-without-request-bodies.yaml")]
pub mod server_without_request_bodies {}

#[test]
fn fixtures_expose_their_constructs() {
    // Object query parameters (form and deepObject) and path objects sent as text.
    let params = query_styles::ObjectsParams { page: Some(query_styles::Page::default()), opts: None, x_meta: None, since: None };
    assert!(params.page.is_some());
    // Recursive types are boxed.
    let node = recursive::Node { value: None, next: Some(Box::new(recursive::Node::default())), children: None };
    assert!(node.next.is_some());
    // Several responses: an enum of successes.
    let _: fn(several_responses::StartJobSuccess) = |s| match s {
        several_responses::StartJobSuccess::Ok(_) | several_responses::StartJobSuccess::Accepted { .. } | several_responses::StartJobSuccess::NoContent => {}
    };
    // Server variables at their defaults.
    assert_eq!(server_variables::client::SERVERS, ["https://demo.example.com:443/v1", "/relative"]);
    // Integer and symbol enums.
    assert_eq!(enum_values::Numbers::Minus1.as_i64(), -1);
    assert_eq!(enum_values::Symbols::Plus1.as_str(), "+1");
}

#[test]
fn repeated_enums_share_one_type() {
    use repeated_enums::{ChargeStatus, ListChargesStatus, Reason, RefundList, RefundStatus, UpdateChargeBodyMetadata};
    // Each enum that repeats another is an alias of it: one type under every name.
    let status: RefundStatus = ChargeStatus::Active;
    assert_eq!(status, ListChargesStatus::Active);
    assert_eq!(serde_json::from_str::<RefundStatus>(r#""inactive""#).expect("decodes"), ChargeStatus::Inactive);
    // A one-value enum still fills itself in, through its alias.
    let list = RefundList::new(Vec::new());
    assert_eq!(serde_json::to_value(&list).expect("encodes"), serde_json::json!({"object": "list", "data": []}));
    // A union of two repeats decodes into the first.
    let reason: Reason = serde_json::from_str(r#""inactive""#).expect("decodes");
    assert_eq!(reason, Reason::Variant1(ChargeStatus::Inactive));
    // Stripe's empty string that clears a field, shared by two unions.
    let cleared: UpdateChargeBodyMetadata = serde_json::from_str(r#""""#).expect("decodes");
    assert!(matches!(cleared, UpdateChargeBodyMetadata::UpdateChargeBodyMetadataVariant2(_)));
    // Two unions of the same alternatives: one type, its `From`s and decoding shared.
    use repeated_enums::{Measure, MeasureHeight, MeasureWidth, Special};
    let measure: Measure = serde_json::from_str(r#"{"width": 2.5, "height": "tall"}"#).expect("decodes");
    assert_eq!(measure.width, Some(MeasureHeight::F64(2.5)));
    assert_eq!(measure.height, Some(MeasureWidth::String("tall".to_string())));
    assert_eq!(MeasureWidth::from(Special::Inf), MeasureHeight::Special(Special::Inf));
}

#[test]
fn corpus_repros_behave() {
    // `allOf` of a `$ref` and a description is the referenced enum, not an empty struct.
    let request: allof_ref_and_annotation::Request = serde_json::from_str(r#"{"vehicle": "bike"}"#).expect("decodes");
    assert_eq!(request.vehicle, Some(allof_ref_and_annotation::Vehicle::Bike));
    // A union of two aliases of `String` decodes, and has no ambiguous `From<String>`.
    let config: union_alias_same_type::Config = serde_json::from_str(r#""text""#).expect("decodes");
    assert_eq!(config, union_alias_same_type::Config::First("text".to_string()));
    // A field whose `$ref` (direct, or the one typed part of an `allOf`) is nullable takes `null`;
    // a required one is still sent, as `null`.
    let issue: nullable_through_ref::Issue =
        serde_json::from_str(r#"{"title": "t", "author": null, "editor": null, "closedAt": null}"#).expect("decodes");
    assert_eq!(issue, nullable_through_ref::Issue::new("t"));
    assert_eq!(serde_json::to_value(&issue).expect("encodes"), serde_json::json!({"title": "t", "author": null}));
}

/// An untyped response body is any JSON value, in the server and in the client.
struct Anything;

impl any_response_body::server::Api for Anything {
    async fn get_anything(
        &self,
        _request: any_response_body::server::GetAnythingRequest,
    ) -> Result<serde_json::Value, oauth_api::server::Failure<std::convert::Infallible>> {
        Ok(serde_json::json!({"nested": [1, "two", null]}))
    }
}

#[tokio::test]
async fn untyped_bodies_travel_as_json_values() {
    let server = oauth_api_tests::harness::TestServer::start(any_response_body::server::router(Anything)).await;
    let client = any_response_body::Client::new(server.url()).expect("client");
    let value = client.get_anything().await.expect("200").into_inner();
    assert_eq!(value, serde_json::json!({"nested": [1, "two", null]}));
    server.stop().await;
}

/// A date-time path parameter goes out as RFC 3339 text and comes back as the same instant.
#[derive(Default)]
struct Days {
    seen: std::sync::Mutex<Vec<chrono::DateTime<chrono::Utc>>>,
}

impl date_time_path_parameter::server::Api for std::sync::Arc<Days> {
    async fn get_day(
        &self,
        request: date_time_path_parameter::server::GetDayRequest,
    ) -> Result<(), oauth_api::server::Failure<std::convert::Infallible>> {
        self.seen.lock().expect("not poisoned").push(request.date);
        Ok(())
    }
}

#[tokio::test]
async fn date_time_path_parameters_round_trip() {
    let days = std::sync::Arc::new(Days::default());
    let server = oauth_api_tests::harness::TestServer::start(date_time_path_parameter::server::router(days.clone())).await;
    let client = date_time_path_parameter::Client::new(server.url()).expect("client");
    let date = chrono::DateTime::parse_from_rfc3339("2024-02-29T23:59:58.5+01:00").expect("a date").to_utc();
    client.get_day(date).await.expect("200");
    assert_eq!(*days.seen.lock().expect("not poisoned"), vec![date]);
    server.stop().await;
}

/// An operation's one success, by a range, with a header or as a redirect: the client checks
/// the status (`expect_class`, `expect_code`), decodes that success, and any other status as
/// a declared error.
struct Reports;

impl single_success::server::Api for Reports {
    async fn get_report(
        &self,
        request: single_success::server::GetReportRequest,
    ) -> single_success::server::Outcome<single_success::GetReportSuccess, single_success::GetReportError> {
        if request.id == "missing" {
            let body = single_success::Problem { title: Some("no such report".to_string()) };
            return Err(single_success::GetReportError::ClientError { status: 404, body }.into());
        }
        Ok(single_success::GetReportSuccess::Success { status: 203, body: single_success::Report::new(request.id) })
    }

    async fn list_reports(
        &self,
        _request: single_success::server::ListReportsRequest,
    ) -> single_success::server::Outcome<single_success::ListReportsSuccess> {
        let body = vec![single_success::Report::new("a")];
        Ok(single_success::ListReportsSuccess::Ok { body, link: Some("</reports?page=2>; rel=\"next\"".to_string()) })
    }

    async fn download_report(
        &self,
        request: single_success::server::DownloadReportRequest,
    ) -> single_success::server::Outcome<single_success::DownloadReportSuccess> {
        Ok(single_success::DownloadReportSuccess::Found { location: format!("/files/{}.pdf", request.id) })
    }
}

#[tokio::test]
async fn one_success_is_checked_then_decoded() {
    use single_success::{DownloadReportSuccess, GetReportError, GetReportSuccess, ListReportsSuccess};
    let server = oauth_api_tests::harness::TestServer::start(single_success::server::router(Reports)).await;
    let client = single_success::Client::new(server.url()).expect("client");

    let found = client.get_report("r1").await.expect("a 2XX");
    assert_eq!(found.status(), 203);
    let GetReportSuccess::Success { status, body } = found.into_inner();
    assert_eq!((status, body.id.as_str()), (203, "r1"));

    let missing = client.get_report("missing").await.expect_err("a 4XX");
    let Some(GetReportError::ClientError { status, body }) = missing.into_api_error() else { panic!("the declared error") };
    assert_eq!((status, body.title.as_deref()), (404, Some("no such report")));

    let ListReportsSuccess::Ok { body, link } = client.list_reports().await.expect("200").into_inner();
    assert_eq!((body.len(), link.as_deref()), (1, Some("</reports?page=2>; rel=\"next\"")));

    let DownloadReportSuccess::Found { location } = client.download_report("r1").await.expect("302").into_inner();
    assert_eq!(location, "/files/r1.pdf");
    server.stop().await;
}

/// A fixture added to the generator's tests is compiled here too: every file of the fixture
/// directories (but the refused `bad.yaml`s) is named by an `#[oauth_api]` above.
#[test]
fn every_fixture_compiles_through_the_macro() {
    let this_file = include_str!("fixtures_compile.rs");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/fixtures");
    let mut missing = Vec::new();
    for dir in ["real_world", "openapi31", "swagger2"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("the fixture directory") {
            let name = entry.expect("an entry").file_name().into_string().expect("a UTF-8 name");
            let attribute = format!("#[oauth_api(\"../generator/tests/fixtures/{dir}/{name}\")]");
            if name != "bad.yaml" && !this_file.contains(&attribute) {
                missing.push(format!("{dir}/{name}"));
            }
        }
    }
    assert!(missing.is_empty(), "fixtures not compiled through the macro: {missing:?}");
}
