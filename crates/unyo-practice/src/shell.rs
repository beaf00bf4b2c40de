//! The practice account's shell: what a Session Manager session on a simulated instance talks
//! to. It takes the raw keystrokes a terminal sends and answers with the bytes a terminal
//! shows, like a real `sh` behind a pseudo-terminal: echo, line editing, prompts, `sudo`,
//! pipes into filters. Commands read and change the instance's [`Host`], which belongs to the
//! account, not the session: what one session breaks, the next one finds broken.
//!
//! Lists (`;`, `&&`, `||`), `$?`, `2>&1` and `*` in file names work, so Run Command scripts
//! (verification probes among them) run here too.
//!
//! Non-goals: a general shell language (no other variables, other redirections or job
//! control).

mod edit;
mod files;
mod resources;
mod script;
mod system;

use crate::host::Host;

/// Who the shell runs as: Session Manager logs in as `ssm-user`; `sudo -i` makes root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    SsmUser,
    Root,
}

impl User {
    pub fn name(self) -> &'static str {
        match self {
            User::SsmUser => "ssm-user",
            User::Root => "root",
        }
    }
}

/// The result of one command: what it printed and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub text: String,
    pub status: i32,
}

impl Output {
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            status: 0,
        }
    }

    pub fn fail(status: i32, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            status,
        }
    }
}

/// What a command sees: the machine, who runs it, and its standard input (from a pipe).
#[derive(Debug)]
pub struct Context<'a> {
    pub host: &'a mut Host,
    pub user: User,
    pub cwd: &'a str,
    pub stdin: Option<&'a str>,
}

#[derive(Debug)]
pub struct PracticeShell {
    /// The login user, and the user of a `sudo -i` shell on top of it.
    users: Vec<User>,
    /// Beside each entry of `users`: which shell it is.
    kinds: Vec<Kind>,
    cwd: String,
    line: String,
    /// Inside an escape sequence (arrow keys and the like), which the shell ignores.
    escape: Escape,
    closed: bool,
    last_status: i32,
}

/// Session Manager's `sh`, a `bash` started from it, or a `sudo -i` login shell (bash too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sh,
    Bash,
    Login,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    Started,
    Csi,
}

impl PracticeShell {
    /// Opens a session: returns the shell and the first bytes the terminal shows.
    pub fn open(host: &Host) -> (Self, Vec<u8>) {
        let shell = Self {
            users: vec![User::SsmUser],
            kinds: vec![Kind::Sh],
            cwd: "/usr/bin".to_owned(),
            line: String::new(),
            escape: Escape::None,
            closed: false,
            last_status: 0,
        };
        let prompt = shell.prompt(host).into_bytes();
        (shell, prompt)
    }

