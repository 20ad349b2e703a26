//! Private helpers and the response/error types of the generated `client` module.

use proc_macro2::TokenStream;
use quote::quote;

/// `ResponseValue`, `RawResponse` and `Error`: what every client method returns.
pub fn response_types() -> TokenStream {
    quote! {
            /// A decoded response, with its status and headers.
            #[derive(Clone, Debug)]
            pub struct ResponseValue<T> {
                status: u16,
                headers: HeaderMap,
                value: T,
            }

            impl<T> ResponseValue<T> {
                fn new(status: u16, headers: HeaderMap, value: T) -> Self {
                    Self { status, headers, value }
                }

                /// The HTTP status code.
                pub fn status(&self) -> u16 {
                    self.status
                }

                /// The response headers.
                pub fn headers(&self) -> &HeaderMap {
                    &self.headers
                }

                /// The decoded value.
                pub fn into_inner(self) -> T {
                    self.value
                }

                /// Status, headers and decoded value.
                pub fn into_parts(self) -> (u16, HeaderMap, T) {
                    (self.status, self.headers, self.value)
                }
            }

            impl<T> std::ops::Deref for ResponseValue<T> {
                type Target = T;

                fn deref(&self) -> &T {
                    &self.value
                }
            }

            /// A response kept as it came: status, headers and raw body.
            #[derive(Clone)]
            pub struct RawResponse {
                /// The HTTP status code.
                pub status: u16,
                /// The response headers.
                pub headers: HeaderMap,
                /// The raw body.
                pub body: Vec<u8>,
            }

            // Raw bodies may hold tokens: `Debug` shows their size only.
            impl std::fmt::Debug for RawResponse {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct("RawResponse")
                        .field("status", &self.status)
                        .field("body", &format_args!("<{} bytes>", self.body.len()))
                        .finish_non_exhaustive()
                }
            }

            /// Why a call did not return a success response.
            #[derive(Debug)]
            pub enum Error<E> {
                /// A status the spec declares as an error, with its decoded body.
                Api(Box<ResponseValue<E>>),
                /// A status the spec does not declare.
                UnexpectedStatus(Box<RawResponse>),
                /// A declared status whose body or headers did not decode, and why.
                InvalidResponse(Box<RawResponse>, String),
                /// The request could not be encoded.
                InvalidRequest(String),
                /// The request could not be sent or the response not read.
                Transport(reqwest::Error),
            }

            impl<E> Error<E> {
                /// The HTTP status, when a response arrived.
                pub fn status(&self) -> Option<u16> {
                    match self {
                        Error::Api(response) => Some(response.status()),
                        Error::UnexpectedStatus(raw) | Error::InvalidResponse(raw, _) => Some(raw.status),
                        Error::InvalidRequest(_) => None,
                        Error::Transport(e) => e.status().map(|s| s.as_u16()),
                    }
                }

            }

            impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Error::Api(response) => write!(f, "error response {}: {:?}", response.status(), ***response),
                        Error::UnexpectedStatus(raw) => write!(f, "unexpected status {}", raw.status),
                        Error::InvalidResponse(raw, message) => write!(f, "invalid response with status {}: {message}", raw.status),
                        Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
                        Error::Transport(e) => write!(f, "transport error: {e}"),
                    }
                }
            }

            impl<E: std::fmt::Debug> std::error::Error for Error<E> {
                fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                    match self {
                        Error::Transport(e) => Some(e),
                        _ => None,
                    }
                }
            }

    }
}

pub fn raw_response_methods(json: bool, text: bool, headers: bool, required_headers: bool, errors: bool) -> TokenStream {
    let error = errors.then(|| {
        quote! {
            /// A declared error: the decoded value with this response's status and headers.
            fn error<E>(self, value: E) -> Error<E> {
                Error::Api(Box::new(ResponseValue::new(self.status, self.headers, value)))
            }
        }
    });
    let any_decoding = json || text || headers;
    let json = json.then(|| {
        quote! {
            /// The body as JSON.
            fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
                serde_json::from_slice(&self.body).map_err(|e| self.invalid(e.to_string()))
            }
        }
    });
    let text = text.then(|| {
        quote! {
            /// The body as UTF-8 text.
            fn text<E>(&self) -> Result<String, Error<E>> {
                String::from_utf8(self.body.clone()).map_err(|e| self.invalid(e.to_string()))
            }
        }
    });
    let header = headers.then(|| {
        quote! {
            /// A declared header, if present.
            fn header<T: ParamValue, E>(&self, name: &str) -> Result<Option<T>, Error<E>> {
                let Some(value) = self.headers.get(name) else { return Ok(None) };
                let decoded = value.to_str().map_err(|e| e.to_string()).and_then(T::from_param);
                decoded.map(Some).map_err(|message| self.invalid(format!("header `{name}`: {message}")))
            }
        }
    });
    let required_header = required_headers.then(|| {
        quote! {
            /// A declared header the spec requires.
            fn required_header<T: ParamValue, E>(&self, name: &str) -> Result<T, Error<E>> {
                self.header(name)?.ok_or_else(|| self.invalid(format!("missing required header `{name}`")))
            }
        }
    });
    let invalid = any_decoding.then(|| {
        quote! {
            fn invalid<E>(&self, message: String) -> Error<E> {
                Error::InvalidResponse(Box::new(self.clone()), message)
            }
        }
    });
    quote! {
        impl RawResponse {
            async fn read(response: reqwest::Response) -> Result<Self, reqwest::Error> {
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let body = response.bytes().await?.to_vec();
                Ok(RawResponse { status, headers, body })
            }

            /// A success: the decoded value with this response's status and headers.
            fn success<T>(self, value: T) -> ResponseValue<T> {
                ResponseValue::new(self.status, self.headers, value)
            }

            #error
            #json
            #text
            #header
            #required_header
            #invalid
        }
    }
}

pub fn multipart_helper() -> TokenStream {
    quote! {
        /// Encodes a body as `multipart/form-data`: one text part per property (arrays repeat
        /// the part, objects are sent as JSON).
        fn multipart_form<T: serde::Serialize, E>(body: &T) -> Result<reqwest::multipart::Form, Error<E>> {
            let value = serde_json::to_value(body).map_err(|e| Error::InvalidRequest(e.to_string()))?;
            let serde_json::Value::Object(fields) = value else {
                return Err(Error::InvalidRequest("a multipart body must be an object".to_string()));
            };
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in fields {
                let items = match value {
                    serde_json::Value::Array(items) => items,
                    other => vec![other],
                };
                for item in items {
                    let text = match item {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    form = form.text(name.clone(), text);
                }
            }
            Ok(form)
        }
    }
}

