//! Reference implementations of the four generated `server::Api` traits, and the test
//! harness that serves them.
//!
//! Each implementation keeps its state in memory behind a `std::sync::Mutex` and is cheap
//! to clone: clones share the state, so a test can keep one clone to inspect the state
//! (tokens issued, calls that reached the implementation) while the router owns another.
//!
//! They behave like the real services as far as their public documentation and the RFCs
//! describe them (RFC 6749, 7009, 7591/7592, 8693), and document the few "magic" inputs
//! that reach the error responses a real service only gives under load or failure.
//!
//! On OAuth endpoints they authenticate the client as RFC 6749 §2.3 asks: from
//! `request.client`, the one client authentication the router hands over however it came
//! (HTTP Basic, form-decoded, or `client_id`/`client_secret` in the body); a wrong, unknown
//! or missing client gets `401 invalid_client` (the router adds `WWW-Authenticate`).
//!
//! Tokens are "random-looking" but deterministic: a counter run through SplitMix64.

use base64::Engine as _;

pub mod confluent;
pub mod harness;
pub mod nutanix;
pub mod polaris;
pub mod treezor;

/// A deterministic, random-looking 64-bit value for counter `n` (SplitMix64).
pub(crate) fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An opaque token: `prefix` and 32 hex digits derived from counter `n`.
pub(crate) fn opaque(prefix: &str, n: u64) -> String {
    format!("{prefix}{:016x}{:016x}", mix(n), mix(n ^ 0xA5A5_A5A5))
}

/// A UUID-shaped (version 4 layout) identifier derived from counter `n`.
pub(crate) fn uuid(n: u64) -> String {
    let (a, b) = (mix(n), mix(!n));
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// A JWT (RFC 7519) with `claims` and a fake HS256 signature: good enough for services
/// that read the claims, worthless as a credential. Used as subject token for Confluent
/// and as access token by Treezor.
pub fn jwt(claims: &serde_json::Value) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64.encode(claims.to_string());
    let signature = b64.encode(mix(payload.len() as u64).to_be_bytes());
    format!("{header}.{payload}.{signature}")
}

/// The claims of a JWT-shaped token (three base64url segments, JSON header and payload),
/// or `None` when it is not one. The signature is not checked.
pub fn jwt_claims(token: &str) -> Option<serde_json::Value> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut segments = token.split('.');
    let (header, payload, signature) = (segments.next()?, segments.next()?, segments.next()?);
    if segments.next().is_some() || signature.is_empty() {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(&b64.decode(header).ok()?).ok()?;
    header.get("alg")?.as_str()?;
    let claims: serde_json::Value = serde_json::from_slice(&b64.decode(payload).ok()?).ok()?;
    claims.is_object().then_some(claims)
}
