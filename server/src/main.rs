//! Entry point of `crysknife`.

fn main() -> std::process::ExitCode {
    server::cli::main()
}
