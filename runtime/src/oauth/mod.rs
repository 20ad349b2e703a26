//! OAuth 2.0 as the RFCs define it: token types (RFC 6749 §7.1), error responses (§5.2),
//! grant types, token responses (§5.1, RFC 8693 §2.2.1), client authentication (§2.3.1),
//! and the roles an endpoint can play.
//!
//! Generated code uses these where a spec leaves room or is narrower than the RFC: a
//! `token_type` of `"Bearer"` decodes whatever enum the spec declares, an RFC 6749 error is
//! reachable from any error response, client credentials go as HTTP Basic or in the body.

mod client_auth;
mod error;
mod grant;
mod token_response;
mod token_type;

pub use client_auth::{form_decode, form_encode, ClientAuth, ClientAuthMethod};
pub use error::{ErrorCode, ErrorResponse};
pub use grant::GrantType;
pub use token_response::TokenResponse;
pub use token_type::TokenType;

/// The OAuth role of an operation, as the generator recognised it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Not an OAuth endpoint.
    None,
    /// A token endpoint (RFC 6749 §3.2): client authentication applies, responses are not
    /// cached.
    Token,
    /// A token revocation endpoint (RFC 7009): client authentication applies.
    Revocation,
    /// A token introspection endpoint (RFC 7662): client authentication applies.
    Introspection,
}

impl Role {
    /// Whether the client authenticates itself to this endpoint (RFC 6749 §2.3).
    pub fn authenticates_client(self) -> bool {
        !matches!(self, Role::None)
    }
}
