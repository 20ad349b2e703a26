//! `model!`: the structs of generated models, with their serde and `Validate` impls, and
//! what it knows of each field ([`Member`]).

use crate::Limits;

/// A struct of a generated model: the struct as written (attributes on fields removed), its
/// `Serialize` and `Deserialize` impls (an object on the wire) and its [`Validate`](crate::Validate) impl.
///
/// ```
/// oauth_api::model! {
///     /// A client.
///     #[derive(Clone, Debug, PartialEq)]
///     pub struct Client {
///         /// Its name.
///         #[limits(max_length = 64)]
///         #[new(into)]
///         pub name: String,
///         #[rename = "redirect-uri"]
///         pub redirect_uri: Option<String>,
///         #[nullable]
///         pub logo: Option<String>,
///         #[nullable(required)]
///         pub owner: Option<String>,
///         #[default = default_scope]
///         pub scope: String,
///         #[new(into)]
///         pub tenant: String,
///         #[new(arg)]
///         pub port: u32,
///         #[new = Kind::Confidential]
///         pub kind: Kind,
///         #[additional]
///         pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
///     }
/// }
/// fn default_scope() -> String {
///     "read".to_string()
/// }
/// oauth_api::string_enum! {
///     closed;
///     pub enum Kind {
///         Confidential = "confidential",
///     }
/// }
/// let client: Client =
///     serde_json::from_str(r#"{"name": "a", "owner": null, "tenant": "t", "port": 1, "kind": "confidential", "x": 1}"#).unwrap();
/// assert_eq!(client.scope, "read");
/// assert_eq!(
///     serde_json::to_string(&client).unwrap(),
///     r#"{"name":"a","owner":null,"scope":"read","tenant":"t","port":1,"kind":"confidential","x":1}"#
/// );
/// let error = serde_json::from_str::<Client>(r#"{"name": "a", "redirect-uri": null}"#).unwrap_err();
/// assert_eq!(error.to_string(), "invalid type: null, expected a string at line 1 column 34");
/// let made = Client::new("b", "tenant", 8080);
/// assert_eq!((made.name.as_str(), made.scope.as_str(), made.tenant.as_str(), made.port), ("b", "read", "tenant", 8080));
/// assert_eq!((made.owner, made.kind), (None, Kind::Confidential));
/// ```
///
/// A field's wire name is its own (or `#[rename]`). Absent, an `Option` field is `None` and
/// another field an error (`missing field `name``), unless `#[default]` names a function
/// giving its value. `null` is refused unless the field is `#[nullable]` (then `None`).
/// `None` is not written, unless `#[nullable(required)]` (then `null`). `#[limits(…)]` sets
/// [`Limits`](crate::Limits) checked by `validate`, which also validates every field. An
/// `#[additional]` map, last, holds the members no field names (`additionalProperties`);
/// without one they are ignored.
///
/// `new` takes, in order, the fields marked `#[new(arg)]` (as they are) and `#[new(into)]`
/// (as `impl Into<T>`); a `#[new = value]` field gets that value, a `#[default]` field its
/// default, every other field `None` (and the `#[additional]` map is empty).
///
/// The names the impls declare (`__S`, `__D`, `__A`, `__MEMBERS`) start with `__` so that
/// they cannot hide the model types the fields name. What the attributes say is one constant
/// per model (`__MEMBERS`, a [`Member`](crate::model::Member) per field); each impl holds
/// one reference per field, in a slice that it hands to a generic function
/// ([`ser::object`](crate::ser::object), [`de::read_map`](crate::de::read_map),
/// [`validate_members`](crate::validate_members)). A model is cheap to compile: no helper
/// rules, one short body per impl, no `?` per field.
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[rename = $wire:literal])?
                $(#[nullable $(($required:ident))?])?
                $(#[default = $default:path])?
                $(#[limits($($limit:ident = $bound:literal),* $(,)?)])?
                $(#[new($how:ident)])?
                $(#[new = $fixed:path])?
                $field_vis:vis $field:ident: $ty:ty,
            )*
            $(
                #[additional]
                $extra_vis:vis $extra:ident: $extra_ty:ty,
            )?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[doc = $doc])*
                $field_vis $field: $ty,
            )*
            $(
                /// Properties not listed above (`additionalProperties`).
                $extra_vis $extra: $extra_ty,
            )?
        }

        impl $name {
            /// The fields' wire names and `null` handling, in order: what the impls below
            /// share, so that each of them holds only one value per field.
            const __MEMBERS: &'static [$crate::model::Member] = &[$(
                $crate::model::Member::named(stringify!($field))
                    $(.renamed($wire))?
                    $(.nullable() $(.$required())?)?
                    $($(.$limit($bound))*)?,
            )*];

            /// Creates the model from its required fields, in order; optional fields are `None`,
            /// and the others take their default or their only value.
            #[allow(clippy::too_many_arguments, clippy::unnecessary_literal_unwrap)]
            pub fn new($($($field: $crate::model::$how!($ty),)?)*) -> Self {
                // A field is `None`, or `None.unwrap_or(value)` when `new` has a value for it:
                // `macro_rules!` can add tokens where an attribute is, not choose between two
                // expressions.
                $name {
                    $($field: ::std::option::Option::None
                        $(.unwrap_or($crate::model::$how($field)))?
                        $(.unwrap_or($fixed))?
                        $(.unwrap_or($default()))?,
                    )*
                    $($extra: ::std::default::Default::default(),)?
                }
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<__S: $crate::__private::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                $crate::ser::object(
                    serializer,
                    Self::__MEMBERS,
                    &[$(&self.$field),*],
                    ::std::option::Option::None $(.or(::std::option::Option::Some(&self.$extra as &dyn $crate::ser::Extra<__S>)))?,
                )
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                $crate::de::object(deserializer)
            }
        }

        impl $crate::de::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn visit_map<'de, __A: $crate::__private::serde::de::MapAccess<'de>>(mut map: __A) -> ::std::result::Result<Self, __A::Error> {
                $(
                    let mut $field = $crate::de::Field::NEW$(.or_else($default))?;
                )*
                $(
                    let mut $extra = <$extra_ty as ::std::default::Default>::default();
                )?
                let fields: &mut [&mut dyn $crate::de::Slot<'de, __A>] = &mut [$(&mut $field),*];
                $crate::de::read_map(
                    &mut map,
                    Self::__MEMBERS,
                    fields,
                    ::std::option::Option::None $(.or(::std::option::Option::Some(&mut $extra as &mut dyn $crate::de::Extra<'de, __A>)))?,
                )?;
                ::std::result::Result::Ok($name {
                    $($field: $crate::de::value($field),)*
                    $($extra,)?
                })
            }
        }

        impl $crate::Validate for $name {
            fn validate(&self, path: &str) -> ::std::result::Result<(), ::std::string::String> {
                $crate::validate_members(path, Self::__MEMBERS, &[$(&self.$field),*])
                    $(.and_then(|()| $crate::Validate::validate(&self.$extra, path)))?
            }
        }
    };
}

/// The value of a `#[new(arg)]` field: the argument.
pub fn arg<T>(value: T) -> T {
    value
}

/// The value of a `#[new(into)]` field: the argument, converted.
pub fn into<T>(value: impl Into<T>) -> T {
    value.into()
}

/// The type of a `#[new(arg)]` parameter: the field's.
#[doc(hidden)]
#[macro_export]
macro_rules! __new_arg {
    ($ty:ty) => { $ty };
}

/// The type of a `#[new(into)]` parameter: `impl Into` the field's.
#[doc(hidden)]
#[macro_export]
macro_rules! __new_into {
    ($ty:ty) => { impl ::std::convert::Into<$ty> };
}

#[doc(hidden)]
pub use crate::{__new_arg as arg, __new_into as into};

/// What [`model!`](crate::model!) knows of a field besides its type and value: its name on
/// the wire, what `null` means for it, and its limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Member {
    /// The member's name in the object (the field's own, or its `#[rename]`).
    pub name: &'static str,
    /// Its `#[nullable]` attribute.
    pub null: Null,
    /// Its `#[limits(…)]`.
    pub limits: Limits,
}

