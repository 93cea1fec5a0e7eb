//! The data directory holds secrets and tokens: it and everything in it are the owner's only
//! (directories 0700, files 0600), including files written later by the store.

use std::path::Path;

/// Creates the directory if needed, tightens what is already in it (a directory written by an
/// earlier release may be world-readable), and makes every file this process creates from
/// now on owner-only.
pub fn prepare(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        // Process-wide: the store opens files deep inside sled, beyond our reach.
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
    std::fs::create_dir_all(dir)?;
    tighten(dir)
}

#[cfg(unix)]
fn tighten(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // A file the store removed while we walk needs no tightening.
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if gone(&e) => return Ok(()),
        other => other?,
    };
    if meta.is_dir() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
        for entry in std::fs::read_dir(path)? {
            tighten(&entry?.path())?;
        }
    } else if meta.is_file() {
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if gone(&e) => {}
            other => other?,
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
