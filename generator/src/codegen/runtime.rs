//! The `runtime` module of each generated API: small helpers the models, client and server
//! share (parameter text encoding, union matching, validation). Generated per API so that the
//! output needs no support crate of ours.

use proc_macro2::TokenStream;
use quote::quote;

use super::{uses_chrono, Options};
use crate::ir::Api;

pub fn runtime(api: &Api, _options: Options) -> TokenStream {
    let chrono = uses_chrono(api).then(|| {
        quote! {
            impl ParamValue for chrono::DateTime<chrono::Utc> {
                fn to_param(&self) -> String {
                    self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    chrono::DateTime::parse_from_rfc3339(text)
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .map_err(|e| e.to_string())
                }
            }

            impl ParamValue for chrono::NaiveDate {
                fn to_param(&self) -> String {
                    self.format("%Y-%m-%d").to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|e: chrono::ParseError| e.to_string())
                }
            }

            impl Validate for chrono::DateTime<chrono::Utc> {
                fn validate(&self, _path: &str) -> Result<(), String> {
                    Ok(())
                }
            }

            impl Validate for chrono::NaiveDate {
                fn validate(&self, _path: &str) -> Result<(), String> {
                    Ok(())
                }
            }
        }
    });
    let prim_validates = [quote! { bool }, quote! { u8 }, quote! { i32 }, quote! { i64 }, quote! { u32 }, quote! { u64 }, quote! { f32 }, quote! { f64 }]
        .into_iter()
        .map(|ty| {
            quote! {
                impl Validate for #ty {
                    fn validate(&self, _path: &str) -> Result<(), String> {
                        Ok(())
                    }
                }
            }
        });
    quote! {
        /// Helpers shared by the models, the client and the server of this API.
        pub mod runtime {
            /// A value that is not one of an enum's values.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct UnknownValue {
                /// The enum.
                pub type_name: &'static str,
                /// The value that was not recognized.
                pub value: String,
            }

            impl UnknownValue {
                /// A value `value` that is not one of `type_name`'s.
                pub fn new(type_name: &'static str, value: String) -> Self {
                    UnknownValue { type_name, value }
                }
            }

            impl std::fmt::Display for UnknownValue {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "`{}` is not a valid {}", self.value, self.type_name)
                }
            }

            impl std::error::Error for UnknownValue {}

            /// The text form of a path, query, header or cookie parameter value.
            pub trait ParamValue: Sized {
                /// Encodes the value.
                fn to_param(&self) -> String;
                /// Decodes the value, or says why it cannot.
                fn from_param(text: &str) -> Result<Self, String>;
            }

            impl ParamValue for String {
                fn to_param(&self) -> String {
                    self.clone()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    Ok(text.to_string())
                }
            }

            impl ParamValue for bool {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not `true` or `false`"))
                }
            }

            impl ParamValue for i32 {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not a 32-bit integer"))
                }
            }

            impl ParamValue for i64 {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not a 64-bit integer"))
                }
            }

            impl ParamValue for u32 {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not an unsigned 32-bit integer"))
                }
            }

            impl ParamValue for u64 {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not an unsigned 64-bit integer"))
                }
            }

            impl ParamValue for f32 {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not a number"))
                }
            }

            impl ParamValue for f64 {
                fn to_param(&self) -> String {
                    self.to_string()
                }

                fn from_param(text: &str) -> Result<Self, String> {
                    text.parse().map_err(|_| format!("`{text}` is not a number"))
                }
            }

            /// Checks the limits the spec puts on a value and the values inside it.
            pub trait Validate {
                /// `Err` names the first value (by its dotted `path`) that breaks a limit.
                fn validate(&self, path: &str) -> Result<(), String>;
            }

            impl Validate for String {
                fn validate(&self, _path: &str) -> Result<(), String> {
                    Ok(())
                }
            }

            #(#prim_validates)*

            impl Validate for serde_json::Value {
                fn validate(&self, _path: &str) -> Result<(), String> {
                    Ok(())
                }
            }

            impl<T: Validate> Validate for Option<T> {
                fn validate(&self, path: &str) -> Result<(), String> {
                    match self {
                        Some(inner) => inner.validate(path),
                        None => Ok(()),
                    }
                }
            }

            impl<T: Validate> Validate for Vec<T> {
                fn validate(&self, path: &str) -> Result<(), String> {
                    for (i, item) in self.iter().enumerate() {
                        item.validate(&format!("{path}[{i}]"))?;
                    }
                    Ok(())
                }
            }

            impl<T: Validate> Validate for Box<T> {
                fn validate(&self, path: &str) -> Result<(), String> {
                    (**self).validate(path)
                }
            }

            impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
                fn validate(&self, path: &str) -> Result<(), String> {
                    for (key, item) in self {
                        item.validate(&field_path(path, key))?;
                    }
                    Ok(())
                }
            }

            /// Limits from the schema: lengths of strings, bounds of numbers, sizes of arrays.
            #[derive(Clone, Copy, Debug, Default)]
            pub struct Limits {
                /// `minLength`.
                pub min_length: Option<usize>,
                /// `maxLength`.
                pub max_length: Option<usize>,
                /// `minimum`.
                pub minimum: Option<f64>,
                /// `maximum`.
                pub maximum: Option<f64>,
                /// `minItems`.
                pub min_items: Option<usize>,
                /// `maxItems`.
                pub max_items: Option<usize>,
            }

            /// A value [`Limits`] apply to.
            pub trait Limited {
                /// `Err` says which limit `path` breaks.
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String>;
            }

            impl Limited for String {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    let len = self.chars().count();
                    if let Some(min) = limits.min_length.filter(|min| len < *min) {
                        return Err(format!("`{path}` must be at least {min} characters long"));
                    }
                    if let Some(max) = limits.max_length.filter(|max| len > *max) {
                        return Err(format!("`{path}` must be at most {max} characters long"));
                    }
                    Ok(())
                }
            }

            fn check_number(value: f64, limits: &Limits, path: &str) -> Result<(), String> {
                if let Some(min) = limits.minimum.filter(|min| value < *min) {
                    return Err(format!("`{path}` must be at least {min}"));
                }
                if let Some(max) = limits.maximum.filter(|max| value > *max) {
                    return Err(format!("`{path}` must be at most {max}"));
                }
                Ok(())
            }

            impl Limited for i32 {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    check_number(f64::from(*self), limits, path)
                }
            }

            impl Limited for i64 {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    check_number(*self as f64, limits, path)
                }
            }

            impl Limited for u32 {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    check_number(f64::from(*self), limits, path)
                }
            }

            impl Limited for u64 {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    check_number(*self as f64, limits, path)
                }
            }

            impl Limited for f32 {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    check_number(f64::from(*self), limits, path)
                }
            }

            impl Limited for f64 {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    check_number(*self, limits, path)
                }
            }

            impl<T> Limited for Vec<T> {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    if let Some(min) = limits.min_items.filter(|min| self.len() < *min) {
                        return Err(format!("`{path}` must have at least {min} items"));
                    }
                    if let Some(max) = limits.max_items.filter(|max| self.len() > *max) {
                        return Err(format!("`{path}` must have at most {max} items"));
                    }
                    Ok(())
                }
            }

            impl<T: Limited> Limited for Option<T> {
                fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                    match self {
                        Some(inner) => inner.check(limits, path),
                        None => Ok(()),
                    }
                }
            }

            /// `parent.field` (or `field` at the top).
            pub fn field_path(parent: &str, field: &str) -> String {
                if parent.is_empty() { field.to_string() } else { format!("{parent}.{field}") }
            }

            /// A way to decode one alternative of a `oneOf`/`anyOf`: its property names and decoder.
            pub type Candidate<T> = (&'static [&'static str], fn(serde_json::Value) -> Result<T, serde_json::Error>);

            /// Decodes a `oneOf`/`anyOf` without discriminator: of the alternatives that accept
            /// the value, the one that knows the most of its properties wins (the first on a tie).
            pub fn pick_variant<T>(value: serde_json::Value, type_name: &str, candidates: &[Candidate<T>]) -> Result<T, String> {
                let mut best: Option<(usize, T)> = None;
                let mut first_error = None;
                for (properties, decode) in candidates {
                    match decode(value.clone()) {
                        Ok(decoded) => {
                            let unknown = match &value {
                                serde_json::Value::Object(map) => map.keys().filter(|k| !properties.contains(&k.as_str())).count(),
                                _ => 0,
                            };
                            if best.as_ref().is_none_or(|(fewest, _)| unknown < *fewest) {
                                best = Some((unknown, decoded));
                            }
                        }
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                match (best, first_error) {
                    (Some((_, decoded)), _) => Ok(decoded),
                    (None, Some(e)) => Err(format!("not a valid {type_name}: {e}")),
                    (None, None) => Err(format!("not a valid {type_name}")),
                }
            }

            #chrono
        }
    }
}