/// What `null` means for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Null {
    /// `null` is refused (the schema does not allow it); `None` is not written.
    Refused,
    /// `#[nullable]`: `null` decodes as `None`; `None` is not written.
    Accepted,
    /// `#[nullable(required)]`: `null` decodes as `None`, and `None` is written as `null`.
    Written,
}

/// `Member::named("id").max_length(64)`: the member with a limit set (`#[limits(…)]`).
macro_rules! member_limits {
    ($($name:ident: $ty:ty),* $(,)?) => {$(
        #[doc = concat!("With the limit `", stringify!($name), "` (see [`Limits`]).")]
        #[must_use]
        pub const fn $name(self, $name: $ty) -> Self {
            Self { limits: self.limits.$name($name), ..self }
        }
    )*};
}

impl Member {
    /// The member `name`, which refuses `null`.
    #[must_use]
    pub const fn named(name: &'static str) -> Self {
        Self { name, null: Null::Refused, limits: Limits::NONE }
    }

    /// Named `name` on the wire (`#[rename]`).
    #[must_use]
    pub const fn renamed(self, name: &'static str) -> Self {
        Self { name, ..self }
    }

    /// `null` decodes as `None` (`#[nullable]`).
    #[must_use]
    pub const fn nullable(self) -> Self {
        Self { null: Null::Accepted, ..self }
    }

