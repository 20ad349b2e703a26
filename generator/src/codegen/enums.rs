//! String and integer enums, closed or open (`x-extensible-enum`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, ident};
use crate::ir::EnumVariant;

/// A named enum with `as_str`/`Display`/`FromStr`, serde, and parameter encoding.
pub fn enumeration(name: &str, variants: &[EnumVariant], open: bool, integer: bool, docs: TokenStream) -> TokenStream {
    let ty = ident(name);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let value_docs = variants.iter().map(|v| {
        let text = match &v.value {
            serde_json::Value::String(s) => format!("`{s}`"),
            other => format!("`{other}`"),
        };
        doc(&[v.doc.as_deref(), Some(&text)])
    });
    let common = quote! {
        impl std::fmt::Display for #ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.as_wire(), f)
            }
        }

        impl runtime::ParamValue for #ty {
            fn to_param(&self) -> String {
                self.to_string()
            }

            fn from_param(text: &str) -> Result<Self, String> {
                text.parse().map_err(|e: runtime::UnknownValue| e.to_string())
            }
        }

        impl runtime::Validate for #ty {
            fn validate(&self, _path: &str) -> Result<(), String> {
                Ok(())
            }
        }
    };
    if integer {
        let values: Vec<Literal> = variants.iter().map(|v| Literal::i64_unsuffixed(v.value.as_i64().unwrap_or_default())).collect();
        return quote! {
            #docs
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #ty {
                #(#value_docs #idents,)*
            }

            impl #ty {
                /// The value on the wire.
                pub const fn as_i64(&self) -> i64 {
                    match self {
                        #(Self::#idents => #values,)*
                    }
                }

                fn as_wire(&self) -> i64 {
                    self.as_i64()
                }
            }

            impl TryFrom<i64> for #ty {
                type Error = runtime::UnknownValue;

                fn try_from(value: i64) -> Result<Self, Self::Error> {
                    match value {
                        #(#values => Ok(Self::#idents),)*
                        other => Err(runtime::UnknownValue::new(#name, other.to_string())),
                    }
                }
            }

            impl std::str::FromStr for #ty {
                type Err = runtime::UnknownValue;

                fn from_str(text: &str) -> Result<Self, Self::Err> {
                    let value: i64 = text.parse().map_err(|_| runtime::UnknownValue::new(#name, text.to_string()))?;
                    Self::try_from(value)
                }
            }

            impl serde::Serialize for #ty {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.as_i64())
                }
            }

            impl<'de> serde::Deserialize<'de> for #ty {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <i64 as serde::Deserialize>::deserialize(deserializer)?;
                    Self::try_from(value).map_err(serde::de::Error::custom)
                }
            }

            #common
        };
    }
    let values: Vec<String> = variants.iter().map(|v| v.value.as_str().unwrap_or_default().to_string()).collect();
    if open {
        return quote! {
            #docs
            ///
            /// Open enum: values this version does not know are kept in `Other`.
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #ty {
                #(#value_docs #idents,)*
                /// A value not listed in the spec.
                Other(String),
            }

            impl #ty {
                /// The value on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #values,)*
                        Self::Other(other) => other,
                    }
                }

                fn as_wire(&self) -> &str {
                    self.as_str()
                }
            }

            impl From<&str> for #ty {
                fn from(value: &str) -> Self {
                    match value {
                        #(#values => Self::#idents,)*
                        other => Self::Other(other.to_string()),
                    }
                }
            }

            impl From<String> for #ty {
                fn from(value: String) -> Self {
                    Self::from(value.as_str())
                }
            }

            impl std::str::FromStr for #ty {
                type Err = runtime::UnknownValue;

                fn from_str(text: &str) -> Result<Self, Self::Err> {
                    Ok(Self::from(text))
                }
            }

            impl serde::Serialize for #ty {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> serde::Deserialize<'de> for #ty {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::from(value))
                }
            }

            #common
        };
    }
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum #ty {
            #(#value_docs #[serde(rename = #values)] #idents,)*
        }

        impl #ty {
            /// The value on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#idents => #values,)*
                }
            }

            fn as_wire(&self) -> &'static str {
                self.as_str()
            }
        }

        impl std::str::FromStr for #ty {
            type Err = runtime::UnknownValue;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    #(#values => Ok(Self::#idents),)*
                    other => Err(runtime::UnknownValue::new(#name, other.to_string())),
                }
            }
        }

        #common
    }
}
