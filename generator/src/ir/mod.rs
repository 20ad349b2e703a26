//! Stage 2, the typed intermediate representation.
//!
//! Everything downstream (types, client, server, docs) reads only this IR, never the raw
//! OpenAPI document: names are sanitized here once, `$ref`s are resolved, inline schemas are
//! named, and every collection that reaches output is ordered (`BTreeMap` or a sorted `Vec`).

mod boxing;
mod lower;
pub mod names;
pub mod oauth;
mod schema;
mod shared;
mod tags;
mod variants;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub use lower::{body_kind, lower, lower_consuming};
pub use oauth::{Grant, OAuthEndpoint, OAuthRole, TokenLocation};
pub use schema::is_secret_name;

/// One API: everything generated for one spec.
#[derive(Clone, Debug, Serialize)]
pub struct Api {
    /// What lowering left out or approximated (an unknown security scheme …).
    #[serde(skip)]
    pub warnings: Vec<crate::diag::Diagnostic>,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers`, in spec order.
    pub servers: Vec<Server>,
    /// Security schemes by their key in `components/securitySchemes`.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Operations, sorted by Rust method name.
    pub operations: Vec<Operation>,
    /// Named types, by Rust type name.
    pub types: BTreeMap<String, TypeDef>,
    /// The JSON error body most operations declare ([`Operation::rejection_body`]; ties: the
    /// first type): what a server answers rejections with for operations that declare none.
    #[serde(skip)]
    pub rejection_body: Option<TypeRef>,
    /// The name prefix of the server's error functions for each named body operations answer
    /// rejections with (their own [`Operation::rejection_body`] or the one above), by type
    /// name: the type in snake_case with a `_` (`o_data_error_rejection`), or nothing when
    /// every operation uses the same body (`rejection`, `oauth_rejection`).
    #[serde(skip)]
    pub rejection_fn_prefixes: BTreeMap<String, String>,
}

impl Api {
    /// The error model the server uses for rejections of `op`: its own
    /// ([`Operation::rejection_body`]), else the one most operations of the API use
    /// ([`Api::rejection_body`]), so that every rejection of one API looks alike.
    pub fn rejection_type<'a>(&'a self, op: &'a Operation) -> Option<&'a TypeRef> {
        op.rejection_body().or(self.rejection_body.as_ref())
    }

    /// The type `ty` spells once aliases are followed, inside arrays and maps too
    /// (`Vec<First>` with `type First = String` is `Vec<String>`): two uses with the same
    /// unaliased type are one Rust type.
    pub fn unaliased(&self, ty: &TypeRef) -> TypeRef {
        unaliased_in(&self.types, ty, ALIAS_BUDGET)
    }

    /// The named type `ty` is once aliases are followed (an enum or union that repeats
    /// another is an alias of it): `None` for a type that is not named, such as `Vec<T>`.
    pub fn definition(&self, ty: &TypeRef) -> Option<&TypeDef> {
        let TypeRef::Named(definition) = self.unaliased(ty) else { return None };
        self.types.get(&definition)
    }

    /// The variants of the enum `ty` names, through aliases.
    pub fn enum_variants(&self, ty: &TypeRef) -> Option<&[EnumVariant]> {
        match &self.definition(ty)?.kind {
            TypeKind::Enum { variants, .. } => Some(variants),
            _ => None,
        }
    }
}

/// How many aliases [`Api::unaliased`] follows in a row.
const ALIAS_BUDGET: usize = 16;

/// `ty` with every alias replaced by what it names, in `types` (a `$ref` cycle through
/// aliases, refused by lowering, stops after `budget` steps).
fn unaliased_in(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, budget: usize) -> TypeRef {
    match ty {
        TypeRef::Named(n) if budget > 0 => match types.get(n).map(|t| &t.kind) {
            Some(TypeKind::Alias { target }) => unaliased_in(types, target, budget - 1),
            _ => ty.clone(),
        },
        TypeRef::Array(inner) => TypeRef::Array(Box::new(unaliased_in(types, inner, budget))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(unaliased_in(types, inner, budget))),
        _ => ty.clone(),
    }
}

/// A `servers` entry.
#[derive(Clone, Debug, Serialize)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// `(name, default)` of each server variable, sorted by name.
    pub variables: Vec<(String, String)>,
}

/// A security scheme.
#[derive(Clone, Debug, Serialize)]
pub struct SecurityScheme {
    pub description: Option<String>,
    pub kind: SecurityKind,
}

/// What a security scheme asks of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SecurityKind {
    /// HTTP Basic.
    Basic,
    /// HTTP Bearer.
    Bearer { format: Option<String> },
    /// An API key in a header, query parameter or cookie.
    ApiKey { name: String, location: ParamLocation },
    /// OAuth2 flows: the access token is sent as a Bearer token.
    OAuth2 { flows: Vec<OAuthFlow> },
    /// OpenID Connect: the access token is sent as a Bearer token; `url` is the discovery
    /// document.
    OpenIdConnect { url: String },
    /// Any other HTTP scheme (`digest`, …): not handled by the generated code.
    OtherHttp { scheme: String },
}

impl SecurityKind {
    /// Whether the scheme sends a Bearer token (HTTP bearer, OAuth2, OpenID Connect).
    pub fn is_bearer(&self) -> bool {
        matches!(self, SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. })
    }
}

/// An OAuth2 flow of a security scheme. URLs are as the spec writes them (relative ones are
/// relative to the server URL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OAuthFlow {
    pub kind: FlowKind,
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    /// `(scope, description)`, in spec order.
    pub scopes: Vec<(String, String)>,
}

/// The four OAuth2 flows of OpenAPI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    ClientCredentials,
    Password,
    AuthorizationCode,
    Implicit,
}

impl FlowKind {
    /// How the spec names the flow.
    pub fn spec_name(self) -> &'static str {
        match self {
            FlowKind::ClientCredentials => "clientCredentials",
            FlowKind::Password => "password",
            FlowKind::AuthorizationCode => "authorizationCode",
            FlowKind::Implicit => "implicit",
        }
    }
}

/// One scheme of a security requirement, with the scopes it asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchemeUse {
    /// The scheme's key in `components/securitySchemes`.
    pub scheme: String,
    pub scopes: Vec<String>,
}

/// HTTP methods OpenAPI 3.0 knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A path template split into literal text and parameters, e.g. `/client/{client_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathTemplate {
    /// The template as written in the spec.
    pub raw: String,
    /// Literal text and parameters in order.
    pub parts: Vec<PathPart>,
}

/// A piece of a [`PathTemplate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PathPart {
    /// Literal text, sent as is.
    Literal(String),
    /// A parameter, by its wire name.
    Param(String),
}

impl PathTemplate {
    /// Parses `/a/{b}/c{d}`; `None` for unbalanced braces.
    pub fn parse(raw: &str) -> Option<PathTemplate> {
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}')? + open;
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_string()));
            }
            let name = &rest[open + 1..close];
            if name.is_empty() || name.contains('{') {
                return None;
            }
            parts.push(PathPart::Param(name.to_string()));
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return None;
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        Some(PathTemplate { raw: raw.to_string(), parts })
    }

    /// Wire names of the parameters, in path order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
    }
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// One operation.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// The spec's operationId, or one derived from method and path.
    pub operation_id: String,
    /// Rust method name (snake_case).
    pub name: String,
    /// Rust type-name stem (UpperCamelCase) for the operation's own types.
    pub type_name: String,
    pub method: HttpMethod,
    pub path: PathTemplate,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path parameters in path order, then the others in spec order.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// Declared responses: exact codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// Struct of the query, header and cookie parameters (`{Op}Params`), if there are any.
    pub params_type: Option<String>,
    /// Enum of the success responses (`{Op}Success`); `None` when there is one plain success
    /// response, whose body type (or `()`) is used directly.
    pub success_type: Option<String>,
    /// Enum of the declared error responses (`{Op}Error`), if there are any.
    pub error_type: Option<String>,
    /// Whether `params_type` is a struct of its own, one other operations alias, or an alias.
    pub params_sharing: Sharing,
    /// Whether `success_type` is an enum of its own, one other operations alias, or an alias.
    pub success_sharing: Sharing,
    /// Whether `error_type` is an enum of its own, one other operations alias, or an alias.
    pub error_sharing: Sharing,
    /// The security requirement: alternatives (OR), each a list of schemes that must all be
    /// used (AND), with scopes. Empty: no auth; an empty alternative: auth is optional.
    pub security: Vec<Vec<SchemeUse>>,
    /// The operation's OAuth role (token, revocation, introspection endpoint), if any.
    pub oauth: Option<OAuthEndpoint>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

