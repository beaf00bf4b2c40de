//! `unyo session`: an interactive shell on an instance in the user's own terminal, through
//! Session Manager with an AWS profile (resolved as `unyo whoami` resolves it), or on the
//! practice account. The terminal goes into raw mode so every key (Ctrl-C included) reaches
//! the remote shell, window size changes follow the terminal, and the remote shell's exit
//! status becomes `unyo`'s when the agent reports one. With input from a pipe it reads the
//! lines as typed keystrokes, for scripts.
//!
//! However `unyo` ends (the shell exits, the connection is lost, SIGINT, SIGTERM or a closed
//! terminal's SIGHUP), the session is terminated on the service, so nothing is left running.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

use clap::Args;
use tokio::sync::mpsc;
use unyo_core::AppError;
use unyo_core::session::{
    OpenedShell, SessionEnd, SessionEndReason, SessionEvent, ShellSession, TerminalSize,
};

use crate::account::{self, AccountArgs};
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct SessionArgs {
    // --region is the instance's region; the profile's own when omitted.
    #[command(flatten)]
    account: AccountArgs,
    /// The instance to open a shell on, e.g. i-0a1f3c5e7b9d10001.
    target: String,
}

/// What the size is reported as when there is no terminal to measure, as the plugin does.
const NO_TERMINAL_SIZE: TerminalSize = TerminalSize {
    cols: 300,
    rows: 100,
};
/// How long ending the session may take once `unyo` has been asked to stop.
const TERMINATE_TIMEOUT: Duration = Duration::from_secs(5);
/// The byte a terminal sends for Ctrl-D: end of input for the remote shell.
const END_OF_TRANSMISSION: u8 = 0x04;

/// What to do when piped input ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EndOfInput {
    /// The practice shell runs each command as it arrives, so nothing is left to wait for.
    Terminate,
    /// A real shell is still working through the input: it gets Ctrl-D, and ends by itself
    /// once it has read everything, as it would in a terminal.
    SendEof,
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
    match runtime() {
        Some(runtime) => runtime.block_on(session(args)),
        None => Exit::Failed as u8,
    }
}

async fn session(args: &SessionArgs) -> u8 {
    // The practice shell runs each command as it arrives; a real one is sent Ctrl-D.
    let end_of_input = if args.account.practice {
        EndOfInput::Terminate
    } else {
        EndOfInput::SendEof
    };
    match open(args).await {
        Ok(opened) => attach(opened, &args.target, end_of_input).await,
        Err(err) => output::error(&err, false) as u8,
    }
}

async fn open(args: &SessionArgs) -> Result<OpenedShell, AppError> {
    args.account.region()?;
    let cloud = account::open(&args.account).await?;
    cloud.require_sessions()?.open_shell(&args.target).await
}

/// The runtime the session commands run on: one worker, so a slow terminal never stalls the
/// channel's task.
pub(crate) fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => Some(runtime),
        Err(e) => {
            note(&format!("unyo: cannot start: {e}\n"));
            None
        }
    }
}

/// Connects the terminal to an open shell until the session ends; returns the exit code.
async fn attach(mut opened: OpenedShell, target: &str, end_of_input: EndOfInput) -> u8 {
    let session = opened.session.clone();
    let interactive = std::io::stdin().is_terminal();
    let raw = interactive.then(RawMode::enable).flatten();
    let mut window = WindowSize::new(interactive);
    // Sent before the shell starts, so that it starts at the terminal's size.
    let _ = session.resize(window.initial()).await;
    if raw.is_some() {
        note(&format!(
            "Starting session {} on {target}. Type exit to leave.\r\n",
            session.id()
        ));
    }
    let mut keys = read_stdin();
    let mut input_open = true;
    let mut stop = StopSignals::new();
    let mut stdout = std::io::stdout();
    loop {
        tokio::select! {
            event = opened.events.recv() => match event {
                Some(SessionEvent::Output(bytes)) => {
                    let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
                }
                Some(SessionEvent::Reconnecting { cause, gives_up_in_seconds }) => {
                    note(&format!(
                        "\r\n[connection lost: {cause}; reconnecting, for up to {gives_up_in_seconds} s]\r\n"
                    ));
                }
                Some(SessionEvent::Reconnected) => note("[reconnected]\r\n"),
                Some(SessionEvent::Closed(end)) => {
                    drop(raw);
                    note(&format!("\nSession {} ended.\n", session.id()));
                    return exit_code(&end, end_of_input, input_open);
                }
                None => return Exit::Ok as u8,
            },
            input = keys.recv(), if input_open => match input {
                Some(bytes) => {
                    // Writing fails only once the session is over; its Closed event follows.
                    if session.write(&bytes).await.is_err() {
                        input_open = false;
                    }
                }
                None => {
                    input_open = false;
                    let _ = match end_of_input {
                        EndOfInput::Terminate => session.terminate().await,
                        EndOfInput::SendEof => session.write(&[END_OF_TRANSMISSION]).await,
                    };
                }
            },
            size = window.changed() => {
                let _ = session.resize(size).await;
            }
            () = stop.requested() => {
                drop(raw);
                return terminate_now(session.as_ref()).await;
            }
        }
    }
}

