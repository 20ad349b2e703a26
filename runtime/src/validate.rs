//! [`Validate`] and [`Limits`]: the schema limits (`maxLength`, `minimum`, `maxItems` …) a
//! generated server checks before a request reaches the implementation.

use std::collections::BTreeMap;

use crate::model::Member;

/// Checks the limits the spec puts on a value and on the values inside it. The default
/// accepts every value (a type without limits).
pub trait Validate {
    /// `Err` names the first value (by its dotted `path`) that breaks a limit.
    fn validate(&self, path: &str) -> Result<(), String> {
        let _ = path;
        Ok(())
    }

    /// Whether some value of the type can break a limit: `false` lets callers skip the
    /// path of a value that is always valid (strings, numbers, enums …).
    fn may_fail() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// Checks the `#[limits(…)]` of a field, `limits`, on the value at `path`. Strings, numbers
    /// and arrays have limits ([`Limited`]); the default accepts any.
    ///
    /// # Errors
    ///
    /// As [`Limited::check`].
    fn check_limits(&self, limits: &Limits, path: &str) -> Result<(), String> {
        let _ = (limits, path);
        Ok(())
    }
}

macro_rules! unlimited {
    ($($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {
            fn may_fail() -> bool {
                false
            }
        }
    )*};
    (limited: $($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {
            fn may_fail() -> bool {
                false
            }

            fn check_limits(&self, limits: &Limits, path: &str) -> Result<(), String> {
                self.check(limits, path)
            }
        }
    )*};
}

unlimited!(bool, u8, serde_json::Value, chrono::DateTime<chrono::Utc>, chrono::NaiveDate);
unlimited!(limited: String, i32, i64, u32, u64, f32, f64);

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &str) -> Result<(), String> {
        match self {
            Some(inner) => inner.validate(path),
            None => Ok(()),
        }
    }

    fn check_limits(&self, limits: &Limits, path: &str) -> Result<(), String> {
        match self {
            Some(inner) => inner.check_limits(limits, path),
            None => Ok(()),
        }
    }

    fn may_fail() -> bool {
        T::may_fail()
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &str) -> Result<(), String> {
        if !T::may_fail() {
            return Ok(());
        }
        for (i, item) in self.iter().enumerate() {
            item.validate(&format!("{path}[{i}]"))?;
        }
        Ok(())
    }

    fn check_limits(&self, limits: &Limits, path: &str) -> Result<(), String> {
        self.check(limits, path)
    }

    fn may_fail() -> bool {
        T::may_fail()
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, path: &str) -> Result<(), String> {
        (**self).validate(path)
    }

    fn check_limits(&self, limits: &Limits, path: &str) -> Result<(), String> {
        (**self).check_limits(limits, path)
    }

    fn may_fail() -> bool {
        T::may_fail()
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &str) -> Result<(), String> {
        if !T::may_fail() {
            return Ok(());
        }
        for (key, item) in self {
            item.validate(&field_path(path, key))?;
        }
        Ok(())
    }

    fn may_fail() -> bool {
        T::may_fail()
    }
}

