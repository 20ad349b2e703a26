//! Deserialization helpers for generated models.

use serde::{Deserialize, Deserializer};

/// For an optional field that is not `nullable`: absent is `None` (with `#[serde(default)]`),
/// but an explicit `null` is refused, as the schema says. A server refuses such a request
/// with `400`; the client removes `null`s before decoding responses (see [`strip_nulls`]), so
/// it stays lenient with servers that send them.
///
/// # Errors
///
/// When the value is not a `T` (`null` included).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
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

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "present")]
        a: Option<u8>,
    }

    #[test]
    fn null_is_refused_but_absence_is_fine() {
        assert_eq!(serde_json::from_str::<T>("{}").unwrap(), T { a: None });
        assert_eq!(serde_json::from_str::<T>(r#"{"a":1}"#).unwrap(), T { a: Some(1) });
        assert!(serde_json::from_str::<T>(r#"{"a":null}"#).is_err());
        let mut v = serde_json::json!({"a": null, "b": [null, {"c": null}]});
        strip_nulls(&mut v);
        assert_eq!(v, serde_json::json!({"b": [null, {}]}));
        assert!(serde_json::from_value::<T>(serde_json::json!({"a": null})).is_err());
    }
}
