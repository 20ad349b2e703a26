//! The client side (placeholder while the client runtime is written).