/// The exit code for how the session ended.
fn exit_code(end: &SessionEnd, end_of_input: EndOfInput, input_open: bool) -> u8 {
    match end.reason {
        SessionEndReason::Exited => end.exit_code.map_or(Exit::Ok as u8, |code| {
            u8::try_from(code).unwrap_or(Exit::Failed as u8)
        }),
        // Ended here because piped input ran out: the script's session is done.
        SessionEndReason::Terminated if end_of_input == EndOfInput::Terminate && !input_open => {
            Exit::Ok as u8
        }
        // The connection was lost or the session expired; the reason has been printed.
        SessionEndReason::Terminated => Exit::Failed as u8,
    }
}

/// Ends the session on the service, bounded, because `unyo` is about to exit; reports after,
/// since the terminal may be gone (SIGHUP).
async fn terminate_now(session: &dyn ShellSession) -> u8 {
    let id = session.id();
    let text = match tokio::time::timeout(TERMINATE_TIMEOUT, session.terminate()).await {
        Ok(Ok(())) => format!("\nunyo: stopped; session {id} terminated\n"),
        Ok(Err(err)) => format!("\nunyo: stopped; {} ({:?})\n", err.message, err.code),
        Err(_) => format!(
            "\nunyo: stopped; session {id} did not confirm its end within {TERMINATE_TIMEOUT:?}\n"
        ),
    };
    note(&text);
    Exit::Failed as u8
}

/// A line for the user on stderr. Unlike `eprintln!` it does not panic when the terminal has
/// gone away, which is how a session ends when its window is closed.
pub(crate) fn note(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Keystrokes from stdin, read on a thread of their own (stdin reads block).
pub(crate) fn read_stdin() -> mpsc::Receiver<Vec<u8>> {
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

/// The terminal's size and its changes: SIGWINCH on Unix; elsewhere, where there is no such
/// signal, a poll every half second as the plugin does. Without a terminal nothing changes.
struct WindowSize {
    last: Option<TerminalSize>,
    #[cfg(unix)]
    changes: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))]
    interactive: bool,
}

impl WindowSize {
    fn new(interactive: bool) -> Self {
        Self {
            last: None,
            #[cfg(unix)]
            changes: interactive
                .then(|| {
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
                        .ok()
                })
                .flatten(),
            #[cfg(not(unix))]
            interactive,
        }
    }

    fn initial(&mut self) -> TerminalSize {
        self.last = measure();
        self.last.unwrap_or(NO_TERMINAL_SIZE)
    }

    /// Resolves with the new size when it differs from the last one reported.
    async fn changed(&mut self) -> TerminalSize {
        loop {
            self.tick().await;
            if let Some(size) = measure().filter(|size| Some(*size) != self.last) {
                self.last = Some(size);
                return size;
            }
        }
    }

    #[cfg(unix)]
    async fn tick(&mut self) {
        next(&mut self.changes).await;
    }

    #[cfg(not(unix))]
    async fn tick(&mut self) {
        if self.interactive {
            tokio::time::sleep(Duration::from_millis(500)).await;
        } else {
            std::future::pending::<()>().await;
        }
    }
}

fn measure() -> Option<TerminalSize> {
    crossterm::terminal::size()
        .ok()
        .filter(|&(cols, rows)| cols > 0 && rows > 0)
        .map(|(cols, rows)| TerminalSize { cols, rows })
}

/// The requests to stop `unyo` that would otherwise kill it without ending the session:
/// Ctrl-C when the terminal is not raw (piped input), and on Unix SIGTERM from supervisors
/// and SIGHUP from a closed terminal window.
pub(crate) struct StopSignals {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    pub(crate) fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                terminate: signal(SignalKind::terminate()).ok(),
                hangup: signal(SignalKind::hangup()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    pub(crate) async fn requested(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            () = interrupt() => {}
            () = next(&mut self.terminate) => {}
            () = next(&mut self.hangup) => {}
        }
        #[cfg(not(unix))]
        interrupt().await;
    }
}

/// Ctrl-C, or never when its handler cannot be installed.
async fn interrupt() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The next delivery of `signal`, or never when it could not be registered.
#[cfg(unix)]
async fn next(signal: &mut Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}
