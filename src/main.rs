//! The `seminars` binary: parse the command line, load settings, run the command.

fn main() {
    std::process::exit(seminars::cli::main());
}
