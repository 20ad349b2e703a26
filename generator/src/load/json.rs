//! JSON text → `serde_json::Value`, with every object and array allocated at its exact size.
//!
//! `serde_json::from_str` grows each map and array as it reads it: an `IndexMap` entry is
//! about a hundred bytes, and a map grows to hold 3, 7, 14 … entries, so a large spec (Graph
//! beta: 436k objects) wastes about a quarter of its document tree on room never used, and
//! the copies made while growing cost time. Here the entries of every open object (and the
//! items of every open array) are collected on one shared stack, and moved into a map (array)
//! of their exact count once it closes. The value is the one `serde_json::from_str` gives:
//! keys in document order, a repeated key keeps its first place and its last value.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Parses JSON text, as `serde_json::from_str::<Value>` does (same errors, same positions).
pub fn from_str(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Exact(&mut Stacks::default()).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The entries and items read so far of the objects and arrays that are still open.
#[derive(Default)]
struct Stacks {
    entries: Vec<(String, Value)>,
    items: Vec<Value>,
}

struct Exact<'s>(&'s mut Stacks);

impl<'de> DeserializeSeed<'de> for Exact<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Exact<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let start = self.0.items.len();
        while let Some(item) = seq.next_element_seed(Exact(self.0))? {
            self.0.items.push(item);
        }
        Ok(Value::Array(self.0.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let start = self.0.entries.len();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Exact(self.0))?;
            self.0.entries.push((key, value));
        }
        let mut out = Map::with_capacity(self.0.entries.len() - start);
        for (key, value) in self.0.entries.drain(start..) {
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_what_serde_json_gives() {
        let texts = [
            r#"{"b": [1, -2, 3.5, 1e-400, "x", null, true, {}], "a": {"k": [], "j": {"z": 1, "y": [[]]}}, "b": 2, "c": 18446744073709551615}"#,
            "[]",
            " 5 ",
            r#""\u00e9\n""#,
        ];
        for text in texts {
            let ours = from_str(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            // Same order of keys too (`==` on maps ignores it).
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn maps_and_arrays_have_their_exact_size() {
        let Value::Object(map) = from_str(r#"{"a": [1, 2, 3, 4, 5], "b": 1}"#).unwrap() else { panic!("not an object") };
        assert_eq!(map.len(), 2);
        let Some(Value::Array(items)) = map.get("a") else { panic!("no array") };
        assert_eq!(items.capacity(), 5);
    }

    #[test]
    fn errors_are_serde_json_errors() {
        for text in ["{\"a\": [1, 2,]}", "{\"a\": 1} x", "", "{\"a\" 1}", &"[".repeat(200), "[1e400]"] {
            let ours = from_str(text).unwrap_err();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err();
            assert_eq!((ours.to_string(), ours.line(), ours.column()), (theirs.to_string(), theirs.line(), theirs.column()), "{text}");
        }
    }
}
