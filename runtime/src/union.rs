//! [`decode_union`]: decoding of `oneOf` / `anyOf` values.

use serde_json::Value;

/// One alternative of a `oneOf`/`anyOf`: its property names and its decoder.
pub type Candidate<T> = (&'static [&'static str], fn(Value) -> Result<T, serde_json::Error>);

/// A property whose value tells the alternatives of a `oneOf`/`anyOf` apart.
#[derive(Clone, Copy, Debug)]
pub struct Tag<'a> {
    /// The property (`grant_type`, `type` …).
    pub property: &'a str,
    /// `(value, candidate index)` pairs.
    pub mapping: &'a [(&'a str, usize)],
    /// An explicit `discriminator`: the property must be present.
    pub required: bool,
}

/// Decodes a `oneOf`/`anyOf` value into one of `candidates`.
///
/// With a [`Tag`] (an explicit `discriminator`, or a property with one value per
/// alternative such as an OAuth `grant_type`), the property's value picks the alternative,
/// and a value no alternative has is an error. Required tags (explicit discriminators) must
/// be present; other tags fall back to matching when absent. Matching decodes every alternative and keeps the one that leaves the fewest
/// of the value's properties unknown (the first on a tie).
pub fn decode_union<T>(
    value: Value,
    type_name: &str,
    tag: Option<Tag<'_>>,
    candidates: &[Candidate<T>],
) -> Result<T, String> {
    if let Some(Tag { property, mapping, required }) = tag {
        match value.get(property) {
            Some(Value::String(found)) => {
                let Some((_, index)) = mapping.iter().find(|(v, _)| v == found) else {
                    return Err(format!("unknown `{property}` value `{found}` for {type_name}"));
                };
                let (_, decode) = candidates.get(*index).ok_or_else(|| format!("not a valid {type_name}"))?;
                return decode(value).map_err(|e| format!("not a valid {type_name}: {e}"));
            }
            Some(other) => return Err(format!("`{property}` of {type_name} must be a string, not `{other}`")),
            None if required => return Err(format!("missing `{property}` for {type_name}")),
            None => {}
        }
    }
    let mut best: Option<(usize, T)> = None;
    let mut first_error = None;
    for (properties, decode) in candidates {
        match decode(value.clone()) {
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

    fn candidates() -> [Candidate<U>; 2] {
        [(&["a"], |v| serde_json::from_value(v).map(U::A)), (&["a", "b"], |v| serde_json::from_value(v).map(U::B))]
    }

    #[test]
    fn best_match_wins_and_ties_go_first() {
        assert_eq!(decode_union(json!({"a": 1, "b": 2}), "U", None, &candidates()), Ok(U::B(B { a: Some(1), b: Some(2) })));
        assert_eq!(decode_union(json!({"a": 1}), "U", None, &candidates()), Ok(U::A(A { a: Some(1) })));
    }

    #[test]
    fn a_tag_picks_the_alternative() {
        let mapping: &[(&str, usize)] = &[("x", 0), ("y", 1)];
        assert_eq!(decode_union(json!({"t": "y", "a": 1}), "U", Some(Tag { property: "t", mapping, required: false }), &candidates()), Ok(U::B(B { a: Some(1), b: None })));
        assert_eq!(
            decode_union(json!({"t": "z"}), "U", Some(Tag { property: "t", mapping, required: false }), &candidates()),
            Err("unknown `t` value `z` for U".to_string())
        );
        assert_eq!(decode_union(json!({"a": 1}), "U", Some(Tag { property: "t", mapping, required: true }), &candidates()), Err("missing `t` for U".to_string()));
        assert_eq!(decode_union(json!({"a": 1}), "U", Some(Tag { property: "t", mapping, required: false }), &candidates()), Ok(U::A(A { a: Some(1) })));
    }
}
