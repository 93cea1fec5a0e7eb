//! The data directory holds secrets and tokens: it and everything in it are the owner's only
//! (directories 0700, files 0600), including files written later by the store.

use std::path::Path;

/// Creates the directory if needed, tightens what is already in it (a directory written by an
/// earlier release may be world-readable), and makes every file this process creates from
/// now on owner-only.
pub fn prepare(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        // Process-wide: the store opens files deep inside its engine, beyond our reach.
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
    create_dir_durably(dir)?;
    tighten(dir)
}

/// Creates `dir` and any missing parents so that their names survive a power cut: the
/// parent of each directory made is fsynced (a new directory is only an entry in its parent).
pub fn create_dir_durably(dir: &Path) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.exists() {
        missing.push(at);
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => break,
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    for made in missing {
        sync_dir(parent_of(made))?;
    }
    Ok(())
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

/// Makes a directory's entries durable (a file created, renamed or removed in it): a file's
/// own fsync does not cover its name.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Writes `bytes` to `path` so that after a crash or power cut the file holds either its old
/// content or all of `bytes`: a temp file, fsynced, renamed over, then the directory fsynced.
/// The file is the owner's only, like everything in the data directory. Each write has a temp
/// name of its own, so that writers of one path at once each rename a whole file.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_beside(path, "tmp");
    let written = write_synced(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(parent_of(path))
}

/// Creates `path` durably with `bytes` unless it exists: returns false, leaving the file
/// untouched, when another writer (thread or process) created it first. The whole file
/// appears at once (a synced temp file hard-linked to its name), so a reader never sees a
/// partial one and two creators never both win.
pub fn create_durably(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let tmp = temp_beside(path, "new");
    let linked = write_synced(&tmp, bytes).and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => sync_dir(parent_of(path)).map(|()| true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// A temp file's name beside `path`, its own to each write of this process.
fn temp_beside(path: &Path, kind: &str) -> std::path::PathBuf {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    path.with_extension(format!("{kind}{}-{n}", std::process::id()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Renames `from` to `to` durably (both are in one directory).
pub fn rename_durably(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::rename(from, to)?;
    sync_dir(parent_of(to))
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
