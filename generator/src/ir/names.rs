//! Name sanitizing, done once while building the IR: every identifier that reaches output
//! comes from here.

use std::borrow::Cow;
use std::collections::BTreeSet;


/// Rust 2021 keywords (strict and reserved) that need `r#`, sorted (binary-searched).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: renamed with a trailing `_`.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Spells symbols that would otherwise vanish, so `+1` and `-1` stay apart. A plain
/// `snake_case` or `kebab-case` name keeps its `_` or `-`: the case conversions read them as
/// the spaces they would become, and answer it at once (see [`upper_camel_case`]).
fn spell_symbols(s: &str) -> Cow<'_, str> {
    if is_plain_snake(s) || is_ascii_alphanumeric(s) {
        return Cow::Borrowed(s);
    }
    // A version number (`1.2`, `-0.5`) keeps its dots as `_`.
    let numeric = s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '+' if i == 0 => out.push_str("plus "),
            '-' if i == 0 => out.push_str("minus "),
            '*' => out.push_str(" star "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '@' => out.push_str(" at "),
            '.' if numeric => out.push('_'),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    Cow::Owned(out)
}

/// Whether `s` is made of ASCII letters and digits only (a plain loop: the proc macro runs
/// this unoptimized, where iterator adapters cost several times more).
fn is_ascii_alphanumeric(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `s` is made of ASCII letters, digits and `_` only (names mostly are: the case
/// conversions skip their character-by-character work for them).
fn is_ascii_word(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

/// `s` without the characters that are not ASCII letters, digits or `_` (the same `String`
/// when there are none: names mostly are plain).
fn ascii_only(s: String) -> String {
    if is_ascii_word(&s) {
        return s;
    }
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// Whether `s` is ASCII `snake_case` or `kebab-case` that case conversion only splits into
/// words: lower-case letters, digits and single inner `_` or `-`, starting with a letter.
fn is_plain_snake(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let ok = match b[i] {
            b'a'..=b'z' => true,
            b'0'..=b'9' => i > 0,
            b'_' | b'-' => i > 0 && i + 1 < b.len() && !matches!(b[i - 1], b'_' | b'-'),
            _ => false,
        };
        if !ok {
            return false;
        }
        i += 1;
    }
    !b.is_empty()
}

/// Whether `s` is ASCII `UpperCamelCase` made of capitalised words: letters and digits,
/// starting upper-case, every other capital right after a lower-case letter.
fn is_plain_camel(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        let ok = match b[i] {
            b'A'..=b'Z' => b[i - 1].is_ascii_lowercase(),
            b'a'..=b'z' | b'0'..=b'9' => true,
            _ => false,
        };
        if !ok {
            return false;
        }
        i += 1;
    }
    b.first().is_some_and(u8::is_ascii_uppercase)
}

/// `heck`'s `UpperCamelCase`, answered at once for plain snake and camel case (the proc macro
/// runs this unoptimized, and most names come spelled one of those ways).
pub(crate) fn upper_camel_case(s: &str) -> String {
    if is_plain_camel(s) {
        return s.to_string();
    }
    if is_plain_snake(s) {
        // Each word capitalised (a plain loop: `split` on two characters is slow unoptimized).
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut start = 0;
        for end in 1..=b.len() {
            if end == b.len() || b[end] == b'_' || b[end] == b'-' {
                out.push(char::from(b[start].to_ascii_uppercase()));
                out.push_str(&s[start + 1..end]);
                start = end + 1;
            }
        }
        return out;
    }
    if s.is_ascii() {
        return join_ascii_words(s, "", true);
    }
    heck::ToUpperCamelCase::to_upper_camel_case(s)
}

/// `heck`'s `snake_case`, answered at once for plain snake and camel case (see
/// [`upper_camel_case`]).
pub(crate) fn snake_case(s: &str) -> String {
    if is_plain_snake(s) {
        return if s.as_bytes().contains(&b'-') { s.replace('-', "_") } else { s.to_string() };
    }
    if is_plain_camel(s) {
        let mut out = String::with_capacity(s.len() + 4);
        for (i, c) in s.bytes().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(char::from(c.to_ascii_lowercase()));
        }
        return out;
    }
    if s.is_ascii() {
        return join_ascii_words(s, "_", false);
    }
    heck::ToSnakeCase::to_snake_case(s)
}

/// `heck`'s case conversion of ASCII text, without its formatter calls per character: the
/// words `heck` finds (split at every character that is not a letter or digit, then at each
/// lower-to-upper step and before the last capital of a run followed by a lower-case letter:
/// `HTTPServer` → `HTTP`, `Server`), joined by `separator`, lower-cased, or capitalised when
/// `capitalize`.
fn join_ascii_words(s: &str, separator: &str, capitalize: bool) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        /// No letter since the last word boundary.
        None,
        Lower,
        Upper,
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut first = true;
    let mut push = |word: &[u8], out: &mut String| {
        if !first {
            out.push_str(separator);
        }
        first = false;
        for (i, b) in word.iter().enumerate() {
            out.push(char::from(if capitalize && i == 0 { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() }));
        }
    };
    for word in s.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        let mut start = 0;
        let mut case = Case::None;
        for (i, &c) in word.iter().enumerate() {
            let Some(&next) = word.get(i + 1) else {
                push(&word[start..], &mut out);
                break;
            };
            let next_case = if c.is_ascii_lowercase() {
                Case::Lower
            } else if c.is_ascii_uppercase() {
                Case::Upper
            } else {
                case
            };
            if next_case == Case::Lower && next.is_ascii_uppercase() {
                push(&word[start..=i], &mut out);
                start = i + 1;
                case = Case::None;
            } else if case == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                push(&word[start..i], &mut out);
                start = i;
                case = Case::None;
            } else {
                case = next_case;
            }
        }
    }
    out
}

