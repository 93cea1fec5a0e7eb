//! Secrets at rest: signing secrets are sealed with the main key (XChaCha20-Poly1305, a
//! random 192-bit nonce each) before the store writes them, and opened when it reads them.
//! The only module that names the AEAD crate.
//!
//! The main key comes from `HOOKSHAPE_MAIN_KEY` (base64 of 32 bytes) or from `main.key` in
//! the data directory, generated on first use with mode 0600. A sealed value names its key
//! (`hks1:{key id}:{base64 nonce+ciphertext}`), so a rotation interrupted half-way can be
//! finished: `main.key.next` holds the new key until every secret is sealed with it.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const PREFIX: &str = "hks1:";
const KEY_FILE: &str = "main.key";
const NEXT_KEY_FILE: &str = "main.key.next";

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("main key: {0}")]
    Key(String),
    #[error("a sealed secret names key {0}, which is not loaded (wrong HOOKSHAPE_MAIN_KEY?)")]
    UnknownKey(String),
    #[error("a sealed secret does not open with its key (corrupt, or tampered with)")]
    Open,
}

#[derive(Clone)]
struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl Key {
    fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        let cipher = XChaCha20Poly1305::new_from_slice(bytes)
            .map_err(|_| SealError::Key("a main key is 32 bytes".into()))?;
        // An id that says which key sealed a value without revealing anything of it.
        let id = crate::sign::sha256_hex(&[b"hookshape key id:".as_slice(), bytes].concat())[..12]
            .to_owned();
        Ok(Key { id, cipher })
    }

    fn parse(text: &str) -> Result<Self, SealError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|e| SealError::Key(format!("not base64: {e}")))?;
        Key::from_bytes(&bytes)
    }
}

/// Seals with the current key; opens with any loaded key.
#[derive(Clone)]
pub struct Sealer {
    current: Key,
    others: Vec<Key>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(key {})", self.current.id)
    }
}

/// A fresh random main key, base64.
pub fn new_key() -> String {
    STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
}

impl Sealer {
    /// A sealer with one key given as base64.
    pub fn from_key(text: &str) -> Result<Self, SealError> {
        Ok(Sealer {
            current: Key::parse(text)?,
            others: Vec::new(),
        })
    }

    /// The id of the key that seals.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    pub fn is_sealed(value: &str) -> bool {
        value.starts_with(PREFIX)
    }

    /// Whether `value` is sealed with the current key.
    pub fn is_current(&self, value: &str) -> bool {
        value
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.current.id)
    }

    pub fn seal(&self, clear: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encrypting a byte slice in memory cannot fail.
        let sealed = self
            .current
            .cipher
            .encrypt(&nonce, clear.as_bytes())
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX}{}:{}", self.current.id, STANDARD.encode(bytes))
    }

    /// The clear value of a sealed one; a value that is not sealed (written before secrets
    /// were sealed) is returned as it is.
    pub fn open(&self, value: &str) -> Result<String, SealError> {
        let Some(rest) = value.strip_prefix(PREFIX) else {
            return Ok(value.to_owned());
        };
        let (id, data) = rest.split_once(':').ok_or(SealError::Open)?;
        let key = std::iter::once(&self.current)
            .chain(&self.others)
            .find(|k| k.id == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_owned()))?;
        let bytes = STANDARD.decode(data).map_err(|_| SealError::Open)?;
        if bytes.len() < 24 {
            return Err(SealError::Open);
        }
        let (nonce, sealed) = bytes.split_at(24);
        let clear = key
            .cipher
            .decrypt(XNonce::from_slice(nonce), sealed)
            .map_err(|_| SealError::Open)?;
        String::from_utf8(clear).map_err(|_| SealError::Open)
    }
}

/// The keys a data directory uses, and whether a rotation is to be finished.
pub struct Loaded {
    pub sealer: Sealer,
    /// A rotation was interrupted: reseal everything, then [`finish_rotation`].
    pub rotating: bool,
}

fn read_key_file(path: &Path) -> Result<Option<Key>, SealError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Key::parse(&text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SealError::Key(format!("{}: {e}", path.display()))),
    }
}

fn write_key_file(path: &Path, key: &str) -> Result<(), SealError> {
    // Files are created owner-only (the data directory's umask); written durably, so that a
    // power cut never leaves secrets sealed with a key that is gone.
    crate::data_dir::write_durably(path, format!("{key}\n").as_bytes())
        .map_err(|e| SealError::Key(format!("{}: {e}", path.display())))
}