impl Operation {
    /// Non-path parameters (query, header, cookie).
    pub fn other_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location != ParamLocation::Path)
    }

    /// Path parameters, in path order.
    pub fn path_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location == ParamLocation::Path)
    }

    /// The error enum this operation defines: its `{Op}Error`, unless that is an alias of an
    /// earlier operation's (whose definition, and code decoding and encoding it, serve both).
    pub fn own_error_enum(&self) -> Option<&str> {
        match self.error_sharing {
            Sharing::AliasOf(_) => None,
            _ => self.error_type.as_deref(),
        }
    }

    /// The body type a method returns when the operation has no success enum
    /// ([`Operation::success_type`]): its first success's, if that has a body.
    pub fn plain_success_body(&self) -> Option<&TypeRef> {
        if self.success_type.is_some() {
            return None;
        }
        self.successes().next()?.body.as_ref().map(|b| &b.ty)
    }

    /// Successful (1xx–3xx) responses.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// Error (4xx, 5xx, `default`) responses.
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }

    /// The JSON body of the operation's `400`, then `4XX`, `default`, then any declared error:
    /// the model its rejections are written in.
    pub fn rejection_body(&self) -> Option<&TypeRef> {
        let json_body = |s: StatusMatch| {
            self.responses
                .iter()
                .find(|r| r.status == s)
                .and_then(|r| r.body.as_ref())
                .filter(|b| b.kind == BodyKind::Json)
                .map(|b| &b.ty)
        };
        json_body(StatusMatch::Code(400))
            .or_else(|| json_body(StatusMatch::Range(4)))
            .or_else(|| json_body(StatusMatch::Default))
            .or_else(|| self.errors().filter_map(|r| r.body.as_ref()).find(|b| b.kind == BodyKind::Json).map(|b| &b.ty))
    }

    /// Whether the spec requires credentials (every alternative names at least one scheme).
    pub fn requires_auth(&self) -> bool {
        !self.security.is_empty() && self.security.iter().all(|alt| !alt.is_empty())
    }

    /// The OAuth role, if any.
    pub fn role(&self) -> Option<OAuthRole> {
        self.oauth.as_ref().map(|o| o.role)
    }
}

