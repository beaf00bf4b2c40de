//! `unyo forward` and `unyo ssh-proxy` on the practice account, as a user runs them: real TCP
//! on loopback to the simulated nginx and sshd, what is printed where, and exit codes.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";
const LIMIT: Duration = Duration::from_secs(20);

fn unyo(args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("unyo"));
    // Hermetic: never the developer's real ~/.aws.
    cmd.args(args)
        .env("HOME", "/nonexistent-home")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env_remove("AWS_PROFILE");
    cmd
}

/// The lines a child prints on stdout, as they come.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads lines until one satisfies `wanted`; returns it.
fn line_until(lines: &mpsc::Receiver<String>, wanted: impl Fn(&str) -> bool) -> String {
    let mut seen = Vec::new();
    loop {
        match lines.recv_timeout(LIMIT) {
            Ok(line) if wanted(&line) => return line,
            Ok(line) => seen.push(line),
            Err(_) => panic!("never printed the line wanted; printed {seen:#?}"),
        }
    }
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn wait(child: &mut Child) -> i32 {
    let deadline = std::time::Instant::now() + LIMIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("unyo did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn forward_serves_nginx_on_loopback_and_sigterm_stops_it() {
    let mut child = unyo(&[
        "forward",
        "--practice",
        WEB_PROD_1,
        "--remote",
        "80",
        "--local",
        "127.0.0.1:0",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let lines = lines_of(&mut child);
    let listening = line_until(&lines, |l| l.starts_with("Listening on "));
    let address = listening.trim_start_matches("Listening on ").to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    let cli = line_until(&lines, |l| l.starts_with("AWS CLI equivalent: "));
    assert!(
        cli.contains(&format!(
            "aws ssm start-session --target {WEB_PROD_1} --document-name AWS-StartPortForwardingSession"
        )),
        "{cli}"
    );
    assert!(cli.contains(r#""portNumber":["80"]"#), "{cli}");

    let mut http = TcpStream::connect(&address).unwrap();
    http.set_read_timeout(Some(LIMIT)).unwrap();
    http.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    http.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("Welcome to nginx"), "{page}");
    let counts = line_until(&lines, |l| l.contains("1 total"));
    assert!(counts.starts_with("connections: "), "{counts}");

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let code = wait(&mut child);
    let stderr = stderr_of(&mut child);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(
        TcpStream::connect(&address).is_err(),
        "nothing listens any more"
    );
}

#[test]
fn forward_refuses_a_non_loopback_address_without_allow_remote() {
    let out = unyo(&[
        "forward",
        "--practice",
        WEB_PROD_1,
        "--remote",
        "80",
        "--local",
        "0.0.0.0:0",
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--allow-remote"), "{stderr}");
    assert!(stderr.contains("InvalidInput"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing was opened");
}

#[test]
fn forward_rejects_a_remote_that_is_not_a_port() {
    let out = unyo(&["forward", "--practice", WEB_PROD_1, "--remote", "db:http"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("not a port number"), "{stderr}");
}

#[test]
fn ssh_proxy_puts_the_ssh_banner_and_nothing_else_on_stdout() {
    let mut child = unyo(&["ssh-proxy", "--practice", WEB_PROD_1])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut banner = [0; 21];
    stdout.read_exact(&mut banner).unwrap();
    assert_eq!(&banner, b"SSH-2.0-OpenSSH_9.6\r\n");
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"SSH-2.0-OpenSSH_9.6 client\r\n")
        .unwrap();
    // The SSH client is done: closing its end ends the proxy.
    drop(child.stdin.take());
    let code = wait(&mut child);
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "only the stream on stdout: {rest:?}");
    assert_eq!(code, 0, "{}", stderr_of(&mut child));
}

#[test]
fn ssh_proxy_to_a_port_nothing_listens_on_says_so_on_stderr() {
    let out = unyo(&["ssh-proxy", "--practice", WEB_PROD_1, "--port", "2222"])
        .stdin(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("nothing listens on port 2222"), "{stderr}");
}

#[test]
fn session_with_an_unknown_profile_names_it() {
    let files = tempfile::tempdir().unwrap();
    let config = files.path().join("config");
    std::fs::write(&config, "[profile ops]\nregion = ap-northeast-1\n").unwrap();
    let out = unyo(&["session", "--profile", "nope", WEB_PROD_1])
        .env("HOME", files.path())
        .env("XDG_CONFIG_HOME", files.path().join("xdg"))
        .env("AWS_CONFIG_FILE", &config)
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            files.path().join("credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("nope"), "{stderr}");
    assert!(stderr.contains("InvalidInput"), "{stderr}");
}
