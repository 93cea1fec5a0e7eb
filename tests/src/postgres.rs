//! A real PostgreSQL for the tests: Debian's server binaries, `initdb` into a temporary
//! directory, listening on a loopback port. One server per test process; each test gets a
//! database of its own. As root (CI) the server runs as the `postgres` user, since
//! PostgreSQL refuses to run as root. A watchdog stops it when the test process ends.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

struct Server {
    port: u16,
    bin: PathBuf,
    /// With TLS: the CA that signed the server's certificate.
    ca: Option<PathBuf>,
    /// Both outlive this process on purpose: the watchdog stops the server once it is gone.
    _postgres: std::process::Child,
    _watchdog: std::process::Child,
}

/// Where Debian (or `PATH`) keeps `initdb`, `postgres` and `pg_ctl`.
fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    if let Some(newest) = found.pop() {
        return newest;
    }
    let which = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
        .expect("sh");
    let path = String::from_utf8_lossy(&which.stdout).trim().to_owned();
    assert!(
        !path.is_empty(),
        "PostgreSQL is not installed: run `bash .ci/setup`"
    );
    Path::new(&path).parent().expect("bin dir").to_path_buf()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A command run as the server's user: `postgres` when we are root, else ourselves.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Which test server: its own fsyncs off (hookshape is what the tests kill, not PostgreSQL)
/// with room for many nodes; that with PostgreSQL's default `max_connections` (100); or for
/// benchmarks a durable one with the server's defaults.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Quick,
    DefaultConnections,
    Durable,
    Tls,
}

fn server_of(kind: Kind) -> &'static Server {
    static QUICK: OnceLock<Server> = OnceLock::new();
    static DEFAULT_CONNECTIONS: OnceLock<Server> = OnceLock::new();
    static DURABLE: OnceLock<Server> = OnceLock::new();
    static TLS: OnceLock<Server> = OnceLock::new();
    let cell = match kind {
        Kind::Quick => &QUICK,
        Kind::DefaultConnections => &DEFAULT_CONNECTIONS,
        Kind::Durable => &DURABLE,
        Kind::Tls => &TLS,
    };
    cell.get_or_init(|| start(kind))
}

fn server() -> &'static Server {
    server_of(Kind::Quick)
}

fn start(kind: Kind) -> Server {
    let durable = kind == Kind::Durable;
    let bin = bin_dir();
    let dir = std::env::temp_dir().join(format!(
        "hookshape-pg-{}-{}",
        std::process::id(),
        crate::child::free_port()
    ));
    std::fs::create_dir_all(&dir).expect("pg dir");
    // With TLS: a CA, and a certificate it signs for 127.0.0.1 only (the server also listens
    // on 127.0.0.2, a name the certificate does not have).
    let tls = (kind == Kind::Tls).then(|| {
        let ca = crate::certs::ca(&dir, "test-ca");
        let (cert, key) = crate::certs::server(&dir, &ca, "pg-server", &["IP:127.0.0.1"]);
        (ca, cert, key)
    });
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "postgres:", &dir.display().to_string()])
            .status()
            .expect("chown");
        assert!(ok.success(), "chown the PostgreSQL directory");
    }
    let data = dir.join("data");
    let init = as_server_user(&bin.join("initdb"))
        .args(["-D", &data.display().to_string()])
        .args(["-U", "hookshape", "--auth=trust", "--no-sync"])
        .args(["-E", "UTF8", "--locale=C"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("initdb");
    assert!(
        init.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let port = crate::child::free_port();
    let quick: &[&str] = if durable {
        &[]
    } else {
        &["-c", "fsync=off", "-c", "full_page_writes=off"]
    };
    let postgres = as_server_user(&bin.join("postgres"))
        .args(["-D", &data.display().to_string()])
        .args(["-p", &port.to_string()])
        .args(match &tls {
            None => vec!["-c".to_owned(), "listen_addresses=127.0.0.1".to_owned()],
            Some((_, cert, key)) => [
                "listen_addresses=127.0.0.1,127.0.0.2".to_owned(),
                "ssl=on".to_owned(),
                format!("ssl_cert_file={}", cert.display()),
                format!("ssl_key_file={}", key.display()),
            ]
            .into_iter()
            .flat_map(|setting| ["-c".to_owned(), setting])
            .collect(),
        })
        .args(["-c", &format!("unix_socket_directories={}", dir.display())])
        .args(quick)
        .args(if kind == Kind::DefaultConnections {
            &[][..]
        } else {
            &["-c", "max_connections=400"][..]
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start postgres");
    // Stops the server (and removes its files) once this test process is gone.
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {stop} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        stop = if is_root() {
            format!("runuser -u postgres -- {}", bin.join("pg_ctl").display())
        } else {
            bin.join("pg_ctl").display().to_string()
        },
        data = data.display(),
        dir = dir.display(),
    );
    let watchdog = Command::new("sh")
        .args(["-c", &watchdog])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("watchdog");
    let server = Server {
        port,
        bin,
        ca: tls.map(|(ca, _, _)| ca),
        _postgres: postgres,
        _watchdog: watchdog,
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let ready = Command::new(server.bin.join("pg_isready"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "PostgreSQL did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server
}

/// The URL of a new, empty database.
pub fn database() -> String {
    database_on(server())
}

/// The URL of a new, empty database on a server with PostgreSQL's default durability.
pub fn durable_database() -> String {
    database_on(server_of(Kind::Durable))
}

/// A new, empty database on a server that speaks TLS with a certificate for `127.0.0.1`
/// (also listening on `127.0.0.2`): its URL (no TLS parameters), and the CA to trust.
pub fn tls_database() -> (String, PathBuf) {
    let server = server_of(Kind::Tls);
    let ca = server.ca.clone().expect("a TLS server has a CA");
    (database_on(server), ca)
}

/// The URL of a new, empty database on a server left at PostgreSQL's default
/// `max_connections` (100), which no other test uses.
pub fn database_with_default_connections() -> String {
    database_on(server_of(Kind::DefaultConnections))
}

fn database_on(server: &Server) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let made = Command::new(server.bin.join("psql"))
        .args(["-h", "127.0.0.1", "-p", &server.port.to_string()])
        .args(["-U", "hookshape", "-d", "postgres", "-q", "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .expect("psql");
    assert!(
        made.status.success(),
        "create database: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    format!("postgres://hookshape@127.0.0.1:{}/{name}", server.port)
}

/// Runs one SQL statement on `url`'s database; its output, unaligned.
pub fn psql(url: &str, sql: &str) -> String {
    let server = server();
    let out = Command::new(server.bin.join("psql"))
        .arg(url)
        .args(["-At", "-c", sql])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
