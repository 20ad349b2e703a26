//! Round-trip check of one spec example against its generated type.
//!
//! [`check`] decodes the example (JSON text) into `T` exactly as the generated client does
//! (`serde_json::from_str`), encodes the value again, decodes the encoding once more (it must
//! give an equal value), and matches the encoding against a *pattern* that
//! `corpus-roundtrip-gen` wrote from the example and the generator's IR. A failure panics with
//! a message starting with `ROUNDTRIP <stage>:` (`decode`, `encode`, `redecode`, `mismatch`),
//! which `tests/corpus/run.py` reads.
//!
//! Patterns are JSON. Scalars stand for themselves (numbers compare numerically: `1`, `1.0`
//! and `1e0` are equal; integers that fit 64 bits compare exactly, others as `f64`); every
//! object and array is wrapped, so that data never looks like a pattern:
//!
//! | pattern | matches |
//! |---|---|
//! | `{"$rt":"obj","m":{k:p},"may":{k:v}}` | an object with exactly the members of `m` (each matching), plus any member of `may` whose value equals the one given (a default the type fills in) |
//! | `{"$rt":"arr","i":[p…]}` | an array of as many items, each matching |
//! | `{"$rt":"alt","a":[p…]}` | anything one alternative matches (a `oneOf`/`anyOf`: which branch decodes is the type's business) |
//! | `{"$rt":"json","v":v}` | JSON equal to `v` (objects as maps, numbers numerically): untyped values |
//! | `{"$rt":"dt","v":s}` | a string naming the same instant as `s` (RFC 3339), or `s` itself |
//! | `{"$rt":"f32","v":n}` | a number equal to `n` once both are rounded to `f32` |
//! | `{"$rt":"ci","v":s}` | a string equal to `s` but for ASCII case (case-insensitive enums) |

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes `input` into `T`, encodes it again and checks the encoding against `pattern`.
///
/// # Panics
///
/// With a `ROUNDTRIP <stage>: …` message when a stage fails.
pub fn check<T: Serialize + DeserializeOwned + PartialEq>(input: &str, pattern: &str) {
    let value: T = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => panic!("ROUNDTRIP decode: {e}"),
    };
    let encoded = match serde_json::to_string(&value) {
        Ok(s) => s,
        Err(e) => panic!("ROUNDTRIP encode: {e}"),
    };
    match serde_json::from_str::<T>(&encoded) {
        Ok(again) if again == value => {}
        Ok(_) => panic!("ROUNDTRIP redecode: decoding the encoding gives another value; encoding: {}", short(&encoded)),
        Err(e) => panic!("ROUNDTRIP redecode: {e}; encoding: {}", short(&encoded)),
    }
    let encoded: Value = serde_json::from_str(&encoded).expect("serde_json output is JSON");
    let pattern: Value = serde_json::from_str(pattern).expect("the pattern is JSON");
    if let Err((at, why)) = matches(&pattern, &encoded, "") {
        panic!("ROUNDTRIP mismatch at `{at}`: {why}");
    }
}

