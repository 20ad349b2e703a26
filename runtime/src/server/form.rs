//! `application/x-www-form-urlencoded` fields, parsed once: a typed value is read from the
//! fields themselves, as `serde_urlencoded` would read it from their text.

use std::borrow::Cow;

use serde::de::value::{Error, MapDeserializer};
use serde::de::{self, IntoDeserializer};
use serde::forward_to_deserialize_any;

/// A form field: its name and value, borrowed from the form text unless they had escapes.
pub type Field<'a> = (Cow<'a, str>, Cow<'a, str>);

/// The fields of form text, in order, decoded as `serde_urlencoded` (`form_urlencoded`)
/// decodes them: fields split at `&` (empty ones skipped), a name from its value at the
/// first `=`, `+` is a space, `%XX` an escaped byte (a `%` without two hex digits stays as
/// it is), and escapes that do not make UTF-8 are replaced. In one pass, borrowing the text
/// unless a name or value has escapes.
pub(crate) fn parse(text: &str) -> Vec<Field<'_>> {
    text.split('&')
        .filter(|field| !field.is_empty())
        .map(|field| {
            let (name, value) = field.split_once('=').unwrap_or((field, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// A name or value with its `+` and `%XX` escapes decoded.
fn decode(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| b == b'+' || b == b'%') {
        return Cow::Borrowed(text);
    }
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => decoded.push(b' '),
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                // Two hex digits make one byte (< 256).
                (Some(high), Some(low)) => {
                    decoded.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => decoded.push(b'%'),
            },
            other => decoded.push(other),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8(decoded).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Reads `T` from form fields: a struct or map takes them as its members, a sequence as
/// pairs; each value is text, parsed for numbers and booleans (`serde_urlencoded`'s rules and
/// messages).
///
/// # Errors
///
/// When the fields do not make a `T`.
pub(crate) fn from_fields<'de, T: de::Deserialize<'de>>(fields: &'de [Field<'_>]) -> Result<T, Error> {
    T::deserialize(Fields(MapDeserializer::new(fields.iter().map(|(name, value)| (Part(name), Part(value))))))
}

/// All the fields: a map (or a sequence of pairs).
struct Fields<'de, I: Iterator<Item = (Part<'de>, Part<'de>)>>(MapDeserializer<'de, I, Error>);

impl<'de, I: Iterator<Item = (Part<'de>, Part<'de>)>> de::Deserializer<'de> for Fields<'de, I> {
    type Error = Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(self.0)
    }

    fn deserialize_seq<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(self.0)
    }

    fn deserialize_unit<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.end()?;
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 char str string option bytes byte_buf
        unit_struct newtype_struct tuple_struct struct identifier tuple enum ignored_any map
    }
}

/// A field's name or value.
struct Part<'de>(&'de str);

impl<'de> IntoDeserializer<'de> for Part<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parsed {
    ($($ty:ident => $method:ident,)*) => {
        $(
            fn $method<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0.parse::<$ty>() {
                    Ok(value) => value.into_deserializer().$method(visitor),
                    Err(e) => Err(de::Error::custom(e)),
                }
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Part<'de> {
    type Error = Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: de::Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        visitor.visit_enum(UnitVariant(self.0))
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        char str string unit bytes byte_buf unit_struct tuple_struct struct identifier tuple ignored_any seq map
    }

    parsed! {
        bool => deserialize_bool,
        u8 => deserialize_u8,
        u16 => deserialize_u16,
        u32 => deserialize_u32,
        u64 => deserialize_u64,
        i8 => deserialize_i8,
        i16 => deserialize_i16,
        i32 => deserialize_i32,
        i64 => deserialize_i64,
        f32 => deserialize_f32,
        f64 => deserialize_f64,
    }
}

/// A value read as an enum: the variant of that name, which must be a unit variant.
struct UnitVariant<'de>(&'de str);

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: de::DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let variant = seed.deserialize(de::value::BorrowedStrDeserializer::new(self.0))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::custom("expected unit variant"))
    }

    fn tuple_variant<V: de::Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("expected unit variant"))
    }

    fn struct_variant<V: de::Visitor<'de>>(self, _fields: &'static [&'static str], _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("expected unit variant"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_decode_as_serde_urlencoded_decodes_them() {
        let texts = [
            "",
            "&&",
            "a=1&b=2",
            "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL",
            "a+b=c+d&%61=%2B&x=%zz&y=%4&z=%&w=%%41",
            "=&a&b=&=c&a==b",
            "caf%C3%A9=%E2%82%AC&bad=%FF%FEx&cut=%E2%82",
            "%2b+%2B=%20%7e%7E",
            "\u{e9}t\u{e9}=\u{1f600}+ok",
        ];
        for text in texts {
            let ours: Vec<(String, String)> = parse(text).into_iter().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            let theirs: Vec<(String, String)> = serde_urlencoded::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text:?}");
        }
        assert!(matches!(parse("a=b").as_slice(), [(Cow::Borrowed("a"), Cow::Borrowed("b"))]), "plain text is borrowed");
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        One,
        Two,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Typed {
        n: i64,
        ok: bool,
        x: Option<f64>,
        kind: Kind,
        name: String,
    }

    #[test]
    fn typed_values_read_as_serde_urlencoded_reads_them() {
        let cases = [
            "n=-3&ok=true&x=1.5&kind=two&name=a+b",
            "n=3&ok=true&kind=one&name=",
            "n=x&ok=true&kind=one&name=a",
            "n=1&ok=yes&kind=one&name=a",
            "n=1&ok=true&kind=three&name=a",
            "n=1&ok=true&name=a",
            "n=1&n=2&ok=true&kind=one&name=a",
        ];
        for text in cases {
            let fields = parse(text);
            let ours = from_fields::<Typed>(&fields).map_err(|e| e.to_string());
            let theirs = serde_urlencoded::from_str::<Typed>(text).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text:?}");
        }
        let pairs: Vec<(String, String)> = from_fields(&parse("a=1&b=2")).unwrap();
        assert_eq!(pairs, [("a".into(), "1".into()), ("b".into(), "2".into())]);
    }
}
