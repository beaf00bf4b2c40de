//! Writing results and errors, as a table or as JSON.

use serde::Serialize;
use unyo_core::AppError;

use crate::exit::Exit;

pub fn json<T: Serialize>(value: &T) -> Exit {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            Exit::Ok
        }
        Err(e) => {
            eprintln!("unyo: cannot write JSON: {e}");
            Exit::Failed
        }
    }
}

/// Reports an error: in JSON mode as `{"error": {code, message}}` on stdout, so a script
/// reading stdout always gets a document; otherwise as a line on stderr.
pub fn error(err: &AppError, as_json: bool) -> Exit {
    if as_json {
        json(&serde_json::json!({ "error": err }));
    } else {
        eprintln!("unyo: {} ({:?})", err.message, err.code);
    }
    Exit::Failed
}
