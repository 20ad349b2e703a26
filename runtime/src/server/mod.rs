//! The server side (placeholder while the server runtime is written).
