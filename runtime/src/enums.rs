//! `string_enum!` and `integer_enum!`: the enums of generated models, with their wire
//! values, parsing, `Display`, serde and parameter encoding, and the generic functions their
//! impls call (one function per impl rather than a body of its own).

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer};

use crate::ParamValue;

/// Decodes an enum from its string value (`T::from_str`).
///
/// # Errors
///
/// A value that is not a string, or one `T` does not list.
pub fn deserialize_str<'de, T: FromStr, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>
where
    T::Err: Display,
{
    let text = Cow::<'de, str>::deserialize(deserializer)?;
    text.parse().map_err(de::Error::custom)
}

/// Decodes an integer enum from its value (`T::try_from`).
///
/// # Errors
///
/// A value that is not an integer, or one `T` does not list.
pub fn deserialize_i64<'de, T: TryFrom<i64>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>
where
    T::Error: Display,
{
    let value = i64::deserialize(deserializer)?;
    T::try_from(value).map_err(de::Error::custom)
}

/// An enum of a generated model ([`string_enum!`](crate::string_enum!),
/// [`integer_enum!`](crate::integer_enum!)): a parameter is its text, as `Display` writes
/// it and `FromStr` reads it. One empty impl per enum instead of a `ParamValue` impl of its
/// own.
pub trait Enum: FromStr + Display {}

impl<T: Enum> ParamValue for T
where
    T::Err: Display,
{
    fn to_param(&self) -> String {
        self.to_string()
    }

    fn from_param(text: &str) -> Result<Self, String> {
        text.parse().map_err(|e: T::Err| e.to_string())
    }
}

/// A string enum of a generated model.
///
/// ```
/// oauth_api::string_enum! {
///     closed;
///     /// How a client authenticates.
///     pub enum Method {
///         Basic = "basic",
///         /// The client secret in the body.
///         Post = "post",
///     }
/// }
/// assert_eq!("post".parse::<Method>().unwrap(), Method::Post);
/// assert!("Post".parse::<Method>().is_err());
/// ```
///
/// Each variant's docs end with its value (`` `post` ``).
///
/// The first word picks the kind:
/// - `closed`: only the listed values; anything else fails to decode. `Copy`.
/// - `open`: values this version does not know are kept in an `Other(String)` variant
///   (`x-extensible-enum`, OAuth error codes).
/// - `open_ignore_case`: `open`, and values compare without regard to ASCII case (an OAuth
///   `token_type`: `"Bearer"` is `"bearer"`, RFC 6749 §5.1); the listed spelling is written.
#[macro_export]
macro_rules! string_enum {
    (closed; $(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* #[doc = ""] #[doc = concat!(" `", $value, "`")] $variant,)*
        }

        impl $name {
            /// The value on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)*
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                match text {
                    $($value => Ok(Self::$variant),)*
                    other => Err($crate::UnknownValue::new(stringify!($name), other)),
                }
            }
        }

        $crate::string_enum!(@common $name);
    };
    (open; $(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $crate::string_enum!(@open $name, $vis, [$(#[$meta])*], [$($(#[$vmeta])* $variant = $value,)*], |value| match value {
            $($value => Self::$variant,)*
            other => Self::Other(other.to_string()),
        });
    };
    (open_ignore_case; $(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $crate::string_enum!(@open $name, $vis, [$(#[$meta])*], [$($(#[$vmeta])* $variant = $value,)*], |value| {
            $(if value.eq_ignore_ascii_case($value) {
                return Self::$variant;
            })*
            Self::Other(value.to_string())
        });
    };
    (@open $name:ident, $vis:vis, [$($meta:tt)*], [$($(#[$vmeta:meta])* $variant:ident = $value:literal,)*], |$arg:ident| $parse:expr) => {
        $($meta)*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* #[doc = ""] #[doc = concat!(" `", $value, "`")] $variant,)*
            /// A value not listed in the spec, as received.
            Other(String),
        }

        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Other(other) => other,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from($arg: &str) -> Self {
                $parse
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(text))
            }
        }

        $crate::string_enum!(@common $name);
    };
    (@common $name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::enums::deserialize_str(deserializer)
            }
        }

        impl $crate::enums::Enum for $name {}

        impl $crate::Validate for $name {
            fn may_fail() -> bool {
                false
            }
        }
    };
}

/// An integer enum of a generated model: only the listed values decode. Each variant's docs
/// end with its value.
///
/// ```
/// oauth_api::integer_enum! {
///     /// A page size.
///     pub enum Size {
///         Ten = 10,
///         Twenty = 20,
///     }
/// }
/// assert_eq!(serde_json::to_string(&Size::Ten).unwrap(), "10");
/// assert_eq!(serde_json::from_str::<Size>("20").unwrap(), Size::Twenty);
/// assert!(serde_json::from_str::<Size>("30").is_err());
/// ```
#[macro_export]
macro_rules! integer_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* #[doc = ""] #[doc = concat!(" `", $value, "`")] $variant,)*
        }

        impl $name {
            /// The value on the wire.
            pub const fn as_i64(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                }
            }
        }

        impl ::std::convert::TryFrom<i64> for $name {
            type Error = $crate::UnknownValue;

            fn try_from(value: i64) -> ::std::result::Result<Self, Self::Error> {
                match value {
                    $($value => Ok(Self::$variant),)*
                    other => Err($crate::UnknownValue::new(stringify!($name), other.to_string())),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                let value: i64 = text.parse().map_err(|_| $crate::UnknownValue::new(stringify!($name), text))?;
                Self::try_from(value)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::enums::deserialize_i64(deserializer)
            }
        }

        impl $crate::enums::Enum for $name {}

        impl $crate::Validate for $name {
            fn may_fail() -> bool {
                false
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::string_enum! {
        open_ignore_case;
        /// A token type.
        pub enum Kind {
            /// `bearer`
            Bearer = "bearer",
            /// `N_A`
            NotApplicable = "N_A",
        }
    }

    crate::string_enum! {
        open;
        /// An error code.
        pub enum Code {
            /// `invalid_grant`
            InvalidGrant = "invalid_grant",
        }
    }

    #[test]
    fn open_enums_keep_unknown_values_and_may_ignore_case() {
        assert_eq!(serde_json::from_str::<Kind>("\"Bearer\"").unwrap(), Kind::Bearer);
        assert_eq!(serde_json::to_string(&Kind::Bearer).unwrap(), "\"bearer\"");
        assert_eq!(Kind::from("DPoP"), Kind::Other("DPoP".into()));
        assert_eq!(Kind::from("n_a"), Kind::NotApplicable);
        assert_eq!(Code::from("Invalid_Grant"), Code::Other("Invalid_Grant".into()));
        assert_eq!(Code::from("invalid_grant").to_string(), "invalid_grant");
        assert_eq!(<Code as crate::ParamValue>::from_param("x"), Ok(Code::Other("x".into())));
    }
}
