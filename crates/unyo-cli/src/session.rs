//! `unyo session`: an interactive shell on an instance in the user's own terminal. The
//! terminal goes into raw mode so every key (Ctrl-C included) reaches the remote shell, and
//! the remote shell's exit status becomes `unyo`'s. With input from a pipe it reads the lines
//! as typed keystrokes, for scripts.

use std::io::{IsTerminal, Read, Write};

use clap::Args;
use tokio::sync::mpsc;
use unyo_core::Cloud;
use unyo_core::session::{SessionEndReason, SessionEvent};
use unyo_practice::PracticeCloud;

use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct SessionArgs {
    /// Use the practice account (simulated, offline, free). Required until AWS profiles can be
    /// read by the CLI.
    #[arg(long, required = true)]
    practice: bool,
    /// The instance to open a shell on, e.g. i-0a1f3c5e7b9d10001.
    target: String,
}

/// Restores the terminal when the session ends, however it ends.
struct RawMode;

impl RawMode {
    fn enable() -> Option<Self> {
        crossterm::terminal::enable_raw_mode()
            .ok()
            .map(|()| RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

pub fn run(args: &SessionArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("unyo: cannot start: {e}");
            return Exit::Failed as u8;
        }
    };
    runtime.block_on(session(args))
}

async fn session(args: &SessionArgs) -> u8 {
    let cloud = PracticeCloud::new();
    let mut opened = match cloud.open_shell(&args.target).await {
        Ok(opened) => opened,
        Err(err) => return output::error(&err, false) as u8,
    };
    let session = opened.session.clone();
    let raw = std::io::stdin()
        .is_terminal()
        .then(RawMode::enable)
        .flatten();
    if raw.is_some() {
        eprint!(
            "Starting session {} on {}. Type exit to leave.\r\n",
            session.id(),
            args.target
        );
    }
    let mut keys = read_stdin();
    let mut stdout = std::io::stdout();
    loop {
        tokio::select! {
            event = opened.events.recv() => match event {
                Some(SessionEvent::Output(bytes)) => {
                    let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
                }
                Some(SessionEvent::Closed(end)) => {
                    drop(raw);
                    eprintln!("\nSession {} ended.", session.id());
                    return match end.reason {
                        SessionEndReason::Exited => end.exit_code.and_then(|c| u8::try_from(c).ok()).unwrap_or(0),
                        SessionEndReason::Terminated => Exit::Ok as u8,
                    };
                }
                None => return Exit::Ok as u8,
            },
            input = keys.recv() => match input {
                Some(bytes) => {
                    if let Err(err) = session.write(&bytes).await {
                        drop(raw);
                        return output::error(&err, false) as u8;
                    }
                }
                // End of piped input without `exit`: end the session rather than leave it open.
                None => {
                    let _ = session.terminate().await;
                }
            },
        }
    }
}

/// Keystrokes from stdin, read on a thread of their own (stdin reads block).
fn read_stdin() -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel(64);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = stdin.read(&mut buf) {
            if tx.blocking_send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}
