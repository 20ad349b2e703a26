//! Serialization of generated models: the members [`model!`](crate::model!) writes.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{Impossible, SerializeMap};
use serde::{Serialize, Serializer};

use crate::model::Member;

/// Writes an object: the fields' `values` under the names of `members` (in the same order),
/// then the `extra` members (`additionalProperties`).
///
/// # Errors
///
/// What the serializer reports.
pub fn object<S: Serializer>(serializer: S, members: &[Member], values: &[&dyn Value<S>], extra: Option<&dyn Extra<S>>) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for (member, value) in members.iter().zip(values) {
        value.write(&mut map, member)?;
    }
    if let Some(extra) = extra {
        extra.write(&mut map)?;
    }
    map.end()
}

/// The value of a field that [`object`] writes.
pub trait Value<S: Serializer> {
    /// Writes the member of the field `member`, or nothing when its value is `None` and
    /// [`Null::skips_none`](crate::model::Null::skips_none) (an optional field that is absent).
    ///
    /// # Errors
    ///
    /// What the serializer reports.
    fn write(&self, map: &mut S::SerializeMap, member: &Member) -> Result<(), S::Error>;
}

impl<S: Serializer, T: Serialize> Value<S> for T {
    fn write(&self, map: &mut S::SerializeMap, member: &Member) -> Result<(), S::Error> {
        if member.null.skips_none() && is_none(self) {
            return Ok(());
        }
        map.serialize_entry(member.name, self)
    }
}

/// The members no field names (`additionalProperties`), which [`object`] writes last.
pub trait Extra<S: Serializer> {
    /// Writes every member.
    ///
    /// # Errors
    ///
    /// What the serializer reports.
    fn write(&self, map: &mut S::SerializeMap) -> Result<(), S::Error>;
}

impl<S: Serializer, T: Serialize> Extra<S> for BTreeMap<String, T> {
    fn write(&self, map: &mut S::SerializeMap) -> Result<(), S::Error> {
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

/// Whether `value` serializes as `None`: an `Option` that is `None` (the probe stops at the
/// first call, so no other value is written).
pub fn is_none<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(NoneProbe).is_ok()
}

/// A serializer that accepts `None` only.
struct NoneProbe;

/// What [`NoneProbe`] answers for anything but `None`.
#[derive(Debug)]
struct NotNone;

impl fmt::Display for NotNone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not `None`")
    }
}

impl std::error::Error for NotNone {}

impl serde::ser::Error for NotNone {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        NotNone
    }
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $out:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$out, NotNone> {
            Err(NotNone)
        }
    )*};
}

impl Serializer for NoneProbe {
    type Ok = ();
    type Error = NotNone;
    type SerializeSeq = Impossible<(), NotNone>;
    type SerializeTuple = Impossible<(), NotNone>;
    type SerializeTupleStruct = Impossible<(), NotNone>;
    type SerializeTupleVariant = Impossible<(), NotNone>;
    type SerializeMap = Impossible<(), NotNone>;
    type SerializeStruct = Impossible<(), NotNone>;
    type SerializeStructVariant = Impossible<(), NotNone>;

    fn serialize_none(self) -> Result<(), NotNone> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), NotNone> {
        Err(NotNone)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<(), NotNone> {
        Err(NotNone)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), NotNone> {
        Err(NotNone)
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_none_is_none() {
        assert!(is_none(&None::<u8>));
        assert!(!is_none(&Some(1u8)));
        assert!(!is_none(&Some(None::<u8>)));
        assert!(!is_none(&serde_json::Value::Null));
        assert!(!is_none(&vec![1u8]));
        assert!(!is_none("text"));
    }
}