    /// `None` is written as `null` (`#[nullable(required)]`).
    #[must_use]
    pub const fn required(self) -> Self {
        Self { null: Null::Written, ..self }
    }

    member_limits! {
        min_length: usize,
        max_length: usize,
        minimum: f64,
        maximum: f64,
        exclusive_minimum: f64,
        exclusive_maximum: f64,
        min_items: usize,
        max_items: usize,
    }
}

impl Null {
    /// Whether `null` decodes (as `None`).
    #[must_use]
    pub const fn accepted(self) -> bool {
        !matches!(self, Self::Refused)
    }

    /// Whether a `None` value is left out of the object.
    #[must_use]
    pub const fn skips_none(self) -> bool {
        !matches!(self, Self::Written)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use crate::Validate;

    crate::model! {
        #[derive(Clone, Debug, PartialEq)]
        pub struct Inner {
            #[limits(min_length = 2)]
            #[new(into)]
            pub code: String,
        }
    }

    crate::model! {
        #[derive(Clone, Debug, PartialEq)]
        pub struct Outer {
            #[new(arg)]
            pub id: i64,
            #[rename = "type"]
            pub r#type: Option<String>,
            #[nullable]
            pub note: Option<String>,
            #[nullable(required)]
            pub owner: Option<String>,
            #[default = seven]
            pub count: i64,
            #[limits(max_items = 2)]
            pub inner: Option<Vec<Inner>>,
            pub boxed: Option<Box<Inner>>,
        }
    }

    crate::model! {
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Open {
            pub a: Option<u8>,
            #[additional]
            pub additional_properties: BTreeMap<String, u8>,
        }
    }

    crate::model! {
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Empty {}
    }

    // Models named like the impls' own generic parameters.
    crate::model! {
        #[derive(Clone, Debug, PartialEq)]
        pub struct A {
            pub d: Option<Box<D>>,
        }
    }

    crate::model! {
        #[derive(Clone, Debug, PartialEq)]
        pub struct D {
            #[new(arg)]
            pub a: A,
        }
    }

    // What `new` takes and what it fills in.
    crate::model! {
        #[derive(Clone, Debug, PartialEq)]
        pub struct Made {
            #[new(into)]
            pub name: String,
            pub note: Option<String>,
            #[default = seven]
            pub count: i64,
            #[new(arg)]
            pub inner: Vec<Inner>,
            #[new(into)]
            pub boxed: Box<Inner>,
            #[new = Grant::Code]
            pub grant: Grant,
            #[additional]
            pub additional_properties: BTreeMap<String, u8>,
        }
    }

    crate::string_enum! {
        closed;
        pub enum Grant {
            Code = "code",
        }
    }

    fn seven() -> i64 {
        7
    }

    #[test]
    fn new_takes_required_fields_and_fills_the_others() {
        let inner = Inner { code: "ab".into() };
        let made = Made::new("n", vec![inner.clone()], inner.clone());
        let expected = Made {
            name: "n".into(),
            note: None,
            count: 7,
            inner: vec![inner.clone()],
            boxed: Box::new(inner),
            grant: Grant::Code,
            additional_properties: BTreeMap::new(),
        };
        assert_eq!(made, expected);
        assert_eq!(Inner::new("ab"), Inner { code: "ab".into() });
        let outer = Outer { id: 1, r#type: None, note: None, owner: None, count: 7, inner: None, boxed: None };
        assert_eq!(Outer::new(1), outer);
        assert_eq!(D::new(A::new()), D { a: A { d: None } });
        assert_eq!(Empty::new(), Empty {});
        assert_eq!(Open::new(), Open::default());
    }

    fn error<T: for<'de> serde::Deserialize<'de> + std::fmt::Debug>(text: &str) -> String {
        serde_json::from_str::<T>(text).unwrap_err().to_string()
    }

    #[test]
    fn fields_decode_as_their_kind_says() {
        let outer: Outer = serde_json::from_str(r#"{"id": 1, "type": "t", "note": null, "inner": [{"code": "ab"}], "x": [1]}"#).unwrap();
        assert_eq!(
            outer,
            Outer { id: 1, r#type: Some("t".into()), note: None, owner: None, count: 7, inner: Some(vec![Inner { code: "ab".into() }]), boxed: None }
        );
        assert_eq!(error::<Outer>(r#"{"type": "t"}"#), "missing field `id` at line 1 column 13");
        assert_eq!(error::<Outer>(r#"{"id": 1, "type": null}"#), "invalid type: null, expected a string at line 1 column 22");
        assert_eq!(error::<Outer>(r#"{"id": 1, "id": 2}"#), "duplicate field `id` at line 1 column 14");
        assert_eq!(error::<Outer>(r#"{"id": "1"}"#), "invalid type: string \"1\", expected i64 at line 1 column 10");
        assert_eq!(error::<Outer>("[1]"), "invalid type: sequence, expected struct Outer at line 1 column 0");
        assert_eq!(error::<Outer>(r#"{"id": 1, "boxed": {}}"#), "missing field `code` at line 1 column 21");
        assert_eq!(serde_json::from_value::<Outer>(json!({"id": 1, "count": 2})).unwrap().count, 2);
    }

    #[test]
    fn none_is_skipped_unless_required() {
        let outer = Outer { id: 1, r#type: None, note: None, owner: None, count: 7, inner: None, boxed: None };
        assert_eq!(serde_json::to_value(&outer).unwrap(), json!({"id": 1, "owner": null, "count": 7}));
        let round: Outer = serde_json::from_value(serde_json::to_value(&outer).unwrap()).unwrap();
        assert_eq!(round, outer);
    }

    #[test]
    fn additional_members_are_kept() {
        let open: Open = serde_json::from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        assert_eq!(open.additional_properties, BTreeMap::from([("b".to_string(), 2)]));
        assert_eq!(serde_json::to_string(&open).unwrap(), r#"{"a":1,"b":2}"#);
        assert_eq!(serde_json::from_str::<Empty>(r#"{"z": [1, {"y": null}]}"#).unwrap(), Empty {});
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
        let d: D = serde_json::from_str(r#"{"a": {"d": {"a": {}}}}"#).unwrap();
        assert_eq!(d, D { a: A { d: Some(Box::new(D { a: A { d: None } })) } });
    }

    #[test]
    fn forms_decode_and_encode() {
        let open: Open = serde_urlencoded::from_str("a=1&b=2").unwrap();
        assert_eq!(open.a, Some(1));
        assert_eq!(serde_urlencoded::to_string(&open).unwrap(), "a=1&b=2");
    }

    #[test]
    fn validation_checks_limits_and_nested_fields() {
        let mut outer = Outer { id: 1, r#type: None, note: None, owner: None, count: 7, inner: Some(vec![Inner { code: "a".into() }]), boxed: None };
        assert_eq!(outer.validate(""), Err("`inner[0].code` must be at least 2 characters long".into()));
        outer.inner = Some(vec![Inner { code: "ab".into() }; 3]);
        assert_eq!(outer.validate(""), Err("`inner` must have at most 2 items".into()));
        outer.inner = None;
        outer.boxed = Some(Box::new(Inner { code: String::new() }));
        assert_eq!(outer.validate("body"), Err("`body.boxed.code` must be at least 2 characters long".into()));
    }
}
