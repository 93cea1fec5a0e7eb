//! The `hookshape` entry point, built inside the test crate so that its tests can run the
//! real command line as a child process (cargo exposes only a package's own binaries).

fn main() -> std::process::ExitCode {
    hookshape::cli::main()
}
