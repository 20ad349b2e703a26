//! Serialization of generated models: the members [`model!`](crate::model) writes.

use std::fmt;

use serde::ser::{Impossible, SerializeMap};
use serde::{Serialize, Serializer};

/// Writes the member `key` of an object, or nothing when `skip_none` and the value is `None`
/// (an optional field that is absent).
///
/// # Errors
///
/// What the serializer reports.
pub fn entry<M: SerializeMap, T: Serialize + ?Sized>(map: &mut M, key: &'static str, value: &T, skip_none: bool) -> Result<(), M::Error> {
    if skip_none && is_none(value) {
        return Ok(());
    }
    map.serialize_entry(key, value)
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
