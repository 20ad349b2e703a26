//! One-line descriptions of statuses and error bodies, for `Display` of generated errors.

/// The reason phrase of a status (RFC 9110 §15), or `None` for an unregistered one.
pub fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        _ => return None,
    })
}

/// `404 Not Found`: a status and its reason phrase.
pub fn status_line(status: u16) -> String {
    match reason_phrase(status) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// A one-line summary of an error body: an OAuth `error` and its description, or the first
/// of `message`, `detail`, `title`, `error_description`, `reason`, `msg` (also inside an
/// `errors` or `message_list` list); `None` when nothing readable is there.
pub fn describe<T: serde::Serialize + ?Sized>(body: &T) -> Option<String> {
    summarize(&serde_json::to_value(body).ok()?)
}

/// [`describe`] for a raw JSON body.
pub fn describe_json(body: &[u8]) -> Option<String> {
    summarize(&serde_json::from_slice(body).ok()?)
}

fn summarize(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let text = |key: &str| value.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
    if let Some(code) = text("error") {
        return Some(match text("error_description") {
            Some(description) => format!("{code}: {description}"),
            None => code.to_string(),
        });
    }
    if let Some(found) = ["message", "detail", "title", "error_description", "reason", "msg"].iter().find_map(|k| text(k)) {
        return Some(found.to_string());
    }
    for list in ["errors", "message_list"] {
        if let Some(first) = value.get(list).and_then(Value::as_array).and_then(|items| items.first()) {
            return summarize(first);
        }
    }
    None
}

/// Writes `400 Bad Request`, then `: summary` when the body has one: the `Display` of a
/// generated operation error.
///
/// # Errors
///
/// When the formatter fails.
pub fn write_error<T: serde::Serialize + ?Sized>(f: &mut std::fmt::Formatter<'_>, status: u16, body: Option<&T>) -> std::fmt::Result {
    f.write_str(&status_line(status))?;
    match body.and_then(describe) {
        Some(summary) => write!(f, ": {summary}"),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_common_error_shapes() {
        let v = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(describe(&v(r#"{"error":"invalid_grant","error_description":"revoked"}"#)).as_deref(), Some("invalid_grant: revoked"));
        assert_eq!(describe(&v(r#"{"errors":[{"code":"x","message":"bad"}]}"#)).as_deref(), Some("bad"));
        assert_eq!(describe(&v(r#"{"message_list":[{"message":"m","reason":"R"}]}"#)).as_deref(), Some("m"));
        assert_eq!(describe(&v(r#"{"kind":"oauth"}"#)), None);
        assert_eq!(status_line(418), "418");
        assert_eq!(status_line(404), "404 Not Found");
    }
}
