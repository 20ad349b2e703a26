//! Path items and their parts typed straight from the raw document, without serde, as
//! [`super::typed_schema`] types schemas.
//!
//! Every `ReferenceOr` of a path item (the item itself, its parameters, request body,
//! responses, headers, examples, links) is an untagged enum to serde: each node is buffered
//! into serde's `Content` and tried as a `$ref` first, once more at each level. On a large spec
//! that was the largest single cost of loading left (Graph beta: 14k path items, 85% of its
//! text). The functions here follow `openapiv3` 2.2's serde attributes rule by rule
//! (`paths.rs`, `operation.rs`, `parameter.rs`, `request_body.rs`, `responses.rs`,
//! `status_code.rs`, `media_type.rs`, `header.rs`, `example.rs`, `encoding.rs`, `link.rs`,
//! `server.rs`, `server_variable.rs`, `callback.rs`, `security_requirement.rs`):
//!
//! - a missing `Option` field, or one that is `null`, is `None`; a missing `#[serde(default)]`
//!   field is its default, and one that is `null` is refused;
//! - keys a struct does not know are ignored, except `x-` keys, which are its extensions;
//! - a parameter's `in` picks its kind, and its `style` must be one of that kind's;
//! - a parameter or header takes its `schema` or `content` (a flattened enum): one of the two
//!   must be there (both: left to serde, which takes the first);
//! - a response's key is a status code as `StatusCode` reads it (`"200"`, `"2XX"`, `"2xx"`),
//!   other keys but `default` are ignored.
//!
//! They give `None` wherever serde refuses the value, and also in the few cases left to serde
//! (a `style` spelled as a map, a link with both `operationRef` and `operationId`):
//! [`super::Document::typed`] then runs serde. `typed_schema`'s tests check them against serde
//! on every path item and component of the repository's specs (and, by hand, of the corpus).

use indexmap::IndexMap;
use openapiv3::{
    CookieStyle, Encoding, Example, Header, HeaderStyle, Link, LinkOperation, MediaType, Operation, Parameter,
    ParameterData, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle, RequestBody, Response,
    Responses, SecurityRequirement, Server, ServerVariable, StatusCode,
};
use serde_json::{Map, Value};

use super::typed_schema::{
    any, extensions, external_docs, flag, items, map_of, optional, reference_or, schema_or_ref, string, text, Typed,
};

/// `impl Typed for Type { direct: read }` for each `Type => read`.
macro_rules! direct {
    ($($ty:ty => $read:ident),* $(,)?) => {
        $(impl Typed for $ty {
            fn direct(value: &Value) -> Option<Self> {
                $read(value)
            }
        })*
    };
}

direct! {
    PathItem => path_item,
    Operation => operation,
    Parameter => parameter,
    RequestBody => request_body,
    Response => response,
    Header => header,
}

fn path_item(value: &Value) -> Option<PathItem> {
    let map = value.as_object()?;
    let mut item = PathItem { extensions: extensions(map), ..PathItem::default() };
    for (key, value) in map {
        match key.as_str() {
            "summary" => item.summary = string(value)?,
            "description" => item.description = string(value)?,
            "get" => item.get = optional(value, operation)?,
            "put" => item.put = optional(value, operation)?,
            "post" => item.post = optional(value, operation)?,
            "delete" => item.delete = optional(value, operation)?,
            "options" => item.options = optional(value, operation)?,
            "head" => item.head = optional(value, operation)?,
            "patch" => item.patch = optional(value, operation)?,
            "trace" => item.trace = optional(value, operation)?,
            "servers" => item.servers = items(value, server)?,
            "parameters" => item.parameters = items(value, |v| reference_or(v, parameter))?,
            _ => {}
        }
    }
    Some(item)
}

fn operation(value: &Value) -> Option<Operation> {
    let map = value.as_object()?;
    let mut op = Operation { extensions: extensions(map), ..Operation::default() };
    let mut responses = None;
    for (key, value) in map {
        match key.as_str() {
            "tags" => op.tags = items(value, text)?,
            "summary" => op.summary = string(value)?,
            "description" => op.description = string(value)?,
            "externalDocs" => op.external_docs = optional(value, external_docs)?,
            "operationId" => op.operation_id = string(value)?,
            "parameters" => op.parameters = items(value, |v| reference_or(v, parameter))?,
            "requestBody" => op.request_body = optional(value, |v| reference_or(v, request_body))?,
            "responses" => responses = Some(responses_of(value)?),
            "callbacks" => op.callbacks = map_of(value, |v| map_of(v, path_item))?,
            "deprecated" => op.deprecated = value.as_bool()?,
            "security" => op.security = optional(value, |v| items(v, security_requirement))?,
            "servers" => op.servers = items(value, server)?,
            _ => {}
        }
    }
    op.responses = responses?;
    Some(op)
}

fn security_requirement(value: &Value) -> Option<SecurityRequirement> {
    map_of(value, |v| items(v, text))
}

