//! Schemas typed straight from the raw document, without serde.
//!
//! `openapiv3` reads a `Schema` as two flattened structs and a `ReferenceOr` or
//! `AdditionalProperties` as an untagged enum: serde buffers every node into its private
//! `Content` (once more at each level of nesting) and tries one variant after another, which
//! was most of the cost of typing a large spec's schemas. [`Typed::direct`] builds the same
//! values from the `serde_json::Value` itself, following `openapiv3` 2.2's serde attributes
//! rule by rule (`schema.rs`: `SchemaData`, the hand-written `SchemaKind` deserializer and its
//! `RawAnySchema`; `reference.rs`; `util.rs`: extensions). It gives `None` where serde refuses
//! the value (a wrong type anywhere in it, a schema that is not an object: serde's untagged
//! `ReferenceOr` takes a `$ref` from an object only); [`super::Document::typed`] then runs serde,
//! so a document that does not type is reported as before. `tests` check it against serde on
//! every schema of the repository's specs (and, by hand, of the whole corpus).

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Discriminator, ExternalDocumentation, IntegerType,
    NumberType, ObjectType, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind, SecurityScheme, StringType, Type,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

#[cfg(test)]
mod tests;

/// What [`super::Document::typed`] can type: with serde, after a direct conversion from the
/// raw value where there is one.
pub trait Typed: DeserializeOwned {
    /// `value` typed exactly as serde would type it, or `None` to let serde do it (always, by
    /// default).
    fn direct(value: &Value) -> Option<Self> {
        let _ = value;
        None
    }
}

impl<T: Typed> Typed for ReferenceOr<T> {
    fn direct(value: &Value) -> Option<Self> {
        reference_or(value, T::direct)
    }
}

impl Typed for Schema {
    fn direct(value: &Value) -> Option<Self> {
        schema(value)
    }
}

impl Typed for OpenAPI {}
impl Typed for SecurityScheme {}

/// `ReferenceOr<T>`: a `$ref` when the object has a string `$ref` (its other keys are then
/// ignored), else `item` of the value.
pub(super) fn reference_or<T>(value: &Value, item: impl FnOnce(&Value) -> Option<T>) -> Option<ReferenceOr<T>> {
    let Value::Object(map) = value else { return None };
    match map.get("$ref") {
        Some(Value::String(reference)) => Some(ReferenceOr::Reference { reference: reference.clone() }),
        _ => item(value).map(ReferenceOr::Item),
    }
}

pub(super) fn schema_or_ref(value: &Value) -> Option<ReferenceOr<Schema>> {
    reference_or(value, schema)
}

fn boxed_schema_or_ref(value: &Value) -> Option<ReferenceOr<Box<Schema>>> {
    reference_or(value, |value| schema(value).map(Box::new))
}

/// A schema object: every key is read by `SchemaData` (its fields, and `x-` extensions) and by
/// the keywords of its kind; other keys are ignored.
fn schema(value: &Value) -> Option<Schema> {
    let Value::Object(map) = value else { return None };
    let mut schema_data = SchemaData::default();
    let mut keywords = Keywords::default();
    for (key, value) in map {
        if !read_data(&mut schema_data, key, value)? {
            keywords.read(key, value)?;
        }
    }
    let schema_kind = keywords.kind()?;
    Some(Schema { schema_data, schema_kind })
}

/// Reads `key` into `data`: `Some(true)` if it is one of `SchemaData`'s keys, `Some(false)` if
/// not, `None` if serde would refuse its value.
fn read_data(data: &mut SchemaData, key: &str, value: &Value) -> Option<bool> {
    match key {
        "nullable" => data.nullable = value.as_bool()?,
        "readOnly" => data.read_only = value.as_bool()?,
        "writeOnly" => data.write_only = value.as_bool()?,
        "deprecated" => data.deprecated = value.as_bool()?,
        "externalDocs" => data.external_docs = optional(value, external_docs)?,
        "example" => data.example = any(value),
        "title" => data.title = string(value)?,
        "description" => data.description = string(value)?,
        "discriminator" => data.discriminator = optional(value, discriminator)?,
        "default" => data.default = any(value),
        _ if key.starts_with("x-") => {
            data.extensions.insert(key.to_string(), value.clone());
        }
        _ => return Some(false),
    }
    Some(true)
}

/// An `Option<T>` field as serde reads it: `null` is `None`, any other value must be a `T`
/// (`read`); `None` when it is not.
pub(super) fn optional<'v, T>(value: &'v Value, read: impl FnOnce(&'v Value) -> Option<T>) -> Option<Option<T>> {
    if value.is_null() {
        Some(None)
    } else {
        read(value).map(Some)
    }
}

