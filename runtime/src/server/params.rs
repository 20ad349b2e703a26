//! Path, query, header and cookie parameters.

use axum::http::request::Parts;
use axum::http::HeaderMap;

use super::form::Field;
use super::rejection::Rejection;
use crate::ParamValue;

/// The path parameters, in path order.
///
/// # Errors
///
/// `400` when they are not valid percent-encoded UTF-8.
pub async fn path_params(parts: &mut Parts) -> Result<Vec<String>, Rejection> {
    let params = <axum::extract::RawPathParams as axum::extract::FromRequestParts<()>>::from_request_parts(parts, &())
        .await
        .map_err(|e| Rejection::bad_request("invalid_request", e.body_text()))?;
    Ok(params.iter().map(|(_, value)| value.to_string()).collect())
}

/// The path parameter at `index` (in path order), as the values of a parameter.
pub fn path_value(path: &[String], index: usize) -> Vec<&str> {
    path.get(index).map(String::as_str).into_iter().collect()
}

/// The query string as decoded pairs (an undecodable query counts as empty).
pub fn query_pairs(parts: &Parts) -> Vec<(String, String)> {
    parts.uri.query().and_then(|q| serde_urlencoded::from_str(q).ok()).unwrap_or_default()
}

/// The values of one query parameter.
pub fn query_values<'a>(query: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

/// The values of one header.
///
/// # Errors
///
/// `400` for a value that is not visible ASCII.
pub fn header_values<'a>(headers: &'a HeaderMap, name: &str) -> Result<Vec<&'a str>, Rejection> {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().map_err(|_| Rejection::bad_request("invalid_request", format!("header `{name}` is not visible ASCII"))))
        .collect()
}

/// The values of one cookie.
pub fn cookie_values<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .collect()
}

/// A single-valued parameter.
///
/// # Errors
///
/// `400` when it does not decode or is given more than once.
pub fn param_one<T: ParamValue>(values: Vec<&str>, name: &str, location: &str) -> Result<Option<T>, Rejection> {
    match values.as_slice() {
        [] => Ok(None),
        [value] => T::from_param(value).map(Some).map_err(|e| Rejection::bad_request("invalid_request", format!("{location} parameter `{name}`: {e}"))),
        _ => Err(Rejection::bad_request("invalid_request", format!("{location} parameter `{name}` is given more than once"))),
    }
}

/// An array parameter: repeated, or comma-separated (`split`).
///
/// # Errors
///
/// `400` when an item does not decode.
pub fn param_list<T: ParamValue>(values: Vec<&str>, name: &str, location: &str, split: bool) -> Result<Option<Vec<T>>, Rejection> {
    if values.is_empty() {
        return Ok(None);
    }
    let items: Vec<&str> = if split { values.iter().flat_map(|v| v.split(',')).collect() } else { values };
    items
        .into_iter()
        .map(|item| T::from_param(item).map_err(|e| Rejection::bad_request("invalid_request", format!("{location} parameter `{name}`: {e}"))))
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

/// An object query parameter: its properties as top-level keys (`style: form`) or as
/// `name[key]` (`style: deepObject`).
///
/// # Errors
///
/// `400` when the properties do not make a valid `T`.
pub fn object_param<T: serde::de::DeserializeOwned>(query: &[(String, String)], name: &str, deep: bool) -> Result<Option<T>, Rejection> {
    let pairs: Vec<Field<'_>> = if deep {
        let prefix = format!("{name}[");
        query.iter().filter_map(|(k, v)| k.strip_prefix(&prefix)?.strip_suffix(']').map(|inner| (inner.into(), v.into()))).collect()
    } else {
        query.iter().map(|(k, v)| (k.into(), v.into())).collect()
    };
    if pairs.is_empty() {
        return Ok(None);
    }
    super::form::from_fields(&pairs)
        .map(Some)
        .map_err(|e| Rejection::bad_request("invalid_request", format!("query parameter `{name}`: {e}")))
}

/// A required parameter's value.
///
/// # Errors
///
/// `400` when it is absent.
pub fn required<T>(value: Option<T>, name: &str, location: &str) -> Result<T, Rejection> {
    value.ok_or_else(|| Rejection::bad_request("invalid_request", format!("missing required {location} parameter `{name}`")))
}

/// A path parameter (always required): the one at `index`, in path order.
///
/// # Errors
///
/// `400` when it is absent or does not decode.
pub fn path_param<T: ParamValue>(path: &[String], index: usize, name: &str) -> Result<T, Rejection> {
    required(param_one(path_value(path, index), name, "path")?, name, "path")
}

/// A single-valued query parameter.
///
/// # Errors
///
/// `400` when it does not decode or is given more than once.
pub fn query_param<T: ParamValue>(query: &[(String, String)], name: &str) -> Result<Option<T>, Rejection> {
    param_one(query_values(query, name), name, "query")
}

/// An array query parameter: repeated, or comma-separated (`split`).
///
/// # Errors
///
/// `400` when an item does not decode.
pub fn query_list<T: ParamValue>(query: &[(String, String)], name: &str, split: bool) -> Result<Option<Vec<T>>, Rejection> {
    param_list(query_values(query, name), name, "query", split)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Page {
        size: u32,
        after: Option<String>,
    }

    #[test]
    fn object_parameters_read_their_properties() {
        let query: Vec<(String, String)> =
            [("page[size]", "10"), ("page[after]", "a b"), ("other", "x")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(object_param::<Page>(&query, "page", true).unwrap(), Some(Page { size: 10, after: Some("a b".into()) }));
        assert_eq!(object_param::<Page>(&query, "cursor", true).unwrap(), None);
        let flat = object_param::<BTreeMap<String, String>>(&query, "page", false).unwrap().unwrap();
        assert_eq!(flat.len(), 3);
        let bad = object_param::<Page>(&query[..1].iter().map(|(k, _)| (k.clone(), "ten".to_string())).collect::<Vec<_>>(), "page", true).unwrap_err();
        assert_eq!(bad.message, "query parameter `page`: invalid digit found in string");
    }
}
