use super::render;

const SPEC: &str = r#"
openapi: 3.0.3
info:
  title: Tiny OAuth
  version: "1.2"
  description: |
    A tiny API, see https://example.com/docs.
servers:
  - url: https://{tenant}.example.com/v1
    variables:
      tenant:
        default: demo
security:
  - basicAuth: []
paths:
  /clients/{client_id}:
    put:
      operationId: updateClient
      summary: Update a client
      description: Replaces the client | all of it.
      parameters:
        - name: client_id
          in: path
          required: true
          schema: { type: string }
        - name: dryRun
          in: query
          required: true
          schema: { type: boolean }
        - name: X-Trace
          in: header
          description: Trace id
          schema: { type: string, default: none }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/ClientInput' }
      responses:
        '200':
          description: The client
          content:
            application/json:
              schema: { $ref: '#/components/schemas/ClientInfo' }
        '404':
          description: Not found
          headers:
            X-Request-Id:
              required: true
              schema: { type: string }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Status' }
        default:
          description: |
            Anything else
            (multi-line)
  /token:
    post:
      operationId: token
      security: []
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: { $ref: '#/components/schemas/TokenRequest' }
      responses:
        '200':
          description: A token
          content:
            application/json:
              schema:
                type: object
                properties:
                  access_token: { type: string }
components:
  securitySchemes:
    basicAuth: { type: http, scheme: basic }
  schemas:
    ClientInput:
      type: object
      description: What a client is made of.
      required: [name, type, kind, redirect_uris]
      properties:
        name: { type: string, maxLength: 64, description: "Display name | shown to users" }
        type: { type: string }
        kind: { $ref: '#/components/schemas/Kind' }
        redirect_uris: { type: array, items: { type: string } }
        secret: { type: string, writeOnly: true }
        limit: { type: integer, format: int32, default: 10 }
        parent: { $ref: '#/components/schemas/Parent' }
    Parent:
      type: object
      required: [id]
      properties:
        id: { type: integer }
    ClientInfo:
      allOf:
        - $ref: '#/components/schemas/ClientInput'
        - type: object
          required: [client_id]
          properties:
            client_id: { type: string, readOnly: true }
    Kind:
      type: string
      x-extensible-enum: [public, confidential]
    Status:
      type: object
      properties:
        message: { type: string }
    TokenRequest:
      oneOf:
        - $ref: '#/components/schemas/ClientCredentials'
        - $ref: '#/components/schemas/RefreshToken'
      discriminator:
        propertyName: grant_type
    ClientCredentials:
      type: object
      required: [grant_type, client_id]
      properties:
        grant_type: { type: string }
        client_id: { type: string }
        scope: { type: string }
    RefreshToken:
      type: object
      required: [grant_type, refresh_token]
      properties:
        grant_type: { type: string }
        refresh_token: { type: string }
    Names:
      type: array
      items: { type: string }
"#;

fn tiny() -> std::collections::BTreeMap<String, String> {
    let doc = crate::load::load("tiny.yaml", SPEC).unwrap();
    let api = crate::ir::lower(&doc).unwrap();
    render(&api, "tiny").unwrap()
}

#[test]
fn file_names() {
    let files = tiny();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert!(names.contains(&"tiny/README.md"), "{names:?}");
    for model in ["ClientInfo", "ClientInput", "Kind", "Names", "Parent", "Status", "TokenRequest"] {
        assert!(names.contains(&format!("tiny/models/{model}.md").as_str()), "{model}: {names:?}");
    }
}