/// `UpperCamelCase` type or variant name; `fallback` when nothing usable remains.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut camel = ascii_only(upper_camel_case(&spell_symbols(raw)));
    // Non-ASCII letters are dropped: what remains must still start upper-case (`ÜBER` → `Ber`).
    match camel.get_mut(..1) {
        None => camel = fallback.to_string(),
        Some(first) => first.make_ascii_uppercase(),
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}{camel}")
    } else if NOT_RAW.contains(&camel.as_str()) {
        format!("{camel}_")
    } else {
        camel
    }
}

/// `snake_case` field, argument or method name, as a string that `syn` accepts as an
/// identifier (keywords become raw identifiers).
pub fn field_name(raw: &str) -> String {
    let snake = ascii_only(snake_case(&spell_symbols(raw)));
    let snake = if snake.is_empty() || snake.chars().all(|c| c == '_') { "field".to_string() } else { snake };
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("field_{snake}")
    } else if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if KEYWORDS.binary_search(&snake.as_str()).is_ok() {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The name without a leading `r#`.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Returns `name`, or `name2`, `name3`, … : the first not yet in `used`, and records it.
pub fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|i| format!("{name}{i}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(name)
}

/// Snake-case `unique`: `name_2`, `name_3`, … (raw identifiers stay raw-free after a suffix).
pub fn unique_snake(name: String, used: &mut BTreeSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    let base = unraw(&name).to_string();
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(name)
}

/// Shortens variant names by dropping the words every one of them starts (or ends) with,
/// when what remains is still a set of distinct, valid names:
/// `[UrnIetfParamsOauthTokenTypeJwt, UrnIetfParamsOauthTokenTypeSaml2]` → `[Jwt, Saml2]`.
pub fn strip_common_words(names: &[String]) -> Vec<String> {
    if names.len() < 2 {
        return names.to_vec();
    }
    let words: Vec<Vec<&str>> = names.iter().map(|n| split_camel(n)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let mut prefix = 0;
    while prefix < shortest && words.iter().all(|w| w[prefix] == words[0][prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < shortest - prefix
        && words.iter().all(|w| w[w.len() - 1 - suffix] == words[0][words[0].len() - 1 - suffix])
    {
        suffix += 1;
    }
    let shortened: Vec<String> = words.iter().map(|w| w[prefix..w.len() - suffix].concat()).collect();
    let distinct: BTreeSet<&String> = shortened.iter().collect();
    let valid = shortened
        .iter()
        .all(|n| n.starts_with(|c: char| c.is_ascii_uppercase()) && !NOT_RAW.contains(&n.as_str()));
    if (prefix > 0 || suffix > 0) && valid && distinct.len() == names.len() {
        shortened
    } else {
        names.to_vec()
    }
}

/// Splits `UpperCamel2Case` into `[Upper, Camel2, Case]`.
fn split_camel(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick paths of the case conversions agree with `heck` on names of every shape.
    #[test]
    fn case_conversion_matches_heck() {
        let mut names: Vec<String> = [
            "a", "A", "ab", "Ab", "AB", "aB", "abC", "AbC", "ABc", "HTTPServer", "http_server", "v3", "V3", "v3_foo",
            "V3Foo", "Foo2Bar", "foo2bar", "Foo2bar", "a2b", "A2b", "_a", "a_", "a__b", "a_2", "2a", "Self", "self",
            "clientId", "client_id", "ClientId", "x_Y", "X_y", "Éa", "aÉ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every string of up to five characters over a small alphabet.
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '-', ' ', '.'];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            frontier = frontier.iter().flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}"))).collect();
            names.extend(frontier.iter().cloned());
        }
        for n in &names {
            assert_eq!(upper_camel_case(n), heck::ToUpperCamelCase::to_upper_camel_case(n.as_str()), "{n:?}");
            assert_eq!(snake_case(n), heck::ToSnakeCase::to_snake_case(n.as_str()), "{n:?}");
        }
    }

    /// `spell_symbols` keeps the `_` and `-` of a plain `snake_case` or `kebab-case` name, which
    /// it otherwise spells as spaces: the case conversions must read both the same.
    #[test]
    fn plain_snake_separators_read_as_spaces() {
        let alphabet = ['a', 'z', '1', '_', '-'];
        let mut frontier = vec![String::new()];
        for _ in 0..6 {
            frontier = frontier.iter().flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}"))).collect();
            for n in frontier.iter().filter(|n| is_plain_snake(n)) {
                let spaced = n.replace(['_', '-'], " ");
                assert_eq!(upper_camel_case(n), heck::ToUpperCamelCase::to_upper_camel_case(spaced.as_str()), "{n:?}");
                assert_eq!(snake_case(n), heck::ToSnakeCase::to_snake_case(spaced.as_str()), "{n:?}");
            }
        }
        assert_eq!(type_name("client_id", "T"), "ClientId");
        assert_eq!(field_name("oauth2_token"), "oauth2_token");
        assert_eq!(field_name("client-id"), "client_id");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("sts.v1.TokenExchangeRequest", "T"), "StsV1TokenExchangeRequest");
        assert_eq!(type_name("OAuthTokenResponse", "T"), "OAuthTokenResponse");
        assert_eq!(type_name("urn:ietf:params:oauth:token-type:jwt", "V"), "UrnIetfParamsOauthTokenTypeJwt");
        assert_eq!(type_name("200", "V"), "V200");
        assert_eq!(type_name("", "Empty"), "Empty");
        assert_eq!(type_name("+1", "V"), "Plus1");
        assert_eq!(type_name("-1", "V"), "Minus1");
        assert_eq!(type_name("self", "V"), "Self_");
        assert_eq!(type_name("N_A", "V"), "NA");
        assert_eq!(type_name("ÜBER", "V"), "Ber");
        assert_eq!(type_name("über_x", "V"), "BerX");
        assert_eq!(type_name("ü", "Fallback"), "Fallback");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("docUrl"), "doc_url");
        assert_eq!(field_name("X-RateLimit-Limit"), "x_rate_limit_limit");
        assert_eq!(field_name("1st"), "field_1st");
        assert_eq!(field_name("$"), "field");
        assert_eq!(field_name("async"), "r#async");
        // Every keyword is found (the list is binary-searched).
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]), "KEYWORDS must stay sorted");
        for keyword in KEYWORDS {
            assert_eq!(field_name(keyword), format!("r#{keyword}"));
        }
    }

    #[test]
    fn uniqueness() {
        let mut used = BTreeSet::new();
        assert_eq!(unique("Foo".into(), &mut used), "Foo");
        assert_eq!(unique("Foo".into(), &mut used), "Foo2");
        assert_eq!(unique_snake("r#type".into(), &mut used), "r#type");
        assert_eq!(unique_snake("r#type".into(), &mut used), "type_2");
    }

    #[test]
    fn common_words_are_stripped_only_when_safe() {
        let names = vec!["UrnTokenTypeJwt".to_string(), "UrnTokenTypeSaml2".to_string()];
        assert_eq!(strip_common_words(&names), vec!["Jwt", "Saml2"]);
        let names = vec!["OAuthClientCredentialsRequest".to_string(), "OAuthTokenExchangeRequest".to_string()];
        assert_eq!(strip_common_words(&names), vec!["ClientCredentials", "TokenExchange"]);
        let names = vec!["AccessToken".to_string(), "Token".to_string()];
        assert_eq!(strip_common_words(&names), names);
    }
}
