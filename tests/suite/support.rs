//! Helpers shared by the integration tests that work on a copy of an inventory.

use std::fs;
use std::path::Path;

/// Copies the folder `from` (recursively) to `to`, so a test can change an inventory without
/// touching the fixture.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}
