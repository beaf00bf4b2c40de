//! The commands verification probes run (see `unyo_core::verify::script`), with the output
//! and exit status their parser reads.

use super::*;

/// Runs `line` as root, as Run Command does; returns its output and status.
fn root(shell: &mut Session, line: &str) -> (String, i32) {
    let text = shell.execute(&format!("sudo {line}"));
    (text, shell.last_status())
}

#[test]
fn the_status_of_the_last_command_expands_in_double_quotes() {
    let mut shell = shell();
    assert_eq!(shell.execute("false"), "");
    assert_eq!(shell.execute("echo \"::end:$?::\""), "::end:1::\n");
    assert_eq!(
        shell.execute("nosuch 2>&1"),
        "sh: nosuch: command not found\n"
    );
    assert_eq!(shell.last_status(), 127);
    assert_eq!(shell.execute("echo \"$?\" '$?'"), "127 $?\n");
    // Within one line, `$?` is the status of the command before it.
    assert_eq!(shell.execute("true; echo $?; false || echo $?"), "0\n1\n");
}

#[test]
fn systemctl_answers_is_active_and_is_enabled_with_their_statuses() {
    let mut shell = shell();
    assert_eq!(
        root(&mut shell, "systemctl is-active sshd 2>&1"),
        ("active\n".to_owned(), 0)
    );
    assert_eq!(
        root(&mut shell, "systemctl is-enabled sshd 2>&1"),
        ("enabled\n".to_owned(), 0)
    );
    root(&mut shell, "systemctl disable --now sshd");
    assert_eq!(
        root(&mut shell, "systemctl is-active sshd 2>&1"),
        ("inactive\n".to_owned(), 3)
    );
    assert_eq!(
        root(&mut shell, "systemctl is-enabled sshd.service 2>&1"),
        ("disabled\n".to_owned(), 1)
    );
    let (text, status) = root(&mut shell, "systemctl is-enabled telnetd");
    assert!(text.starts_with("Failed to get unit file state"), "{text}");
    assert_eq!(status, 1);
}

#[test]
fn stat_prints_owner_and_octal_mode_in_its_format() {
    let mut shell = shell();
    let config = "/etc/ssh/sshd_config";
    assert_eq!(
        root(&mut shell, &format!("stat -c '%U %a' {config} 2>&1")),
        ("root 600\n".to_owned(), 0)
    );
    root(&mut shell, &format!("chmod 0655 {config}"));
    assert_eq!(
        root(&mut shell, &format!("stat --format='%U %a %A %n' {config}")),
        (format!("root 655 -rw-r-xr-x {config}\n"), 0)
    );
    assert_eq!(
        root(&mut shell, "stat -c '%U %a' /etc/ssh"),
        ("root 755\n".to_owned(), 0)
    );
    assert_eq!(
        root(&mut shell, "stat -c '%U %a' /etc/nope 2>&1"),
        (
            "stat: cannot statx '/etc/nope': No such file or directory\n".to_owned(),
            1
        )
    );
}

#[test]
fn sshd_t_fails_with_255_when_the_config_is_missing() {
    let mut shell = shell();
    assert_eq!(root(&mut shell, "sshd -t 2>&1"), (String::new(), 0));
    root(&mut shell, "rm /etc/ssh/sshd_config");
    assert_eq!(
        root(&mut shell, "sshd -t 2>&1"),
        (
            "/etc/ssh/sshd_config: No such file or directory\n".to_owned(),
            255
        )
    );
}

#[test]
fn ss_lists_port_22_only_while_sshd_runs() {
    let mut shell = shell();
    let (text, status) = root(&mut shell, "ss -tln 2>&1");
    assert_eq!(status, 0);
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("State  Recv-Q Send-Q Local Address:Port"))
    );
    let locals: Vec<&str> = lines.filter_map(|l| l.split_whitespace().nth(3)).collect();
    assert_eq!(locals, ["0.0.0.0:80", "[::]:80", "0.0.0.0:22", "[::]:22"]);
    assert!(!text.contains("users:"), "no -p, no processes: {text}");
    assert!(root(&mut shell, "ss -tlnp").0.contains("users:((\"sshd\""));
    root(&mut shell, "systemctl stop sshd");
    let (text, _) = root(&mut shell, "ss -tln");
    assert!(!text.contains(":22 "), "{text}");
    assert!(text.contains("0.0.0.0:80 "), "{text}");
}

#[test]
fn ps_o_comm_prints_one_process_name_a_line() {
    let mut shell = shell();
    let (text, status) = root(&mut shell, "ps -eo comm 2>&1");
    assert_eq!(status, 0);
    let names: Vec<&str> = text.lines().collect();
    assert_eq!(names.first(), Some(&"COMMAND"));
    for name in ["systemd", "sshd", "amazon-ssm-agen", "nginx"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    root(&mut shell, "systemctl stop sshd");
    assert!(
        !root(&mut shell, "ps -e -o comm")
            .0
            .lines()
            .any(|l| l == "sshd")
    );
    // The default stays `ps aux`.
    assert!(shell.execute("ps aux").starts_with("USER "));
}

#[test]
fn df_p_gives_the_posix_format_for_a_path() {
    let mut shell = shell();
    let (text, status) = root(&mut shell, "df -P / 2>&1");
    assert_eq!(status, 0);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        [
            "Filesystem",
            "1024-blocks",
            "Used",
            "Available",
            "Capacity",
            "Mounted",
            "on"
        ]
    );
    let row: Vec<&str> = lines[1].split_whitespace().collect();
    // 2,310 of 8,192 MiB, rounded up.
    assert_eq!(
        row,
        [
            "/dev/nvme0n1p1",
            "8388608",
            "2365440",
            "6023168",
            "29%",
            "/"
        ]
    );
    assert_eq!(root(&mut shell, "df -P /var/log/nginx").0, text);
    assert_eq!(
        root(&mut shell, "df -P /nope 2>&1"),
        ("df: /nope: No such file or directory\n".to_owned(), 1)
    );
    // `df -h` keeps its human form.
    assert!(shell.execute("df -h").contains(" Use% Mounted on"));
}