    /// A non-interactive root shell, as Run Command's `AWS-RunShellScript` runs scripts.
    pub fn as_root() -> Self {
        Self {
            users: vec![User::Root],
            kinds: vec![Kind::Sh],
            cwd: "/usr/bin".to_owned(),
            line: String::new(),
            escape: Escape::None,
            closed: false,
            last_status: 0,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The status of the last command, as `$?` would give it.
    pub fn last_status(&self) -> i32 {
        self.last_status
    }

    fn user(&self) -> User {
        self.users.last().copied().unwrap_or(User::SsmUser)
    }

    /// `sh` or `bash`, as error messages name the shell.
    fn shell_name(&self) -> &'static str {
        match self.kinds.last() {
            Some(Kind::Bash | Kind::Login) => "bash",
            _ => "sh",
        }
    }

    fn prompt(&self, host: &Host) -> String {
        match (self.user(), self.shell_name()) {
            (User::SsmUser, "sh") => "sh-5.2$ ".to_owned(),
            (User::SsmUser, _) => {
                // bash's default PS1, `[\u@\h \W]\$ `: short host name, last path part.
                let short = host.hostname.split('.').next().unwrap_or_default();
                let dir = match self.cwd.as_str() {
                    "/home/ssm-user" => "~",
                    "/" => "/",
                    cwd => cwd.rsplit('/').next().unwrap_or(cwd),
                };
                format!("[ssm-user@{short} {dir}]$ ")
            }
            (User::Root, _) => format!("[root@{} ~]# ", host.hostname),
        }
    }

    /// Feeds keystrokes; returns what the terminal should display.
    pub fn feed(&mut self, host: &mut Host, input: &[u8]) -> Vec<u8> {
        let mut out = String::new();
        for ch in String::from_utf8_lossy(input).chars() {
            if self.closed {
                break;
            }
            match (self.escape, ch) {
                (Escape::Started, '[') => self.escape = Escape::Csi,
                (Escape::Started, _) => self.escape = Escape::None,
                // A CSI sequence ends with a letter or `~`.
                (Escape::Csi, c) if c.is_ascii_alphabetic() || c == '~' => {
                    self.escape = Escape::None
                }
                (Escape::Csi, _) => {}
                (Escape::None, '\x1b') => self.escape = Escape::Started,
                (Escape::None, '\r' | '\n') => {
                    out.push_str("\r\n");
                    let line = std::mem::take(&mut self.line);
                    out.push_str(&self.execute(host, &line).replace('\n', "\r\n"));
                    if !self.closed {
                        out.push_str(&self.prompt(host));
                    }
                }
                (Escape::None, '\x7f' | '\x08') => {
                    if self.line.pop().is_some() {
                        out.push_str("\x08 \x08");
                    }
                }
                (Escape::None, '\x03') => {
                    self.line.clear();
                    out.push_str("^C\r\n");
                    out.push_str(&self.prompt(host));
                }
                (Escape::None, '\x04') if self.line.is_empty() => {
                    out.push_str(&self.execute(host, "exit").replace('\n', "\r\n"));
                    if !self.closed {
                        out.push_str(&self.prompt(host));
                    }
                }
                (Escape::None, c) if !c.is_control() => {
                    self.line.push(c);
                    out.push(c);
                }
                (Escape::None, _) => {}
            }
        }
        out.into_bytes()
    }

    /// Runs one command line (a list of pipelines) and returns its output.
    pub fn execute(&mut self, host: &mut Host, line: &str) -> String {
        let mut text = String::new();
        let mut status = self.last_status;
        for (pipeline, condition) in script::list(line) {
            let wanted = match condition {
                script::Run::Always => true,
                script::Run::IfOk => status == 0,
                script::Run::IfFailed => status != 0,
            };
            if !wanted || self.closed {
                continue;
            }
            let (out, code) = self.pipeline(host, &pipeline);
            text.push_str(&out);
            status = code;
            self.last_status = code;
        }
        text
    }

    /// Runs `cmd | cmd | ...`, feeding each command's output to the next.
    fn pipeline(&mut self, host: &mut Host, line: &str) -> (String, i32) {
        let segments = script::split_outside_quotes(line, "|");
        if segments.iter().all(|s| s.trim().is_empty()) {
            return (String::new(), self.last_status);
        }
        let mut stdin: Option<String> = None;
        let mut result = Output::ok("");
        for segment in segments {
            let command = script::expand(segment.trim(), self.last_status);
            let argv = match shell_words::split(&command) {
                Ok(argv) if !argv.is_empty() => script::expand_globs(host, &self.cwd, argv),
                Ok(_) => {
                    return ("sh: syntax error near unexpected token `|'\n".to_owned(), 2);
                }
                Err(_) => {
                    return (
                        "sh: unexpected EOF while looking for matching quote\n".to_owned(),
                        2,
                    );
                }
            };
            result = self.run(host, &argv, stdin.as_deref());
            stdin = Some(result.text.clone());
        }
        (result.text, result.status)
    }

    fn run(&mut self, host: &mut Host, argv: &[String], stdin: Option<&str>) -> Output {
        let args: Vec<&str> = argv.iter().map(String::as_str).collect();
        match args.as_slice() {
            ["exit", rest @ ..] | ["logout", rest @ ..] => {
                // Like sh: `exit N` ends with N, a bare `exit` with the last command's status.
                let status = rest
                    .first()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(self.last_status);
                self.users.pop();
                let kind = self.kinds.pop();
                if self.users.is_empty() {
                    self.closed = true;
                    Output::fail(status, "")
                } else {
                    match kind {
                        // Leaving a `sudo -i` login shell.
                        Some(Kind::Login) => Output::fail(status, "logout\n"),
                        Some(Kind::Bash) => Output::fail(status, "exit\n"),
                        _ => Output::fail(status, ""),
                    }
                }
            }
            ["sudo", "-i"] | ["sudo", "su"] | ["sudo", "su", "-"] | ["sudo", "-s"] => {
                self.users.push(User::Root);
                self.kinds.push(Kind::Login);
                Output::ok("")
            }
            ["bash"] | ["/bin/bash"] | ["bash", "-l"] | ["/bin/bash", "-l"] => {
                // What many type first in a Session Manager session, which starts in sh.
                self.users.push(self.user());
                self.kinds.push(Kind::Bash);
                Output::ok("")
            }
            ["sudo"] => Output::fail(1, "usage: sudo command\n"),
            ["sudo", rest @ ..] => self.dispatch(host, rest, User::Root, stdin),
            ["cd"] => {
                self.cwd = if self.user() == User::Root {
                    "/root"
                } else {
                    "/home/ssm-user"
                }
                .to_owned();
                Output::ok("")
            }
            ["cd", dir] => {
                let target = files::absolute(&self.cwd, dir);
                if host.is_dir(&target) || target.starts_with("/home") || target == "/root" {
                    self.cwd = target;
                    Output::ok("")
                } else {
                    Output::fail(
                        1,
                        format!(
                            "{}: cd: {dir}: No such file or directory\n",
                            self.shell_name()
                        ),
                    )
                }
            }
            _ => self.dispatch(host, &args, self.user(), stdin),
        }
    }

    fn dispatch(
        &mut self,
        host: &mut Host,
        args: &[&str],
        user: User,
        stdin: Option<&str>,
    ) -> Output {
        let Some((&command, rest)) = args.split_first() else {
            return Output::ok("");
        };
        let mut ctx = Context {
            host,
            user,
            cwd: &self.cwd,
            stdin,
        };
        match command {
            "whoami" => Output::ok(format!("{}\n", user.name())),
            "pwd" => Output::ok(format!("{}\n", self.cwd)),
            "hostname" => Output::ok(format!("{}\n", ctx.host.hostname)),
            "echo" => Output::ok(format!("{}\n", rest.join(" "))),
            "clear" => Output::ok("\x1b[H\x1b[2J"),
            "systemctl" => system::systemctl(&mut ctx, rest),
            "journalctl" => system::journalctl(&ctx, rest),
            "ps" => resources::ps(&ctx, rest),
            "ss" => resources::ss(&ctx, rest),
            "df" => resources::df(&ctx, rest),
            "free" => resources::free(&ctx),
            "sshd" | "/usr/sbin/sshd" => system::sshd(&ctx, rest),
            "ls" => files::ls(&ctx, rest),
            "cat" => files::cat(&ctx, rest),
            "stat" => files::stat(&ctx, rest),
            "chmod" => files::chmod(&mut ctx, rest),
            "tail" => files::tail(&ctx, rest),
            "head" => files::head(&ctx, rest),
            "grep" => files::grep(&ctx, rest),
            "cp" => edit::cp(&mut ctx, rest),
            "rm" => edit::rm(&mut ctx, rest),
            "truncate" => edit::truncate(&mut ctx, rest),
            "sed" => edit::sed(&mut ctx, rest),
            "diff" => edit::diff(&ctx, rest),
            "du" => edit::du(&ctx, rest),
            "date" => Output::ok(format!("{} UTC\n", ctx.host.now)),
            "uptime" => {
                // Load follows CPU use on the practice hosts' two vCPUs.
                let load = ctx.host.cpu_percent() / 50.0;
                Output::ok(format!(
                    " {} up 8 days,  7:51,  1 user,  load average: {load:.2}, {load:.2}, {load:.2}\n",
                    ctx.host.now.get(11..).unwrap_or_default()
                ))
            }
            "true" => Output::ok(""),
            "false" => Output::fail(1, ""),
            _ => Output::fail(
                127,
                format!("{}: {command}: command not found\n", self.shell_name()),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