#[test]
fn readme_content() {
    let files = tiny();
    let readme = &files["tiny/README.md"];
    println!("{readme}");
    assert!(readme.starts_with("# Tiny OAuth\n"));
    assert!(readme.contains("A tiny API, see <https://example.com/docs>."));
    assert!(readme.contains("| `basicAuth` | HTTP Basic |"));
    // Method table.
    assert!(readme.contains("| [`update_client`](#update_client) | **PUT** /clients/{client_id} | Update a client |"));
    assert!(readme.contains("| [`token`](#token) | **POST** /token |  |"));
    // Section and signature.
    assert!(readme.contains("<a name=\"update_client\"></a>\n## update_client\n"));
    assert!(readme.contains("Replaces the client | all of it."));
    assert!(readme.contains(
        "pub async fn update_client(&self, client_id: &str, params: &UpdateClientParams, body: &ClientInput) \
         -> ApiResult<ClientInfo, UpdateClientError>"
    ));
    assert!(readme.contains(
        "pub async fn token(&self, body: &TokenRequest) -> ApiResult<Token200Response>"
    ));
    // Parameters.
    assert!(readme.contains("| `client_id` | `String` | path | yes |  |  |"));
    assert!(readme.contains("| `dry_run` (`dryRun`) | `bool` | query | yes |  |  |"));
    assert!(readme.contains("| `x_trace` (`X-Trace`) | `String` | header | no | Trace id | `\"none\"` |"));
    assert!(readme.contains("| `body` | [`ClientInput`](models/ClientInput.md) | body | yes |  |  |"));
    // Responses.
    assert!(readme.contains("| 200 | (returned as is) | The client | [`ClientInfo`](models/ClientInfo.md) |  |"));
    assert!(readme.contains(
        "| 404 | `UpdateClientError::NotFound` | Not found | [`Status`](models/Status.md) | `X-Request-Id` as `x_request_id`: `String` |"
    ));
    assert!(readme.contains("| default | `UpdateClientError::Default` | Anything else<br>(multi-line) |  |  |"));
    assert!(readme.contains("- **Content-Type**: `application/json`"));
    assert!(readme.contains("- [`basicAuth`](#authentication) (HTTP Basic)"));
    assert!(readme.contains("No authorization required"));
    assert!(readme.contains("An OAuth token endpoint (RFC 6749 §3.2)"));
}

#[test]
fn examples() {
    let files = tiny();
    let readme = &files["tiny/README.md"];
    let expected = r#"```rust,no_run
# async fn example() -> Result<(), Box<dyn std::error::Error>> {
use generated::tiny::{self, client::Client};

let client = Client::new("https://demo.example.com/v1")?
    .with_basic_auth("user", "password");
let response = client
    .update_client(
        "client_id_example",
        &tiny::UpdateClientParams {
            dry_run: false,
            x_trace: None,
        },
        &tiny::ClientInput::new("name_example", "type_example", tiny::Kind::Public, vec![]),
    )
    .await?;
println!("{:?}", response.into_inner());
# Ok(())
# }
```"#;
    assert!(readme.contains(expected), "{readme}");
    let token = r#"let client = Client::new("https://demo.example.com/v1")?
    .with_client_credentials("client_id", "client_secret");
let response = client
    .token(
        &tiny::TokenRequest::ClientCredentials(tiny::ClientCredentials::new("grant_type_example")),
    )
    .await?;"#;
    assert!(readme.contains(token), "{readme}");
    assert!(!readme.contains("rust,ignore\n#"), "every example compiles");
}

#[test]
fn model_pages() {
    let files = tiny();
    let input = &files["tiny/models/ClientInput.md"];
    println!("{input}");
    assert!(input.starts_with("# ClientInput\n"));
    assert!(input.contains("What a client is made of."));
    assert!(input.contains("| `name` | `name` | `String` | yes | Display name \\| shown to users | maxLength: 64 |"));
    assert!(input.contains("| `r#type` | `type` | `String` | yes |  |  |"));
    assert!(input.contains("| `kind` | `kind` | [`Kind`](Kind.md) | yes |  |  |"));
    assert!(input.contains("| `secret` | `secret` | `Option<String>` | no |  | Write-only<br>Secret: hidden from `Debug` |"));
    assert!(input.contains("| `limit` | `limit` | `i32` | no |  | Default: `10` |"));
    assert!(input.contains("- [`update_client`](../README.md#update_client)"));
    let kind = &files["tiny/models/Kind.md"];
    assert!(kind.contains("| `Public` | `\"public\"` |  |"));
    assert!(kind.contains("unknown values are kept in `Other(String)`"));
    let union = &files["tiny/models/TokenRequest.md"];
    assert!(union.contains("| `ClientCredentials` | [`ClientCredentials`](ClientCredentials.md) |"));
    assert!(union.contains("| `RefreshToken` | `RefreshToken` |"));
    assert!(union.contains("The discriminator property `grant_type`"));
    let alias = &files["tiny/models/Names.md"];
    assert!(alias.contains("Alias of `Vec<String>`."));
    let client = &files["tiny/models/ClientInfo.md"];
    assert!(client.contains("| `client_id` | `client_id` | `String` | yes |  | Read-only |"));
}

