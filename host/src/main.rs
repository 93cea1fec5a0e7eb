fn main() -> std::process::ExitCode {
    hookshape::cli::main()
}
