//! The journal file on disk: opened in WAL mode with `synchronous = FULL`, checked, brought
//! up to the current schema; and, when it is not a readable database, moved aside (with its
//! write-ahead log) under a timestamped name so that nothing is ever lost.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use unyo_core::{AppError, ErrorCode};

use crate::schema::{self, MigrateError};

/// How long a write waits for another handle's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a file did not open.
pub(crate) enum Failure {
    /// Not a database, or a damaged one: set it aside and start anew.
    Unreadable(String),
    /// Written by a newer Unyo: leave it alone.
    Newer(i64),
    /// Anything else (permissions, a full disk): say so and leave the file.
    Other(rusqlite::Error),
}

impl From<MigrateError> for Failure {
    fn from(e: MigrateError) -> Self {
        match e {
            MigrateError::Newer(version) => Self::Newer(version),
            MigrateError::Sqlite(e) => Self::from(e),
        }
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                Self::Unreadable(e.to_string())
            }
            _ => Self::Other(e),
        }
    }
}

impl Failure {
    pub(crate) fn into_app_error(self, place: &str) -> AppError {
        match self {
            Self::Unreadable(message) => AppError::new(
                ErrorCode::Storage,
                format!("the incident journal {place} could not be read: {message}"),
            ),
            Self::Newer(version) => AppError::new(
                ErrorCode::Storage,
                format!(
                    "the incident journal {place} was written by a newer Unyo (schema {version}, \
                     this one knows {}); update Unyo to record incidents",
                    schema::VERSION
                ),
            ),
            Self::Other(e) => storage(place, &e),
        }
    }
}

/// Opens a file connection in WAL mode, checks it and brings its schema up to date.
pub(crate) fn connect(path: &Path) -> Result<Connection, Failure> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "incident journal not in WAL mode");
    }
    // FULL, not WAL's usual NORMAL: an action the UI called recorded survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(Failure::Unreadable(check));
    }
    schema::migrate(&mut conn)?;
    Ok(conn)
}

/// Moves `path` and its write-ahead log to `<name>.unreadable-<stamp>` beside it.
pub(crate) fn set_aside(path: &Path, stamp: &str) -> Result<PathBuf, AppError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".unreadable-{stamp}"));
    let target = path.with_file_name(&name);
    let moved = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!(
                    "the incident journal {} is unreadable and could not be moved aside: {e}",
                    from.display()
                ),
            )
        })
    };
    moved(path, &target)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_os_string();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            let mut to = target.as_os_str().to_os_string();
            to.push(suffix);
            moved(&side, Path::new(&to))?;
        }
    }
    Ok(target)
}

pub(crate) fn storage(place: &str, e: &rusqlite::Error) -> AppError {
    if is_disk_full(e) {
        // SQLite's own words, "database or disk is full", leave the user guessing which; the
        // failed write was rolled back, so what was committed before is all still there.
        return AppError::new(
            ErrorCode::Storage,
            format!(
                "the disk holding the incident journal ({place}) is full: free some space and \
                 Unyo records again; nothing recorded so far is lost"
            ),
        );
    }
    AppError::new(
        ErrorCode::Storage,
        format!("the incident journal {place}: {e}"),
    )
}

/// Whether SQLite failed for want of space on the journal's disk.
fn is_disk_full(e: &rusqlite::Error) -> bool {
    match e.sqlite_error_code() {
        // What SQLite answers when a write gets ENOSPC (or a database reaches its
        // max_page_count, which the journal never sets).
        Some(rusqlite::ErrorCode::DiskFull) => true,
        // Growing the shared-memory file, syncing or truncating report ENOSPC as an I/O error.
        // rusqlite does not carry SQLite's errno (sqlite3_system_errno), but the call that
        // failed left it in this thread's errno, and what runs since (a rollback releasing
        // locks) does not usually fail and so leaves it as it was. Best effort: a miss keeps
        // SQLite's own message, "disk I/O error".
        Some(rusqlite::ErrorCode::SystemIoFailure) => {
            std::io::Error::last_os_error().kind() == std::io::ErrorKind::StorageFull
        }
        _ => false,
    }
}