#[test]
fn deterministic() {
    assert_eq!(tiny(), tiny());
}

fn spec(name: &str) -> crate::ir::Api {
    let path = format!("{}/../specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = crate::load::load(&path, &text).unwrap();
    crate::ir::lower(&doc).unwrap()
}

#[test]
fn real_specs_render() {
    for name in ["confluent", "nutanix", "polaris", "treezor"] {
        let api = spec(name);
        let files = render(&api, name).unwrap();
        assert_eq!(files, render(&api, name).unwrap(), "{name}: deterministic");
        assert_eq!(files.len(), api.types.len() + 1, "{name}");
        let readme = &files[&format!("{name}/README.md")];
        for op in &api.operations {
            assert!(readme.contains(&format!("| [`{0}`](#{0}) |", op.name)), "{name}: {}", op.name);
            assert!(readme.contains(&format!("\n## {}\n", op.name)), "{name}: {}", op.name);
        }
        assert!(!readme.contains("rust,ignore\n#"), "{name}: an example does not compile:\n{readme}");
        for text in files.values() {
            assert!(!text.contains("\n\n\n"), "{name}");
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{name}");
        }
    }
}

#[test]
fn nutanix_lists_all_operations() {
    let api = spec("nutanix");
    let files = render(&api, "nutanix").unwrap();
    let readme = &files["nutanix/README.md"];
    let rows = readme.lines().filter(|l| l.starts_with("| [`oauth_")).count();
    assert_eq!(rows, 12, "{readme}");
    assert!(readme.contains("| [`oauth_token_post`](#oauth_token_post) | **POST** /oauth/token |"));
    assert!(readme.contains(
        "pub async fn oauth_client_client_id_get(&self, client_id: &str) \
         -> ApiResult<OauthClientResponse, OauthClientClientIdGetError>"
    ));
    assert!(readme.contains("let client = Client::new(\"http://localhost\")?\n    .with_basic_auth(\"user\", \"password\");"));
    assert!(files.contains_key("nutanix/models/OauthStatus.md"));
}

/// Shapes the four real specs lack: non-string path parameters, all-optional parameters,
/// optional and non-object bodies, maps, integer enums, nullable, recursive and
/// `additionalProperties` structs.
const EDGE: &str = r#"
openapi: 3.0.3
info: { title: Edge, version: "0" }
security:
  - key: []
paths:
  /items/{id}/{kind}:
    post:
      operationId: match
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer, format: int64 } }
        - { name: kind, in: path, required: true, schema: { $ref: '#/components/schemas/Level' } }
        - { name: tags, in: query, required: true, schema: { type: array, items: { type: string } } }
        - { name: ratio, in: query, required: true, schema: { type: number } }
        - { name: X-Mode, in: header, required: true, schema: { $ref: '#/components/schemas/Mode' } }
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Bag' }
      responses:
        '201': { description: Created }
        '202':
          description: Accepted
          content: { text/plain: { schema: { type: string } } }
  /text:
    put:
      operationId: putText
      security: [{ bearer: [] }, {}]
      requestBody:
        required: false
        content: { text/plain: { schema: { type: string } } }
      responses:
        '204': { description: Nothing }
  /choice:
    post:
      operationId: choice
      security: [{ oauth: [] }]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - { type: string }
                - $ref: '#/components/schemas/Node'
      responses:
        '200': { description: OK }
  /names:
    post:
      operationId: names
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Names' } } }
      responses:
        '200': { description: OK }
  /tree:
    post:
      operationId: tree
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Node' } } }
      responses:
        '200': { description: OK }
  /search:
    post:
      operationId: search
      parameters:
        - { name: limit, in: query, schema: { type: integer } }
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: { type: object, additionalProperties: { type: string } }
      responses:
        '200': { description: OK }
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content: { application/octet-stream: { schema: { type: string, format: binary } } }
      responses:
        '200': { description: OK }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key }
    bearer: { type: http, scheme: bearer, bearerFormat: JWT }
    oauth:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: /token, scopes: {} } }
  schemas:
    Level: { type: integer, enum: [1, 2, 3] }
    Mode: { type: string, enum: [fast, slow] }
    Names: { type: array, items: { type: string } }
    Bag:
      type: object
      required: [when, day, level, maybe, map, any, pair, ratio, flag, mode]
      additionalProperties: { type: integer }
      properties:
        when: { type: string, format: date-time }
        day: { type: string, format: date }
        level: { $ref: '#/components/schemas/Level' }
        maybe: { type: string, nullable: true }
        map: { type: object, additionalProperties: { type: string } }
        any: {}
        node: { $ref: '#/components/schemas/Node' }
        pair: { $ref: '#/components/schemas/Pair' }
        ratio: { type: number, format: float }
        flag: { type: boolean }
        mode: { $ref: '#/components/schemas/Mode' }
        choice:
          oneOf:
            - { type: string }
            - { type: integer }
        files: { type: string, format: binary }
    Pair:
      type: object
      required: [a, b]
      properties:
        a: { type: string }
        b: { type: array, items: { type: integer } }
    Node:
      type: object
      required: [value, leaf]
      properties:
        value: { type: integer, format: int32 }
        leaf: { $ref: '#/components/schemas/Leaf' }
        next: { $ref: '#/components/schemas/Node' }
    Leaf:
      type: object
      required: [parent, id]
      properties:
        id: { type: string }
        parent: { $ref: '#/components/schemas/Node' }
