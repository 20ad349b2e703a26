use std::fmt;

use crate::Secret;

/// How a client authenticates to a token, revocation or introspection endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientAuthMethod {
    /// HTTP Basic with the id and secret form-encoded first (RFC 6749 §2.3.1;
    /// `client_secret_basic`). What servers MUST support, and the default.
    Basic,
    /// `client_id` and `client_secret` in the request body (`client_secret_post`).
    Post,
    /// A public client: only `client_id` in the body (RFC 6749 §2.1, `none`).
    None,
}

impl ClientAuthMethod {
    /// The name RFC 7591 registers for the method.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuthMethod::Basic => "client_secret_basic",
            ClientAuthMethod::Post => "client_secret_post",
            ClientAuthMethod::None => "none",
        }
    }
}

/// A client's credentials and the one method it authenticates with (RFC 6749 §2.3: never
/// more than one per request). `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientAuth {
    /// The client identifier.
    pub client_id: String,
    /// The client secret (absent for public clients).
    pub client_secret: Option<Secret>,
    /// How the credentials travel.
    pub method: ClientAuthMethod,
}

impl ClientAuth {
    /// HTTP Basic (`client_secret_basic`).
    pub fn basic(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientAuth { client_id: client_id.into(), client_secret: Some(client_secret.into()), method: ClientAuthMethod::Basic }
    }

    /// In the body (`client_secret_post`).
    pub fn post(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientAuth { client_id: client_id.into(), client_secret: Some(client_secret.into()), method: ClientAuthMethod::Post }
    }

    /// A public client, identified by `client_id` in the body.
    pub fn public(client_id: impl Into<String>) -> Self {
        ClientAuth { client_id: client_id.into(), client_secret: None, method: ClientAuthMethod::None }
    }

    /// The `Authorization` header value for [`ClientAuthMethod::Basic`]: id and secret
    /// form-encoded, joined by `:`, then base64 (RFC 6749 §2.3.1).
    pub fn basic_header(&self) -> Option<String> {
        if self.method != ClientAuthMethod::Basic {
            return None;
        }
        let secret = self.client_secret.as_ref().map(Secret::expose).unwrap_or_default();
        let pair = format!("{}:{}", form_encode(&self.client_id), form_encode(secret));
        Some(format!("Basic {}", base64_encode(pair.as_bytes())))
    }

    /// Puts the credentials where [`ClientAuth::method`] says into form `fields`: for Basic,
    /// takes `client_id`/`client_secret` out of the body (they travel in the header); for
    /// the body methods, sets them.
    pub fn apply_to_form(&self, fields: &mut Vec<(String, String)>) {
        fields.retain(|(k, _)| k != "client_id" && k != "client_secret");
        match self.method {
            ClientAuthMethod::Basic => {}
            ClientAuthMethod::Post => {
                fields.push(("client_id".into(), self.client_id.clone()));
                let secret = self.client_secret.as_ref().map(Secret::expose).unwrap_or_default();
                fields.push(("client_secret".into(), secret.to_string()));
            }
            ClientAuthMethod::None => fields.push(("client_id".into(), self.client_id.clone())),
        }
    }
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("method", &self.method)
            .finish()
    }
}

/// `application/x-www-form-urlencoded` encoding of one value (RFC 6749 Appendix B).
pub fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            other => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(other >> 4)]));
                out.push(char::from(HEX[usize::from(other & 15)]));
            }
        }
    }
    out
}

/// Undoes [`form_encode`]; `None` for a broken `%` escape or text that is not UTF-8.
pub fn form_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(b) = input.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = char::from(input.next()?).to_digit(16)?;
                let lo = char::from(input.next()?).to_digit(16)?;
                bytes.push(u8::try_from(hi * 16 + lo).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

/// Standard base64 with padding (RFC 4648 §4), for the Basic header.
fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_form_encodes_first() {
        // RFC 6749 §2.3.1: "client:id" with secret "a b/c" → "client%3Aid:a+b%2Fc".
        let auth = ClientAuth::basic("client:id", "a b/c");
        assert_eq!(auth.basic_header().unwrap(), format!("Basic {}", base64_encode(b"client%3Aid:a+b%2Fc")));
        assert_eq!(base64_encode(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(ClientAuth::post("a", "b").basic_header(), None);
    }

    #[test]
    fn form_fields_follow_the_method() {
        let mut fields = vec![("grant_type".to_string(), "x".to_string()), ("client_id".to_string(), "old".to_string())];
        ClientAuth::basic("id", "s").apply_to_form(&mut fields);
        assert_eq!(fields, vec![("grant_type".to_string(), "x".to_string())]);
        ClientAuth::post("id", "s").apply_to_form(&mut fields);
        assert_eq!(fields.len(), 3);
        assert!(fields.contains(&("client_secret".to_string(), "s".to_string())));
        ClientAuth::public("id").apply_to_form(&mut fields);
        assert_eq!(fields, vec![("grant_type".to_string(), "x".to_string()), ("client_id".to_string(), "id".to_string())]);
    }

    #[test]
    fn form_decoding_undoes_encoding() {
        for text in ["a b", "ü:%+", "plain"] {
            assert_eq!(form_decode(&form_encode(text)).as_deref(), Some(text));
        }
        assert_eq!(form_decode("%zz"), None);
        assert!(!format!("{:?}", ClientAuth::basic("id", "topsecret")).contains("topsecret"));
    }
}
