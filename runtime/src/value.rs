//! [`ParamValue`]: the text form of path, query, header and cookie parameters.

use std::fmt;

/// A value that is not one of an enum's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The enum.
    pub type_name: &'static str,
    /// The value that was not recognized.
    pub value: String,
}

impl UnknownValue {
    /// A value `value` that is not one of `type_name`'s.
    pub fn new(type_name: &'static str, value: impl Into<String>) -> Self {
        UnknownValue { type_name, value: value.into() }
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid {}", self.value, self.type_name)
    }
}

impl std::error::Error for UnknownValue {}

/// The text form of a path, query, header or cookie parameter value.
pub trait ParamValue: Sized {
    /// Encodes the value.
    fn to_param(&self) -> String;
    /// Decodes the value, or says why it cannot.
    fn from_param(text: &str) -> Result<Self, String>;
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }

    fn from_param(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }

    fn from_param(text: &str) -> Result<Self, String> {
        text.parse().map_err(|_| format!("`{text}` is not `true` or `false`"))
    }
}

macro_rules! numbers {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }

            fn from_param(text: &str) -> Result<Self, String> {
                text.parse().map_err(|_| format!(concat!("`{}` is not ", $what), text))
            }
        }
    )*};
}

numbers! {
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    u32 => "an unsigned 32-bit integer",
    u64 => "an unsigned 64-bit integer",
    f32 => "a number",
    f64 => "a number",
}

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    fn from_param(text: &str) -> Result<Self, String> {
        chrono::DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&chrono::Utc)).map_err(|e| e.to_string())
    }
}

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }

    fn from_param(text: &str) -> Result<Self, String> {
        text.parse().map_err(|e: chrono::ParseError| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::ParamValue;

    #[test]
    fn numbers_round_trip_and_explain_failures() {
        assert_eq!(i64::from_param("-12"), Ok(-12));
        assert_eq!(i32::from_param("x"), Err("`x` is not a 32-bit integer".to_string()));
        assert_eq!(1.5f64.to_param(), "1.5");
        assert_eq!(bool::from_param("yes"), Err("`yes` is not `true` or `false`".to_string()));
    }

    #[test]
    fn dates_use_rfc_3339() {
        let t = chrono::DateTime::<chrono::Utc>::from_param("2024-01-02T03:04:05+01:00").unwrap();
        assert_eq!(t.to_param(), "2024-01-02T02:04:05Z");
        assert!(chrono::NaiveDate::from_param("2024-02-30").is_err());
    }
}
