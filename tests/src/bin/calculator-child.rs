//! The example `calculator` as a child process, for the placement test: the same program
//! as `modkit-examples`' `calculator-oop`, built here so that this crate's tests can find
//! it (`CARGO_BIN_EXE_*` names only a package's own binaries).

// Linking the examples registers the calculator; `run_oop` runs only the configured module.
use modkit_examples as _;

fn main() -> Result<(), modkit::bootstrap::OopBootstrapError> {
    modkit::bootstrap::run_oop()
}