/// A query, header, cookie or path parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field / argument name.
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    pub default: Option<Value>,
    pub deprecated: bool,
    /// `explode` for arrays in query parameters (`a=1&a=2` rather than `a=1,2`).
    pub explode: bool,
    /// A token, secret or authorization code: hidden from `Debug`.
    pub secret: bool,
    /// An object in a query parameter: its properties travel as `key=value` (`style: form`)
    /// or `name[key]=value` (`style: deepObject`).
    pub object: Option<ObjectStyle>,
}

/// How an object query parameter is spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ObjectStyle {
    /// `key=value` per property.
    Form,
    /// `name[key]=value` per property.
    DeepObject,
}

/// How a body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// A request body.
#[derive(Clone, Debug, Serialize)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    /// The media type the generated code uses.
    pub media_type: String,
    pub kind: BodyKind,
    pub ty: TypeRef,
    /// Every media type the spec lists, in spec order (the server accepts all with a
    /// compatible encoding).
    pub media_types: Vec<String>,
}

/// Which statuses a response covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// `1XX` … `5XX`: the leading digit.
    Range(u16),
    /// `default`: every status not declared otherwise.
    Default,
}

impl StatusMatch {
    /// 1xx–3xx (and ranges thereof) count as success; 4xx, 5xx and `default` as errors.
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(c) => c < 400,
            StatusMatch::Range(d) => d < 4,
            StatusMatch::Default => false,
        }
    }

    /// How the spec writes it.
    pub fn label(self) -> String {
        match self {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(d) => format!("{d}XX"),
            StatusMatch::Default => "default".to_string(),
        }
    }
}