"#;

fn edge() -> crate::ir::Api {
    crate::ir::lower(&crate::load::load("edge.yaml", EDGE).unwrap()).unwrap()
}

#[test]
fn edge_examples() {
    let files = render(&edge(), "edge").unwrap();
    let readme = &files["edge/README.md"];
    println!("{readme}");
    assert!(readme.contains("pub async fn r#match(&self, id: i64, kind: Level, params: &MatchParams, body: Option<&Bag>) -> ApiResult<MatchSuccess>"));
    assert!(readme.contains("pub async fn put_text(&self, body: Option<&String>) -> ApiResult<()>"));
    assert!(readme.contains("<a name=\"match\"></a>\n## r#match\n"));
    assert!(readme.contains("let response = client\n    .r#match(\n        0,\n        edge::Level::V1,\n"));
    assert!(readme.contains(".with_api_key(\"api_key\");"));
    // All-optional parameters are their default; an optional body with nothing to show, none.
    assert!(readme.contains("let response = client.search(&Default::default(), None).await?;"));
    assert!(readme.contains("None (credentials are optional)"));
    assert!(readme.contains("let client = Client::new(\"http://localhost\")?\n    .with_bearer_token(\"token\");\nlet response = client.choice(&edge::ChoiceBody::String(\"body_example\".to_string())).await?;"));
    assert!(readme.contains("            edge::Pair::new(\"a_example\", vec![]),\n"));
    // A `Node` needs a `Leaf`, which needs a `Node`, …: that example cannot be written.
    assert_eq!(readme.matches("```rust,ignore\n# async fn").count(), 1, "{readme}");
}