/// An `Option<serde_json::Value>` field: anything, `null` being `None`.
pub(super) fn any(value: &Value) -> Option<Value> {
    (!value.is_null()).then(|| value.clone())
}

/// A `String` field (required, not an `Option`).
pub(super) fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

pub(super) fn string(value: &Value) -> Option<Option<String>> {
    optional(value, text)
}

pub(super) fn flag(value: &Value) -> Option<Option<bool>> {
    optional(value, Value::as_bool)
}

/// An `Option<usize>`: a non-negative integer (not a float, even a whole one).
fn count(value: &Value) -> Option<Option<usize>> {
    optional(value, |v| v.as_u64().and_then(|n| usize::try_from(n).ok()))
}

fn number(value: &Value) -> Option<Option<&Number>> {
    optional(value, |v| match v {
        Value::Number(n) => Some(n),
        _ => None,
    })
}

/// A `Vec<T>`: an array whose every item is a `T` (`read`).
pub(super) fn items<T>(value: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    value.as_array()?.iter().map(read).collect()
}

/// An `IndexMap<String, T>`: an object whose every value is a `T` (`read`), in document
/// order.
pub(super) fn map_of<T>(value: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<IndexMap<String, T>> {
    value.as_object()?.iter().map(|(k, v)| Some((k.clone(), read(v)?))).collect()
}

/// `Option<Vec<T>>`: an array whose every item is a `T` (`read`).
fn list<T>(value: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Option<Vec<T>>> {
    optional(value, |v| items(v, read))
}

/// The `x-` keys of an object that `openapiv3` reads extensions from.
pub(super) fn extensions(map: &Map<String, Value>) -> IndexMap<String, Value> {
    map.iter().filter(|(k, _)| k.starts_with("x-")).map(|(k, v)| (k.clone(), v.clone())).collect()
}

pub(super) fn external_docs(value: &Value) -> Option<ExternalDocumentation> {
    let map = value.as_object()?;
    let description = match map.get("description") {
        Some(v) => string(v)?,
        None => None,
    };
    let url = text(map.get("url")?)?;
    Some(ExternalDocumentation { description, url, extensions: extensions(map) })
}

fn discriminator(value: &Value) -> Option<Discriminator> {
    let map = value.as_object()?;
    let property_name = text(map.get("propertyName")?)?;
    let mapping = match map.get("mapping") {
        Some(v) => map_of(v, text)?,
        None => IndexMap::new(),
    };
    Some(Discriminator { property_name, mapping, extensions: extensions(map) })
}

/// One bit per keyword of `openapiv3`'s `RawAnySchema` (the keywords that choose a
/// `SchemaKind`), set when the keyword is there and not `null`.
mod bit {
    pub const TYPE: u32 = 1;
    pub const PATTERN: u32 = 1 << 1;
    pub const MULTIPLE_OF: u32 = 1 << 2;
    pub const EXCLUSIVE_MINIMUM: u32 = 1 << 3;
    pub const EXCLUSIVE_MAXIMUM: u32 = 1 << 4;
    pub const MINIMUM: u32 = 1 << 5;
    pub const MAXIMUM: u32 = 1 << 6;
    pub const PROPERTIES: u32 = 1 << 7;
    pub const REQUIRED: u32 = 1 << 8;
    pub const ADDITIONAL_PROPERTIES: u32 = 1 << 9;
    pub const MIN_PROPERTIES: u32 = 1 << 10;
    pub const MAX_PROPERTIES: u32 = 1 << 11;
    pub const ITEMS: u32 = 1 << 12;
    pub const MIN_ITEMS: u32 = 1 << 13;
    pub const MAX_ITEMS: u32 = 1 << 14;
    pub const UNIQUE_ITEMS: u32 = 1 << 15;
    pub const ENUM: u32 = 1 << 16;
    pub const FORMAT: u32 = 1 << 17;
    pub const MIN_LENGTH: u32 = 1 << 18;
    pub const MAX_LENGTH: u32 = 1 << 19;
    pub const ONE_OF: u32 = 1 << 20;
    pub const ALL_OF: u32 = 1 << 21;
    pub const ANY_OF: u32 = 1 << 22;
    pub const NOT: u32 = 1 << 23;

    /// The keywords a `Type::String` may have; likewise below.
    pub const STRING: u32 = TYPE | PATTERN | ENUM | FORMAT | MIN_LENGTH | MAX_LENGTH;
    /// `Type::Number` and `Type::Integer`.
    pub const NUMBER: u32 = TYPE | MULTIPLE_OF | EXCLUSIVE_MINIMUM | EXCLUSIVE_MAXIMUM | MINIMUM | MAXIMUM | ENUM | FORMAT;
    pub const BOOLEAN: u32 = TYPE | ENUM;
    pub const OBJECT: u32 = TYPE | PROPERTIES | REQUIRED | ADDITIONAL_PROPERTIES | MIN_PROPERTIES | MAX_PROPERTIES;
    pub const ARRAY: u32 = TYPE | ITEMS | MIN_ITEMS | MAX_ITEMS | UNIQUE_ITEMS;
}

/// A schema's `RawAnySchema` keywords, read (every one is an `Option`, `null` being `None`).
#[derive(Default)]
struct Keywords<'v> {
    /// The [`bit`]s of the keywords that are `Some`.
    present: u32,
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<&'v Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<&'v Number>,
    maximum: Option<&'v Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<&'v Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

/// Which `SchemaKind` `openapiv3` makes of a schema's keywords, with the enumeration of a
/// `Type` (`null` items are `None`).
enum Shape {
    String(Vec<Option<String>>),
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i64>>),
    Boolean(Vec<Option<bool>>),
    Object,
    Array,
    OneOf,
    AllOf,
    AnyOf,
    Not,
    Any,
}

/// The items of `enumeration` as `T`s (`null` ones as `None`), if every other one is a `T`.
fn values<T>(enumeration: Option<&Vec<Value>>, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<Option<T>>> {
    let Some(values) = enumeration else { return Some(Vec::new()) };
    values.iter().map(|v| if v.is_null() { Some(None) } else { read(v).map(Some) }).collect()
}

impl<'v> Keywords<'v> {
    /// Reads `key`, if it is one of the keywords; `None` if serde would refuse its value.
    fn read(&mut self, key: &str, value: &'v Value) -> Option<()> {
        let bit = match key {
            "type" => set(&mut self.typ, string(value)?, bit::TYPE),
            "pattern" => set(&mut self.pattern, string(value)?, bit::PATTERN),
            "multipleOf" => set(&mut self.multiple_of, number(value)?, bit::MULTIPLE_OF),
            "exclusiveMinimum" => set(&mut self.exclusive_minimum, flag(value)?, bit::EXCLUSIVE_MINIMUM),
            "exclusiveMaximum" => set(&mut self.exclusive_maximum, flag(value)?, bit::EXCLUSIVE_MAXIMUM),
            "minimum" => set(&mut self.minimum, number(value)?, bit::MINIMUM),
            "maximum" => set(&mut self.maximum, number(value)?, bit::MAXIMUM),
            "properties" => set(&mut self.properties, properties(value)?, bit::PROPERTIES),
            "required" => set(&mut self.required, list(value, text)?, bit::REQUIRED),
            "additionalProperties" => {
                set(&mut self.additional_properties, optional(value, additional_properties)?, bit::ADDITIONAL_PROPERTIES)
            }
            "minProperties" => set(&mut self.min_properties, count(value)?, bit::MIN_PROPERTIES),
            "maxProperties" => set(&mut self.max_properties, count(value)?, bit::MAX_PROPERTIES),
            "items" => set(&mut self.items, optional(value, boxed_schema_or_ref)?, bit::ITEMS),
            "minItems" => set(&mut self.min_items, count(value)?, bit::MIN_ITEMS),
            "maxItems" => set(&mut self.max_items, count(value)?, bit::MAX_ITEMS),
            "uniqueItems" => set(&mut self.unique_items, flag(value)?, bit::UNIQUE_ITEMS),
            "enum" => set(&mut self.enumeration, optional(value, Value::as_array)?, bit::ENUM),
            "format" => set(&mut self.format, string(value)?, bit::FORMAT),
            "minLength" => set(&mut self.min_length, count(value)?, bit::MIN_LENGTH),
            "maxLength" => set(&mut self.max_length, count(value)?, bit::MAX_LENGTH),
            "oneOf" => set(&mut self.one_of, list(value, schema_or_ref)?, bit::ONE_OF),
            "allOf" => set(&mut self.all_of, list(value, schema_or_ref)?, bit::ALL_OF),
            "anyOf" => set(&mut self.any_of, list(value, schema_or_ref)?, bit::ANY_OF),
            "not" => set(&mut self.not, optional(value, |v| schema_or_ref(v).map(Box::new))?, bit::NOT),
            _ => 0,
        };
        self.present |= bit;
        Some(())
    }

    /// The `SchemaKind` `openapiv3` chooses: a `Type` when `type` names one and only that
    /// type's keywords are there (its `enum` items of that type or `null`; an integer's bounds
    /// integers), a composition when its keyword is the only one, else `Any`.
    fn shape(&self) -> Shape {
        let only = |allowed: u32| self.present & !allowed == 0;
        let integral = [self.multiple_of, self.minimum, self.maximum].into_iter().flatten().all(Number::is_i64);
        let shape = match self.typ.as_deref() {
            Some("string") if only(bit::STRING) => values(self.enumeration, |v| v.as_str().map(str::to_string)).map(Shape::String),
            Some("number") if only(bit::NUMBER) => values(self.enumeration, Value::as_f64).map(Shape::Number),
            Some("integer") if only(bit::NUMBER) && integral => values(self.enumeration, Value::as_i64).map(Shape::Integer),
            Some("boolean") if only(bit::BOOLEAN) => values(self.enumeration, Value::as_bool).map(Shape::Boolean),
            Some("object") if only(bit::OBJECT) => Some(Shape::Object),
            Some("array") if only(bit::ARRAY) => Some(Shape::Array),
            Some(_) => None,
            None => match self.present {
                bit::ONE_OF => Some(Shape::OneOf),
                bit::ALL_OF => Some(Shape::AllOf),
                bit::ANY_OF => Some(Shape::AnyOf),
                bit::NOT => Some(Shape::Not),
                _ => None,
            },
        };
        shape.unwrap_or(Shape::Any)
    }

    /// The `SchemaKind` (`None` only if [`Keywords::shape`] contradicted the keywords).
    fn kind(self) -> Option<SchemaKind> {
        let kind = match self.shape() {
            Shape::String(enumeration) => SchemaKind::Type(Type::String(StringType {
                format: self.format.into(),
                pattern: self.pattern,
                enumeration,
                min_length: self.min_length,
                max_length: self.max_length,
            })),
            Shape::Number(enumeration) => SchemaKind::Type(Type::Number(NumberType {
                format: self.format.into(),
                multiple_of: self.multiple_of.and_then(Number::as_f64),
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: self.minimum.and_then(Number::as_f64),
                maximum: self.maximum.and_then(Number::as_f64),
                enumeration,
            })),
            Shape::Integer(enumeration) => SchemaKind::Type(Type::Integer(IntegerType {
                format: self.format.into(),
                multiple_of: self.multiple_of.and_then(Number::as_i64),
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: self.minimum.and_then(Number::as_i64),
                maximum: self.maximum.and_then(Number::as_i64),
                enumeration,
            })),
            Shape::Boolean(enumeration) => SchemaKind::Type(Type::Boolean(BooleanType { enumeration })),
            Shape::Object => SchemaKind::Type(Type::Object(ObjectType {
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
            })),
            Shape::Array => SchemaKind::Type(Type::Array(ArrayType {
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items.unwrap_or_default(),
            })),
            Shape::OneOf => SchemaKind::OneOf { one_of: self.one_of? },
            Shape::AllOf => SchemaKind::AllOf { all_of: self.all_of? },
            Shape::AnyOf => SchemaKind::AnyOf { any_of: self.any_of? },
            Shape::Not => SchemaKind::Not { not: self.not? },
            Shape::Any => SchemaKind::Any(self.any()),
        };
        Some(kind)
    }

    fn any(self) -> AnySchema {
        AnySchema {
            typ: self.typ,
            pattern: self.pattern,
            multiple_of: self.multiple_of.and_then(Number::as_f64),
            exclusive_minimum: self.exclusive_minimum,
            exclusive_maximum: self.exclusive_maximum,
            minimum: self.minimum.and_then(Number::as_f64),
            maximum: self.maximum.and_then(Number::as_f64),
            properties: self.properties.unwrap_or_default(),
            required: self.required.unwrap_or_default(),
            additional_properties: self.additional_properties,
            min_properties: self.min_properties,
            max_properties: self.max_properties,
            items: self.items,
            min_items: self.min_items,
            max_items: self.max_items,
            unique_items: self.unique_items,
            enumeration: self.enumeration.cloned().unwrap_or_default(),
            format: self.format,
            min_length: self.min_length,
            max_length: self.max_length,
            one_of: self.one_of.unwrap_or_default(),
            all_of: self.all_of.unwrap_or_default(),
            any_of: self.any_of.unwrap_or_default(),
            not: self.not,
        }
    }
}

/// Stores a keyword read as `value`; its [`bit`] if it is `Some`, else 0.
fn set<T>(slot: &mut Option<T>, value: Option<T>, bit: u32) -> u32 {
    let bit = if value.is_some() { bit } else { 0 };
    *slot = value;
    bit
}

fn properties(value: &Value) -> Option<Option<IndexMap<String, ReferenceOr<Box<Schema>>>>> {
    optional(value, |v| map_of(v, boxed_schema_or_ref))
}

/// `AdditionalProperties` (untagged): a boolean, else a schema.
fn additional_properties(value: &Value) -> Option<AdditionalProperties> {
    match value {
        Value::Bool(b) => Some(AdditionalProperties::Any(*b)),
        _ => schema_or_ref(value).map(|s| AdditionalProperties::Schema(Box::new(s))),
    }
}