/// Limits from the schema: lengths of strings, bounds of numbers, sizes of arrays.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`: the value must be greater than this.
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`: the value must be less than this.
    pub exclusive_maximum: Option<f64>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

macro_rules! limit_setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub const fn $name(self, $name: $ty) -> Self {
            Self { $name: Some($name), ..self }
        }
    )*};
}

impl Limits {
    /// No limits: the start of `Limits::NONE.max_length(64)`.
    pub const NONE: Limits = Limits {
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        min_items: None,
        max_items: None,
    };

    limit_setters! {
        /// With `minLength`.
        min_length: usize;
        /// With `maxLength`.
        max_length: usize;
        /// With `minimum`.
        minimum: f64;
        /// With `maximum`.
        maximum: f64;
        /// With `exclusiveMinimum`.
        exclusive_minimum: f64;
        /// With `exclusiveMaximum`.
        exclusive_maximum: f64;
        /// With `minItems`.
        min_items: usize;
        /// With `maxItems`.
        max_items: usize;
    }

    /// Checks `value`, the member `field` of the value at `path`.
    ///
    /// # Errors
    ///
    /// As [`Limited::check`], naming `path.field`.
    pub fn check<T: Limited>(&self, value: &T, path: &str, field: &str) -> Result<(), String> {
        value.check(self, &field_path(path, field))
    }
}

/// Validates `value`, the member `field` of the value at `path`.
///
/// # Errors
///
/// As [`Validate::validate`], naming `path.field…`.
pub fn validate_field<T: Validate>(value: &T, path: &str, field: &str) -> Result<(), String> {
    if !T::may_fail() {
        return Ok(());
    }
    value.validate(&field_path(path, field))
}

/// Validates the fields of a model: each of `values` (the fields of `members`, in the same
/// order) against its member's limits, then as [`validate_field`] does.
///
/// # Errors
///
/// The first field (in order) that breaks a limit, as [`Limits::check`] and
/// [`validate_field`] say.
pub fn validate_members(path: &str, members: &[Member], values: &[&dyn FieldValue]) -> Result<(), String> {
    for (member, value) in members.iter().zip(values) {
        value.validate_member(path, member)?;
    }
    Ok(())
}

/// A value [`validate_members`] validates: anything [`Validate`].
pub trait FieldValue {
    /// Checks the value, the field `member` of the value at `path`, against the member's
    /// limits, then as [`validate_field`].
    ///
    /// # Errors
    ///
    /// As [`Validate::check_limits`] and [`Validate::validate`], naming `path.field…`.
    fn validate_member(&self, path: &str, member: &Member) -> Result<(), String>;
}

impl<T: Validate> FieldValue for T {
    fn validate_member(&self, path: &str, member: &Member) -> Result<(), String> {
        if member.limits != Limits::NONE {
            self.check_limits(&member.limits, &field_path(path, member.name))?;
        }
        validate_field(self, path, member.name)
    }
}

/// A value [`Limits`] apply to: strings, numbers and arrays.
pub trait Limited {
    /// `Err` says which limit `path` breaks.
    fn check(&self, limits: &Limits, path: &str) -> Result<(), String>;
}

impl Limited for String {
    fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
        let len = self.chars().count();
        if let Some(min) = limits.min_length.filter(|min| len < *min) {
            return Err(format!("`{path}` must be at least {min} characters long"));
        }
        if let Some(max) = limits.max_length.filter(|max| len > *max) {
            return Err(format!("`{path}` must be at most {max} characters long"));
        }
        Ok(())
    }
}

fn check_number(value: f64, limits: &Limits, path: &str) -> Result<(), String> {
    if let Some(min) = limits.minimum.filter(|min| value < *min) {
        return Err(format!("`{path}` must be at least {min}"));
    }
    if let Some(max) = limits.maximum.filter(|max| value > *max) {
        return Err(format!("`{path}` must be at most {max}"));
    }
    if let Some(min) = limits.exclusive_minimum.filter(|min| value <= *min) {
        return Err(format!("`{path}` must be greater than {min}"));
    }
    if let Some(max) = limits.exclusive_maximum.filter(|max| value >= *max) {
        return Err(format!("`{path}` must be less than {max}"));
    }
    Ok(())
}

macro_rules! limited_numbers {
    ($($ty:ty),*) => {$(
        impl Limited for $ty {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
                check_number(*self as f64, limits, path)
            }
        }
    )*};
}

limited_numbers!(i32, i64, u32, u64, f32, f64);

impl<T> Limited for Vec<T> {
    fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
        if let Some(min) = limits.min_items.filter(|min| self.len() < *min) {
            return Err(format!("`{path}` must have at least {min} items"));
        }
        if let Some(max) = limits.max_items.filter(|max| self.len() > *max) {
            return Err(format!("`{path}` must have at most {max} items"));
        }
        Ok(())
    }
}

impl<T: Limited> Limited for Option<T> {
    fn check(&self, limits: &Limits, path: &str) -> Result<(), String> {
        match self {
            Some(inner) => inner.check(limits, path),
            None => Ok(()),
        }
    }
}

/// `parent.field` (or `field` at the top).
pub fn field_path(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_field_and_the_bound() {
        let limits = Limits { max_length: Some(3), ..Limits::default() };
        assert_eq!("abcd".to_string().check(&limits, "a.name"), Err("`a.name` must be at most 3 characters long".into()));
        let limits = Limits { minimum: Some(1.0), exclusive_maximum: Some(10.0), ..Limits::default() };
        assert_eq!(0i32.check(&limits, "n"), Err("`n` must be at least 1".into()));
        assert_eq!(10i64.check(&limits, "n"), Err("`n` must be less than 10".into()));
        assert_eq!(Some(5u32).check(&limits, "n"), Ok(()));
        let limits = Limits { min_items: Some(1), ..Limits::default() };
        assert_eq!(Vec::<u8>::new().check(&limits, "xs"), Err("`xs` must have at least 1 items".into()));
    }

    #[test]
    fn built_limits_check_the_member() {
        let limits = Limits::NONE.min_length(2).max_length(3);
        assert_eq!(limits, Limits { min_length: Some(2), max_length: Some(3), ..Limits::default() });
        assert_eq!(limits.check(&"abcd".to_string(), "a", "name"), Err("`a.name` must be at most 3 characters long".into()));
        assert_eq!(Limits::NONE.minimum(1.0).check(&Some(0i64), "", "n"), Err("`n` must be at least 1".into()));
        assert_eq!(validate_field(&Some(vec![1u8]), "a", "b"), Ok(()));
    }

    #[test]
    fn paths_nest() {
        assert_eq!(field_path("", "a"), "a");
        assert_eq!(field_path("a", "b"), "a.b");
    }
}
