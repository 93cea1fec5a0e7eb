//! A test plugin that tries to read a file: its component imports `wasi:filesystem`, which the
//! host links with no directory, so the read fails.

use hookshape_sdk::json::Value;
use hookshape_sdk::{Event, Outcome, Plugin};

pub struct UsesFilesystem;

impl Plugin for UsesFilesystem {
    fn configure(_config: Value) -> Result<Self, String> {
        Ok(UsesFilesystem)
    }

    fn transform(&self, _event: Event) -> Result<Outcome, String> {
        let secret = std::fs::read_to_string("/etc/passwd").map_err(|e| e.to_string())?;
        Ok(Outcome::json(&Value::String(secret)))
    }
}

hookshape_sdk::export_plugin!(UsesFilesystem);
