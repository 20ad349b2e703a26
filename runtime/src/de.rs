//! Deserialization of generated models: what [`model!`](crate::model!) expands to calls these
//! generic functions, so each struct's own code is one slot per field.
//!
//! A field is absent, `null` or a value. Absent is `None` for an `Option` field and an error
//! naming the field (`missing field `x``) otherwise. `null` is refused unless the field is
//! `nullable` (then it is `None`): the schema does not allow it. A server refuses such a request
//! with `400`; the client removes `null`s before decoding responses (see [`strip_nulls`]), so
//! it stays lenient with servers that send them.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::Member;

/// A model whose `Deserialize` impl reads an object: [`object`] gives it the members.
pub trait Object: Sized {
    /// The type's name, for errors (`expected struct Name`).
    const NAME: &'static str;

    /// Reads the model from the members of an object.
    ///
    /// # Errors
    ///
    /// A member that does not decode, or what `map` reports.
    fn visit_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes the object `T` from `deserializer` (a map, not a sequence).
///
/// # Errors
///
/// What [`Object::visit_map`] or `deserializer` reports.
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// The value of one field while its object is read.
#[derive(Debug)]
pub struct Field<T> {
    value: Option<T>,
    default: Option<fn() -> T>,
}

impl<T> Field<T> {
    /// A field not seen yet.
    pub const NEW: Self = Self { value: None, default: None };

    /// The field, which is `default()` when absent (`#[default]`).
    #[must_use]
    pub fn or_else(self, default: fn() -> T) -> Self {
        Self { value: self.value, default: Some(default) }
    }
}

/// The value [`read_map`] gave `field`.
///
/// # Panics
///
/// When the field was not read by a `read_map` that returned `Ok`.
pub fn value<T>(field: Field<T>) -> T {
    field.value.expect("`read_map` gives every field a value")
}

/// A field of the object being read: [`read_map`] hands it the value of its key, then
/// asks it to finish.
pub trait Slot<'de, A: MapAccess<'de>> {
    /// Reads the value of the field `member` from `map`.
    ///
    /// # Errors
    ///
    /// When the field was already given, or its value does not decode.
    fn read(&mut self, map: &mut A, member: &Member) -> Result<(), A::Error>;

    /// Gives an absent field its value: `None` for an `Option`, its default, or else the error
    /// serde gives (`missing field `name``).
    ///
    /// # Errors
    ///
    /// When a field that is not an `Option` and has no default is absent.
    fn finish(&mut self, member: &Member) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Field<T> {
    fn read(&mut self, map: &mut A, member: &Member) -> Result<(), A::Error> {
        if self.value.is_some() {
            return Err(A::Error::duplicate_field(member.name));
        }
        let value = if member.null.accepted() { map.next_value()? } else { map.next_value_seed(NonNull(PhantomData))? };
        self.value = Some(value);
        Ok(())
    }

    fn finish(&mut self, member: &Member) -> Result<(), A::Error> {
        if self.value.is_none() {
            self.value = Some(match self.default {
                Some(default) => default(),
                None => T::deserialize(Missing(member.name, PhantomData))?,
            });
        }
        Ok(())
    }
}

/// Where the members no field names go (`additionalProperties`).
pub trait Extra<'de, A: MapAccess<'de>> {
    /// Reads the value of the member `key` from `map`.
    ///
    /// # Errors
    ///
    /// When the value does not decode.
    fn read(&mut self, map: &mut A, key: String) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Extra<'de, A> for BTreeMap<String, T> {
    fn read(&mut self, map: &mut A, key: String) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key, value);
        Ok(())
    }
}

/// Reads an object's members into `fields` (the fields of `members`, in the same order);
/// members no field names go to `extra`, or are skipped without one. Then gives the absent
/// fields their value (see [`Slot::finish`]), in order.
///
/// # Errors
///
/// A field given twice, a value that does not decode, a missing field, or what `map`
/// reports.
pub fn read_map<'de, A: MapAccess<'de>>(
    map: &mut A,
    members: &[Member],
    fields: &mut [&mut dyn Slot<'de, A>],
    mut extra: Option<&mut dyn Extra<'de, A>>,
) -> Result<(), A::Error> {
    loop {
        let key = map.next_key_seed(KeySeed { members, keep: extra.is_some() })?;
        match key {
            None => break,
            Some(Key::Field(index)) => fields[index].read(map, &members[index])?,
            Some(Key::Other(Some(key))) => {
                if let Some(extra) = extra.as_mut() {
                    extra.read(map, key)?;
                }
            }
            Some(Key::Other(None)) => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    for (field, member) in fields.iter_mut().zip(members) {
        field.finish(member)?;
    }
    Ok(())
}

/// A member name: the index of the field it names, or (kept only when wanted) itself.
enum Key {
    Field(usize),
    Other(Option<String>),
}

struct KeySeed<'a> {
    members: &'a [Member],
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Key, E> {
        Ok(match self.members.iter().position(|member| member.name == name) {
            Some(index) => Key::Field(index),
            None => Key::Other(self.keep.then(|| name.to_string())),
        })
    }
}

/// Decodes a `T` where a value must be present: `Option<T>` fields refuse `null`.
struct NonNull<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for NonNull<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(Present(deserializer))
    }
}

/// A deserializer whose value is there: an `Option` decoding from it is `Some`, and `null`
/// reaches the inner type, which refuses it.
struct Present<D>(D);

macro_rules! forward {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Present<D> {
    type Error = D::Error;

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_some(self.0)
    }

    forward!(
        deserialize_any, deserialize_bool, deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64, deserialize_i128,
        deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128, deserialize_f32, deserialize_f64,
        deserialize_char, deserialize_str, deserialize_string, deserialize_bytes, deserialize_byte_buf, deserialize_unit,
        deserialize_seq, deserialize_map, deserialize_identifier, deserialize_ignored_any
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, name: &'static str, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, name: &'static str, fields: &'static [&'static str], visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, name: &'static str, variants: &'static [&'static str], visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The deserializer of an absent field: `None` for an `Option`, else `missing field`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Removes object members whose value is `null`, at any depth (array items stay): for the
/// generated types, an absent optional field and a `null` one mean the same.
pub fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_are_stripped_at_any_depth() {
        let mut v = serde_json::json!({"a": null, "b": [null, {"c": null}]});
        strip_nulls(&mut v);
        assert_eq!(v, serde_json::json!({"b": [null, {}]}));
    }
}