/// A new key in `path`, or the one another opener of the directory created first: two
/// servers (or stores) starting at once on one directory must seal with the same key.
fn create_key_file(path: &Path) -> Result<Key, SealError> {
    let text = new_key();
    let created = crate::data_dir::create_durably(path, format!("{text}\n").as_bytes())
        .map_err(|e| SealError::Key(format!("{}: {e}", path.display())))?;
    if created {
        return Key::parse(&text);
    }
    read_key_file(path)?.ok_or_else(|| SealError::Key(format!("{}: vanished", path.display())))
}

/// The keys of `dir`: `env_key` (from `HOOKSHAPE_MAIN_KEY`) when given, else `main.key`
/// (created now when missing), with `main.key.next` when a rotation was interrupted.
pub fn load(dir: &Path, env_key: Option<&str>) -> Result<Loaded, SealError> {
    let main = match env_key {
        Some(text) => Key::parse(text)?,
        None => match read_key_file(&dir.join(KEY_FILE))? {
            Some(k) => k,
            None => create_key_file(&dir.join(KEY_FILE))?,
        },
    };
    Ok(match read_key_file(&dir.join(NEXT_KEY_FILE))? {
        Some(next) if env_key.is_none() => Loaded {
            sealer: Sealer {
                current: next,
                others: vec![main],
            },
            rotating: true,
        },
        _ => Loaded {
            sealer: Sealer {
                current: main,
                others: Vec::new(),
            },
            rotating: false,
        },
    })
}

/// Starts a rotation of the key file: writes the new key beside the old one and returns a
/// sealer that seals with the new key and opens with both.
pub fn begin_rotation(dir: &Path, old: &Sealer) -> Result<Sealer, SealError> {
    let text = new_key();
    write_key_file(&dir.join(NEXT_KEY_FILE), &text)?;
    with_new_key(old, &text)
}

/// A sealer that seals with `new` (base64) and opens with it and `old`'s keys.
pub fn with_new_key(old: &Sealer, new: &str) -> Result<Sealer, SealError> {
    let mut others = vec![old.current.clone()];
    others.extend(old.others.iter().cloned());
    Ok(Sealer {
        current: Key::parse(new)?,
        others,
    })
}

/// Ends a rotation once every secret is sealed with the new key: it becomes `main.key`.
pub fn finish_rotation(dir: &Path) -> Result<(), SealError> {
    let next: PathBuf = dir.join(NEXT_KEY_FILE);
    crate::data_dir::rename_durably(&next, &dir.join(KEY_FILE))
        .map_err(|e| SealError::Key(format!("{}: {e}", next.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_of_one_directory_at_once_share_one_key() {
        let dir = std::env::temp_dir().join(format!("hookshape-seal-{}", crate::model::new_ulid()));
        std::fs::create_dir(&dir).expect("dir");
        let sealed: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| load(&dir, None).expect("load").sealer.seal("x")))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        let key = load(&dir, None).expect("load").sealer;
        for s in &sealed {
            assert_eq!(
                key.open(s).expect("every opener sealed with the kept key"),
                "x"
            );
        }
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from(KEY_FILE)],
            "no temp file is left"
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn sealed_values_open_only_with_their_key() {
        let a = Sealer::from_key(&new_key()).expect("key");
        let b = Sealer::from_key(&new_key()).expect("key");
        let sealed = a.seal("whsec_secret");
        assert!(!sealed.contains("whsec_secret"));
        assert_ne!(sealed, a.seal("whsec_secret"), "a fresh nonce each time");
        assert_eq!(a.open(&sealed).expect("opens"), "whsec_secret");
        assert!(matches!(b.open(&sealed), Err(SealError::UnknownKey(_))));
        let both = with_new_key(&a, &new_key()).expect("key");
        assert_eq!(
            both.open(&sealed).expect("old key still opens"),
            "whsec_secret"
        );
        assert!(!both.is_current(&sealed));
        assert_eq!(a.open("plain").expect("clear passes"), "plain");
        let mut tampered = sealed.clone();
        tampered.insert(sealed.len() - 3, 'A');
        tampered.truncate(sealed.len());
        assert!(a.open(&tampered).is_err());
    }
}