/// How an operation's `{Op}Params` struct, `{Op}Success` or `{Op}Error` enum is defined.
/// Operations that declare the same parameters share one struct; those that declare the same
/// responses (variants, statuses, descriptions, bodies, headers) share one enum: Graph beta's
/// 22,361 operations declare the same two error responses, Stripe's 452 the same `default` one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Sharing {
    /// A type of its own.
    #[default]
    Own,
    /// A type of its own, which operations declaring the same alias.
    Shared,
    /// An alias of the type of this name: that of the first operation (in
    /// [`Api::operations`]' order) declaring the same.
    AliasOf(String),
}

/// A declared response.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Response {
    pub status: StatusMatch,
    /// Rust variant name (`Ok`, `NotFound`, `ServerError`, `Default`).
    pub variant: String,
    pub description: String,
    pub body: Option<ResponseBody>,
    /// Declared headers, sorted by wire name.
    pub headers: Vec<ResponseHeader>,
}

impl Response {
    /// A response whose payload is just its body (or nothing): exact status, no headers.
    pub fn is_plain(&self) -> bool {
        matches!(self.status, StatusMatch::Code(_)) && self.headers.is_empty()
    }
}

/// A response body.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ResponseBody {
    pub media_type: String,
    pub kind: BodyKind,
    pub ty: TypeRef,
}

/// A declared response header.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ResponseHeader {
    pub wire_name: String,
    pub name: String,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// A use of a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum TypeRef {
    /// A named type in [`Api::types`].
    Named(String),
    Prim(Prim),
    Array(Box<TypeRef>),
    /// A map from string keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

/// Primitive types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prim {
    String,
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// `format: binary`: raw bytes (a file part in multipart bodies).
    Binary,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
}

/// A named type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeDef {
    /// Rust type name.
    pub name: String,
    /// The component name it came from (`sts.v1.TokenExchangeRequest`), if any.
    pub schema_name: Option<String>,
    /// Doc text from `title` and `description`.
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// JSON pointer of the schema.
    pub pointer: String,
    pub deprecated: bool,
}

/// The shape of a named type.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TypeKind {
    /// An object with known properties (allOf already merged in).
    Struct {
        fields: Vec<Field>,
        /// `additionalProperties`: extra keys kept in a flattened map.
        additional: Option<TypeRef>,
    },
    /// A string or integer enum.
    Enum {
        variants: Vec<EnumVariant>,
        /// Open (`x-extensible-enum`): unknown values are kept in an `Other` variant.
        open: bool,
        /// Integer values rather than strings.
        integer: bool,
        /// Values compare without regard to ASCII case (an OAuth `token_type`).
        case_insensitive: bool,
    },
    /// `oneOf` / `anyOf`.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<Discriminator>,
    },
    /// A named alias of another type (`type X = Vec<Y>`).
    Alias { target: TypeRef },
}

/// A struct field.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub wire_name: String,
    pub name: String,
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    pub doc: Option<String>,
    pub default: Option<Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// A client secret, password or token: hidden from `Debug`.
    pub secret: bool,
    pub constraints: Constraints,
}

/// Validation keywords the server checks.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Constraints {
    /// True when nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// An enum variant.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct EnumVariant {
    pub name: String,
    /// The wire value: a string, or an integer for integer enums.
    pub value: Value,
    pub doc: Option<String>,
}

/// A `oneOf`/`anyOf` alternative.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Property names of the alternative, when it is an object (used to pick the best match).
    pub properties: Vec<String>,
}

/// A property whose value tells the alternatives of a union apart: a `discriminator`, or
/// (implicit) a property with one value per alternative, such as `grant_type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Discriminator {
    pub property: String,
    /// `(value, variant index)`, sorted by value.
    pub mapping: Vec<(String, usize)>,
    /// An explicit `discriminator`: the property must be there. Implicit tags fall back to
    /// matching when it is absent.
    pub required: bool,
}
