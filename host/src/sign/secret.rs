//! Signing secrets: generation and validation.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore;

/// Why a secret is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("secret must be `whsec_` followed by base64 of 24 to 64 bytes")]
    NotWhsec,
    #[error("secret must be 16 to 256 printable ASCII characters")]
    Printable,
}

/// A new secret: `whsec_` and base64 of 32 random bytes (usable by every scheme).
pub fn generate_secret() -> String {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    format!("whsec_{}", B64.encode(key))
}

/// The key bytes of a `whsec_` secret.
pub(super) fn whsec_key(secret: &str) -> Result<Vec<u8>, SecretError> {
    let encoded = secret.strip_prefix("whsec_").ok_or(SecretError::NotWhsec)?;
    let key = B64.decode(encoded).map_err(|_| SecretError::NotWhsec)?;
    if (24..=64).contains(&key.len()) {
        Ok(key)
    } else {
        Err(SecretError::NotWhsec)
    }
}

/// A secret used as-is (hex-hmac): printable ASCII, 16 to 256 characters.
pub fn validate_secret(secret: &str) -> Result<(), SecretError> {
    let ok =
        (16..=256).contains(&secret.len()) && secret.bytes().all(|b| (0x21..0x7f).contains(&b));
    if ok {
        Ok(())
    } else {
        Err(SecretError::Printable)
    }
}
