//! [`one_of!`](crate::one_of) and [`decode_union`]: `oneOf` / `anyOf` values.

use serde_json::Value;

/// One alternative of a `oneOf`/`anyOf`: its property names, the values of the tag that pick
/// it, and its decoder.
pub type Candidate<'a, T> = (&'static [&'static str], &'static [&'static str], &'a dyn Decode<T>);

/// Decodes a value as one alternative of `T`.
pub trait Decode<T> {
    /// `T` from `value`.
    ///
    /// # Errors
    ///
    /// When `value` does not decode as the alternative.
    fn decode(&self, value: Value) -> Result<T, serde_json::Error>;
}

/// The alternative of `T` that holds an `A`: its constructor (an enum variant).
pub struct Variant<A, T>(pub fn(A) -> T);

impl<A: serde::de::DeserializeOwned, T> Decode<T> for Variant<A, T> {
    fn decode(&self, value: Value) -> Result<T, serde_json::Error> {
        serde_json::from_value(value).map(self.0)
    }
}

/// A property whose value tells the alternatives of a `oneOf`/`anyOf` apart.
#[derive(Clone, Copy, Debug)]
pub struct Tag<'a> {
    /// The property (`grant_type`, `type` …).
    pub property: &'a str,
    /// An explicit `discriminator`: the property must be present.
    pub required: bool,
}

