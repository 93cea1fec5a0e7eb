//! Signing: pure functions over bytes (hmac + sha2), and the one place that names them.

use sha2::{Digest, Sha256};

/// Hex sha256 of some bytes (plugin ids).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