fn server(value: &Value) -> Option<Server> {
    let map = value.as_object()?;
    let mut server = Server { extensions: extensions(map), ..Server::default() };
    let mut url = None;
    for (key, value) in map {
        match key.as_str() {
            "url" => url = Some(text(value)?),
            "description" => server.description = string(value)?,
            "variables" => server.variables = optional(value, |v| map_of(v, server_variable))?,
            _ => {}
        }
    }
    server.url = url?;
    Some(server)
}

fn server_variable(value: &Value) -> Option<ServerVariable> {
    let map = value.as_object()?;
    let mut variable = ServerVariable { extensions: extensions(map), ..ServerVariable::default() };
    let mut default = None;
    for (key, value) in map {
        match key.as_str() {
            "enum" => variable.enumeration = items(value, text)?,
            "default" => default = Some(text(value)?),
            "description" => variable.description = string(value)?,
            _ => {}
        }
    }
    variable.default = default?;
    Some(variable)
}

fn parameter(value: &Value) -> Option<Parameter> {
    let map = value.as_object()?;
    let parameter_data = parameter_data(map)?;
    let style = map.get("style");
    let parameter = match map.get("in")?.as_str()? {
        "query" => Parameter::Query {
            parameter_data,
            allow_reserved: map.get("allowReserved").map_or(Some(false), Value::as_bool)?,
            style: style.map_or(Some(QueryStyle::Form), query_style)?,
            allow_empty_value: map.get("allowEmptyValue").map_or(Some(None), flag)?,
        },
        "header" => Parameter::Header { parameter_data, style: style.map_or(Some(HeaderStyle::Simple), header_style)? },
        "path" => Parameter::Path { parameter_data, style: style.map_or(Some(PathStyle::Simple), path_style)? },
        "cookie" => Parameter::Cookie { parameter_data, style: style.map_or(Some(CookieStyle::Form), cookie_style)? },
        _ => return None,
    };
    Some(parameter)
}

fn parameter_data(map: &Map<String, Value>) -> Option<ParameterData> {
    let mut name = None;
    let mut data = ParameterData {
        name: String::new(),
        description: None,
        required: false,
        deprecated: None,
        format: schema_or_content(map)?,
        example: None,
        examples: IndexMap::new(),
        explode: None,
        extensions: extensions(map),
    };
    for (key, value) in map {
        match key.as_str() {
            "name" => name = Some(text(value)?),
            "description" => data.description = string(value)?,
            "required" => data.required = value.as_bool()?,
            "deprecated" => data.deprecated = flag(value)?,
            "example" => data.example = any(value),
            "examples" => data.examples = map_of(value, |v| reference_or(v, example))?,
            "explode" => data.explode = flag(value)?,
            _ => {}
        }
    }
    data.name = name?;
    Some(data)
}

/// The flattened `ParameterSchemaOrContent` of a parameter or header: its `schema` or its
/// `content`. Neither is refused; both are left to serde.
fn schema_or_content(map: &Map<String, Value>) -> Option<ParameterSchemaOrContent> {
    match (map.get("schema"), map.get("content")) {
        (Some(schema), None) => schema_or_ref(schema).map(ParameterSchemaOrContent::Schema),
        (None, Some(content)) => map_of(content, media_type).map(ParameterSchemaOrContent::Content),
        _ => None,
    }
}

fn query_style(value: &Value) -> Option<QueryStyle> {
    match value.as_str()? {
        "form" => Some(QueryStyle::Form),
        "spaceDelimited" => Some(QueryStyle::SpaceDelimited),
        "pipeDelimited" => Some(QueryStyle::PipeDelimited),
        "deepObject" => Some(QueryStyle::DeepObject),
        _ => None,
    }
}

fn path_style(value: &Value) -> Option<PathStyle> {
    match value.as_str()? {
        "matrix" => Some(PathStyle::Matrix),
        "label" => Some(PathStyle::Label),
        "simple" => Some(PathStyle::Simple),
        _ => None,
    }
}

fn header_style(value: &Value) -> Option<HeaderStyle> {
    (value.as_str()? == "simple").then_some(HeaderStyle::Simple)
}

fn cookie_style(value: &Value) -> Option<CookieStyle> {
    (value.as_str()? == "form").then_some(CookieStyle::Form)
}

fn request_body(value: &Value) -> Option<RequestBody> {
    let map = value.as_object()?;
    let mut body = RequestBody { extensions: extensions(map), ..RequestBody::default() };
    for (key, value) in map {
        match key.as_str() {
            "description" => body.description = string(value)?,
            "content" => body.content = map_of(value, media_type)?,
            "required" => body.required = value.as_bool()?,
            _ => {}
        }
    }
    Some(body)
}