/// Decodes a `oneOf`/`anyOf` value into one of `candidates`.
///
/// With a [`Tag`] (an explicit `discriminator`, or a property with one value per
/// alternative such as an OAuth `grant_type`), the property's value picks the alternative
/// that lists it, and a value no alternative has is an error. Required tags (explicit
/// discriminators) must be present; other tags fall back to matching when absent. Matching
/// decodes every alternative and keeps the one that leaves the fewest of the value's
/// properties unknown (the first on a tie).
///
/// # Errors
///
/// A message naming `type_name` when no alternative decodes.
pub fn decode_union<T>(value: Value, type_name: &str, tag: Option<Tag<'_>>, candidates: &[Candidate<'_, T>]) -> Result<T, String> {
    if let Some(Tag { property, required }) = tag {
        match value.get(property) {
            Some(Value::String(found)) => {
                let Some((_, _, decoder)) = candidates.iter().find(|(_, values, _)| values.contains(&found.as_str())) else {
                    return Err(format!("unknown `{property}` value `{found}` for {type_name}"));
                };
                return decoder.decode(value).map_err(|e| format!("not a valid {type_name}: {e}"));
            }
            Some(other) => return Err(format!("`{property}` of {type_name} must be a string, not `{other}`")),
            None if required => return Err(format!("missing `{property}` for {type_name}")),
            None => {}
        }
    }
    let mut best: Option<(usize, T)> = None;
    let mut first_error = None;
    for (properties, _, decoder) in candidates {
        match decoder.decode(value.clone()) {
            Ok(decoded) => {
                let unknown = match &value {
                    Value::Object(map) => map.keys().filter(|k| !properties.contains(&k.as_str())).count(),
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

/// A `oneOf`/`anyOf` of a generated model: an enum with one tuple variant per alternative,
/// written as the alternative's own value (untagged), decoded by [`decode_union`], with
/// `Validate` (the alternative's) and `From` for the variants marked `#[from]`.
///
/// ```
/// oauth_api::one_of! {
///     /// A grant.
///     #[derive(Clone, Debug, PartialEq)]
///     #[tag = "grant_type"]
///     pub enum Grant {
///         #[tag("password")]
///         #[properties("grant_type", "username")]
///         #[from]
///         Password(std::collections::BTreeMap<String, String>),
///         Code(i64),
///         #[tag("client_credentials")]
///         Other(serde_json::Value),
///     }
/// }
/// let grant: Grant = serde_json::from_str(r#"{"grant_type": "password", "username": "u"}"#).unwrap();
/// assert!(matches!(grant, Grant::Password(_)));
/// assert_eq!(serde_json::from_str::<Grant>("7").unwrap(), Grant::Code(7));
/// assert_eq!(serde_json::to_string(&Grant::Code(7)).unwrap(), "7");
/// let error = serde_json::from_str::<Grant>(r#"{"grant_type": "x"}"#).unwrap_err();
/// assert_eq!(error.to_string(), "unknown `grant_type` value `x` for Grant");
/// ```
///
/// `#[tag = "property"]` names a property whose value (listed by each variant's `#[tag(…)]`)
/// picks the variant; `#[discriminator = "property"]` is a tag that must be present. Without
/// one, or without the property, the variant that decodes and leaves the fewest members
/// outside its `#[properties(…)]` wins (the first on a tie).
#[macro_export]
macro_rules! one_of {
    (@tag) => { None };
    (@tag tag $property:literal) => { Some($crate::Tag { property: $property, required: false }) };
    (@tag discriminator $property:literal) => { Some($crate::Tag { property: $property, required: true }) };
    (@from $name:ident $variant:ident $ty:ty) => {
        impl ::std::convert::From<$ty> for $name {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        #[derive($($derive:path),* $(,)?)]
        $(#[$tag_kind:ident = $tag:literal])?
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $variant_doc:literal])*
                $(#[tag($($value:literal),* $(,)?)])?
                $(#[properties($($property:literal),* $(,)?)])?
                $(#[from $($from:tt)?])?
                $variant:ident($ty:ty $(,)?),
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive($($derive),*)]
        $vis enum $name {
            $(
                $(#[doc = $variant_doc])*
                #[doc = concat!(" `", stringify!($variant), "`")]
                $variant($ty),
            )*
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<__S: $crate::__private::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::__private::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <$crate::__private::serde_json::Value as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                $crate::decode_union(
                    value,
                    stringify!($name),
                    $crate::one_of!(@tag $($tag_kind $tag)?),
                    &[$((
                        &[$($($property),*)?],
                        &[$($($value),*)?],
                        &$crate::union::Variant::<$ty, Self>(Self::$variant),
                    )),*],
                )
                .map_err(<__D::Error as $crate::__private::serde::de::Error>::custom)
            }
        }

        impl $crate::Validate for $name {
            fn validate(&self, path: &str) -> ::std::result::Result<(), ::std::string::String> {
                match self {
                    $(Self::$variant(value) => $crate::Validate::validate(value, path),)*
                }
            }
        }

        $($(
            $crate::one_of!(@from $name $variant $ty $($from)?);
        )?)*
    };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct A {
        a: Option<i32>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct B {
        a: Option<i32>,
        b: Option<i32>,
    }

    #[derive(Debug, PartialEq)]
    enum U {
        A(A),
        B(B),
    }

    fn candidates() -> [Candidate<'static, U>; 2] {
        [(&["a"], &["x"], &Variant(U::A)), (&["a", "b"], &["y"], &Variant(U::B))]
    }

    crate::one_of! {
        #[derive(Clone, Debug, PartialEq)]
        #[discriminator = "kind"]
        pub enum Wrapped {
            #[tag("a", "b")]
            #[properties("kind", "n",)]
            WithAVeryLongNameThatPrettypleaseWrapsOnItsOwnLine(
                std::collections::BTreeMap<String, serde_json::Value>,
            ),
        }
    }

    #[test]
    fn variants_wrapped_over_lines_decode() {
        assert!(serde_json::from_value::<Wrapped>(json!({"kind": "b", "n": 1})).is_ok());
        assert_eq!(serde_json::from_value::<Wrapped>(json!({"n": 1})).unwrap_err().to_string(), "missing `kind` for Wrapped");
        assert_eq!(serde_json::from_value::<Wrapped>(json!({"kind": "c"})).unwrap_err().to_string(), "unknown `kind` value `c` for Wrapped");
    }

    #[test]
    fn best_match_wins_and_ties_go_first() {
        assert_eq!(decode_union(json!({"a": 1, "b": 2}), "U", None, &candidates()), Ok(U::B(B { a: Some(1), b: Some(2) })));
        assert_eq!(decode_union(json!({"a": 1}), "U", None, &candidates()), Ok(U::A(A { a: Some(1) })));
    }

    #[test]
    fn a_tag_picks_the_alternative() {
        assert_eq!(decode_union(json!({"t": "y", "a": 1}), "U", Some(Tag { property: "t", required: false }), &candidates()), Ok(U::B(B { a: Some(1), b: None })));
        assert_eq!(
            decode_union(json!({"t": "z"}), "U", Some(Tag { property: "t", required: false }), &candidates()),
            Err("unknown `t` value `z` for U".to_string())
        );
        assert_eq!(decode_union(json!({"a": 1}), "U", Some(Tag { property: "t", required: true }), &candidates()), Err("missing `t` for U".to_string()));
        assert_eq!(decode_union(json!({"a": 1}), "U", Some(Tag { property: "t", required: false }), &candidates()), Ok(U::A(A { a: Some(1) })));
    }
}
