//! The client side: what every generated client is built on.
//!
//! A generated `Client` wraps a [`Core`] (base URL, `reqwest::Client`, credentials,
//! [`Config`]) and has one async method per operation. Each method builds a [`Request`],
//! hands it to [`Core::send`] with the operation's [`Operation`] description (its security
//! requirement and OAuth role) and decodes the [`RawResponse`] by status into a
//! [`ResponseValue`] or an [`Error`].

mod core;
mod error;
mod request;
mod response;
mod retry;

pub use self::core::{Config, Core, Operation, Scheme};
pub use crate::ApiKeyLocation;
pub use error::{ApiError, EncodeError, Error};
pub use request::{encode_path, path_value, Body, Request};
pub use response::{ApiResult, DeclaredErrors, RawResponse, ResponseValue};
pub use retry::{is_idempotent, retry_after, RetryPolicy};

pub use reqwest::header::HeaderMap;
pub use reqwest::Method;

/// The HTTP client generated clients send with.
pub use reqwest;