fn short(text: &str) -> String {
    if text.len() <= 300 {
        return text.to_string();
    }
    let mut end = 300;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn show(v: &Value) -> String {
    short(&v.to_string())
}

fn push(at: &str, key: &str) -> String {
    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Whether `value` matches `pattern`; else where and why not.
pub fn matches(pattern: &Value, value: &Value, at: &str) -> Result<(), (String, String)> {
    let fail = |why: String| Err((at.to_string(), why));
    let Some(obj) = pattern.as_object() else {
        return if scalar_eq(pattern, value) { Ok(()) } else { fail(format!("expected {}, got {}", show(pattern), show(value))) };
    };
    let kind = obj.get("$rt").and_then(Value::as_str).unwrap_or("json");
    match kind {
        "obj" => {
            let Some(members) = value.as_object() else { return fail(format!("expected an object, got {}", show(value))) };
            let empty = serde_json::Map::new();
            let want = obj.get("m").and_then(Value::as_object).unwrap_or(&empty);
            let may = obj.get("may").and_then(Value::as_object).unwrap_or(&empty);
            for (k, p) in want {
                match members.get(k) {
                    Some(v) => matches(p, v, &push(at, k))?,
                    None => return fail(format!("member `{k}` was lost (expected {})", show(&unwrap(p)))),
                }
            }
            for (k, v) in members {
                if want.contains_key(k) {
                    continue;
                }
                match may.get(k) {
                    Some(d) if json_eq(d, v) => {}
                    Some(d) => return fail(format!("member `{k}` appeared with {} (its default is {})", show(v), show(d))),
                    None => return fail(format!("member `{k}` appeared: {}", show(v))),
                }
            }
            Ok(())
        }
        "arr" => {
            let Some(items) = value.as_array() else { return fail(format!("expected an array, got {}", show(value))) };
            let want = obj.get("i").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            if items.len() != want.len() {
                return fail(format!("expected {} items, got {}", want.len(), items.len()));
            }
            for (i, (p, v)) in want.iter().zip(items).enumerate() {
                matches(p, v, &push(at, &i.to_string()))?;
            }
            Ok(())
        }
        "alt" => {
            let alts = obj.get("a").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let mut first = None;
            for p in alts {
                match matches(p, value, at) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
            match first {
                Some((where_, why)) => Err((where_, format!("no alternative of the union matches; the first: {why}"))),
                None => fail("a union without alternatives".into()),
            }
        }
        "dt" => {
            let want = obj.get("v").and_then(Value::as_str).unwrap_or_default();
            let Some(got) = value.as_str() else { return fail(format!("expected a date-time string, got {}", show(value))) };
            let same = got == want
                || matches!((chrono::DateTime::parse_from_rfc3339(want), chrono::DateTime::parse_from_rfc3339(got)), (Ok(a), Ok(b)) if a == b);
            if same { Ok(()) } else { fail(format!("expected the instant {want:?}, got {got:?}")) }
        }
        "f32" => {
            let want = obj.get("v").and_then(Value::as_f64);
            match (want, value.as_f64()) {
                (Some(a), Some(b)) if a as f32 == b as f32 => Ok(()),
                _ => fail(format!("expected {} (as f32), got {}", show(obj.get("v").unwrap_or(&Value::Null)), show(value))),
            }
        }
        "ci" => {
            let want = obj.get("v").and_then(Value::as_str).unwrap_or_default();
            match value.as_str() {
                Some(got) if got.eq_ignore_ascii_case(want) => Ok(()),
                _ => fail(format!("expected {want:?} (any case), got {}", show(value))),
            }
        }
        _ => {
            let want = obj.get("v").unwrap_or(&Value::Null);
            if json_eq(want, value) { Ok(()) } else { fail(format!("expected {}, got {}", show(want), show(value))) }
        }
    }
}

/// The JSON a pattern stands for (for messages).
fn unwrap(p: &Value) -> Value {
    match p.as_object() {
        None => p.clone(),
        Some(o) => match o.get("$rt").and_then(Value::as_str) {
            Some("obj") => Value::Object(
                o.get("m").and_then(Value::as_object).map(|m| m.iter().map(|(k, v)| (k.clone(), unwrap(v))).collect()).unwrap_or_default(),
            ),
            Some("arr") => Value::Array(o.get("i").and_then(Value::as_array).map(|i| i.iter().map(unwrap).collect()).unwrap_or_default()),
            Some("alt") => o.get("a").and_then(Value::as_array).and_then(|a| a.first()).map(unwrap).unwrap_or(Value::Null),
            _ => o.get("v").cloned().unwrap_or(Value::Null),
        },
    }
}

fn scalar_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                return x == y;
            }
            if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                return x == y;
            }
            x.as_f64() == y.as_f64()
        }
        _ => a == b,
    }
}

/// JSON equality with objects as maps and numbers compared numerically.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w))),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_eq(v, w)),
        _ => scalar_eq(a, b),
    }
}