/// `Responses`: `default`, and every key that is a status code ([`status_code`]); an
/// `IndexMap` insert, so `2XX` then `2xx` keep the first one's place and the second one's
/// response, as serde's visitor does.
fn responses_of(value: &Value) -> Option<Responses> {
    let map = value.as_object()?;
    let mut responses = Responses { extensions: extensions(map), ..Responses::default() };
    for (key, value) in map {
        if key == "default" {
            responses.default = optional(value, |v| reference_or(v, response))?;
        } else if let Some(code) = status_code(key) {
            responses.responses.insert(code, reference_or(value, response)?);
        }
    }
    Some(responses)
}

/// A key of `Responses` as `StatusCode` reads it from a string: three characters, a number
/// from 100 to 999 or a digit then `XX` (either case).
fn status_code(key: &str) -> Option<StatusCode> {
    if key.len() != 3 {
        return None;
    }
    if let Ok(number) = key.parse::<i64>() {
        return u16::try_from(number).ok().filter(|n| (100..1000).contains(n)).map(StatusCode::Code);
    }
    match key.as_bytes() {
        [n, x, y] if n.is_ascii_digit() && x.eq_ignore_ascii_case(&b'X') && y.eq_ignore_ascii_case(&b'X') => {
            Some(StatusCode::Range(u16::from(n - b'0')))
        }
        _ => None,
    }
}

fn response(value: &Value) -> Option<Response> {
    let map = value.as_object()?;
    let mut response = Response { extensions: extensions(map), ..Response::default() };
    let mut description = None;
    for (key, value) in map {
        match key.as_str() {
            "description" => description = Some(text(value)?),
            "headers" => response.headers = map_of(value, |v| reference_or(v, header))?,
            "content" => response.content = map_of(value, media_type)?,
            "links" => response.links = map_of(value, |v| reference_or(v, link))?,
            _ => {}
        }
    }
    response.description = description?;
    Some(response)
}

fn header(value: &Value) -> Option<Header> {
    let map = value.as_object()?;
    let mut header = Header {
        description: None,
        style: HeaderStyle::Simple,
        required: false,
        deprecated: None,
        format: schema_or_content(map)?,
        example: None,
        examples: IndexMap::new(),
        extensions: extensions(map),
    };
    for (key, value) in map {
        match key.as_str() {
            "description" => header.description = string(value)?,
            "style" => header.style = header_style(value)?,
            "required" => header.required = value.as_bool()?,
            "deprecated" => header.deprecated = flag(value)?,
            "example" => header.example = any(value),
            "examples" => header.examples = map_of(value, |v| reference_or(v, example))?,
            _ => {}
        }
    }
    Some(header)
}

fn media_type(value: &Value) -> Option<MediaType> {
    let map = value.as_object()?;
    let mut media = MediaType { extensions: extensions(map), ..MediaType::default() };
    for (key, value) in map {
        match key.as_str() {
            "schema" => media.schema = optional(value, schema_or_ref)?,
            "example" => media.example = any(value),
            "examples" => media.examples = map_of(value, |v| reference_or(v, example))?,
            "encoding" => media.encoding = map_of(value, encoding)?,
            _ => {}
        }
    }
    Some(media)
}

fn example(value: &Value) -> Option<Example> {
    let map = value.as_object()?;
    let mut example = Example { extensions: extensions(map), ..Example::default() };
    for (key, value) in map {
        match key.as_str() {
            "summary" => example.summary = string(value)?,
            "description" => example.description = string(value)?,
            "value" => example.value = any(value),
            "externalValue" => example.external_value = string(value)?,
            _ => {}
        }
    }
    Some(example)
}

fn encoding(value: &Value) -> Option<Encoding> {
    let map = value.as_object()?;
    let mut encoding = Encoding { extensions: extensions(map), ..Encoding::default() };
    for (key, value) in map {
        match key.as_str() {
            "contentType" => encoding.content_type = string(value)?,
            "headers" => encoding.headers = map_of(value, |v| reference_or(v, header))?,
            "style" => encoding.style = optional(value, query_style)?,
            "explode" => encoding.explode = value.as_bool()?,
            "allowReserved" => encoding.allow_reserved = value.as_bool()?,
            _ => {}
        }
    }
    Some(encoding)
}

/// A link: its flattened `LinkOperation` is its `operationRef` or its `operationId` (both are
/// left to serde, which takes the first).
fn link(value: &Value) -> Option<Link> {
    let map = value.as_object()?;
    let operation = match (map.get("operationRef"), map.get("operationId")) {
        (Some(reference), None) => LinkOperation::OperationRef(text(reference)?),
        (None, Some(id)) => LinkOperation::OperationId(text(id)?),
        _ => return None,
    };
    let mut link =
        Link { description: None, operation, request_body: None, parameters: IndexMap::new(), server: None, extensions: extensions(map) };
    for (key, value) in map {
        match key.as_str() {
            "description" => link.description = string(value)?,
            "requestBody" => link.request_body = any(value),
            "parameters" => link.parameters = map_of(value, |v| Some(v.clone()))?,
            "server" => link.server = optional(value, server)?,
            _ => {}
        }
    }
    Some(link)
}
