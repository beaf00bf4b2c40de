use super::*;

/// A shell on a fresh web server, with commands run as if typed.
struct Session {
    host: Host,
    shell: PracticeShell,
}

impl Session {
    fn execute(&mut self, line: &str) -> String {
        self.shell.execute(&mut self.host, line)
    }

    fn feed(&mut self, bytes: &[u8]) -> String {
        String::from_utf8(self.shell.feed(&mut self.host, bytes)).unwrap()
    }

    /// Types a line as a terminal would and returns what the terminal shows.
    fn type_line(&mut self, line: &str) -> String {
        self.feed(format!("{line}\r").as_bytes())
    }

    fn last_status(&self) -> i32 {
        self.shell.last_status()
    }

    fn is_closed(&self) -> bool {
        self.shell.is_closed()
    }
}

fn shell() -> Session {
    let host = Host::amazon_linux_web("ip-10-0-1-11.ap-northeast-1.compute.internal");
    let shell = PracticeShell::open(&host).0;
    Session { host, shell }
}

#[test]
fn opens_with_a_prompt_and_echoes_keystrokes() {
    let host = Host::amazon_linux_web("ip-10-0-1-11");
    let (shell, first) = PracticeShell::open(&host);
    assert_eq!(first, b"sh-5.2$ ");
    let mut session = Session { host, shell };
    assert_eq!(
        session.type_line("whoami"),
        "whoami\r\nssm-user\r\nsh-5.2$ "
    );
}

#[test]
fn edits_the_line_like_a_terminal() {
    let mut shell = shell();
    // Backspace, ignored arrow keys, then Ctrl-C abandons a line.
    let shown = shell.feed(b"whoamx\x7fi\x1b[A\x1b[D\r");
    assert_eq!(shown, "whoamx\x08 \x08i\r\nssm-user\r\nsh-5.2$ ");
    let shown = shell.feed(b"rm -rf /\x03");
    assert_eq!(shown, "rm -rf /^C\r\nsh-5.2$ ");
}

#[test]
fn unknown_commands_and_bad_quotes_fail_like_sh() {
    let mut shell = shell();
    assert_eq!(
        shell.execute("vim /etc/hosts"),
        "sh: vim: command not found\n"
    );
    assert_eq!(shell.last_status(), 127);
    assert!(shell.execute("echo 'unclosed").contains("matching quote"));
}

#[test]
fn stopping_sshd_needs_root_and_shows_everywhere() {
    let mut shell = shell();
    assert!(
        shell
            .execute("systemctl stop sshd")
            .contains("Interactive authentication required")
    );
    assert!(shell.host.services["sshd"].active);

    assert_eq!(shell.execute("sudo systemctl stop sshd"), "");
    assert_eq!(shell.execute("systemctl is-active sshd"), "inactive\n");
    assert_eq!(shell.last_status(), 3);
    let status = shell.execute("sudo systemctl status sshd.service");
    assert!(
        status.contains("○ sshd.service - OpenSSH server daemon"),
        "{status}"
    );
    assert!(status.contains("Active: inactive (dead)"));
    assert!(status.contains("Stopped sshd.service"));
    assert!(!shell.execute("ss -tlnp").contains(":22 "));
    assert!(!shell.execute("ps aux").contains("/usr/sbin/sshd"));

    assert_eq!(shell.execute("sudo systemctl start sshd"), "");
    assert_eq!(shell.execute("systemctl is-active sshd"), "active\n");
    assert!(shell.execute("sudo ss -tlnp").contains("0.0.0.0:22    "));
}

#[test]
fn a_missing_sshd_config_keeps_sshd_down() {
    let mut shell = shell();
    shell.host.files.remove("/etc/ssh/sshd_config");
    shell.execute("sudo systemctl stop sshd");
    assert!(
        shell
            .execute("sudo systemctl start sshd")
            .contains("Job for sshd.service failed")
    );
    assert_eq!(shell.execute("systemctl is-active sshd"), "inactive\n");
    assert_eq!(
        shell.execute("sudo sshd -t"),
        "/etc/ssh/sshd_config: No such file or directory\n"
    );
    assert_eq!(shell.last_status(), 255);
    let log = shell.execute("sudo journalctl -u sshd -n 3");
    assert!(
        log.contains("sshd[") && log.contains("No such file or directory"),
        "{log}"
    );
    assert!(log.contains("Failed to start sshd.service"));
}

#[test]
fn a_bad_option_is_named_with_its_line() {
    let mut shell = shell();
    let config = shell.host.files.get_mut("/etc/ssh/sshd_config").unwrap();
    config.content.push_str("PermitRootLogn yes\n");
    assert_eq!(
        shell.execute("sudo sshd -t"),
        "/etc/ssh/sshd_config: line 16: Bad configuration option: PermitRootLogn\n"
    );
    assert_eq!(
        shell.execute("sshd -t"),
        "sshd: no hostkeys available -- exiting.\n"
    );
}

#[test]
fn file_permissions_are_enforced_and_changed_by_root() {
    let mut shell = shell();
    assert_eq!(
        shell.execute("cat /etc/ssh/sshd_config"),
        "cat: /etc/ssh/sshd_config: Permission denied\n"
    );
    assert!(
        shell
            .execute("sudo cat /etc/ssh/sshd_config")
            .starts_with("Include /etc/ssh/sshd_config.d/*.conf\n")
    );
    assert!(
        shell
            .execute("chmod 644 /etc/ssh/sshd_config")
            .contains("Operation not permitted")
    );
    assert_eq!(shell.execute("sudo chmod 0655 /etc/ssh/sshd_config"), "");
    let stat = shell.execute("stat /etc/ssh/sshd_config");
    assert!(
        stat.contains("Access: (0655/-rw-r-xr-x)  Uid: (    0/    root)"),
        "{stat}"
    );
    assert!(stat.contains("Modify: 2026-11-28 10:04:00"), "{stat}");
    let listing = shell.execute("ls -l /etc/ssh");
    assert!(listing.contains("-rw-r-xr-x 1 root root "), "{listing}");
    assert!(
        listing.ends_with(" Nov 28 10:04 sshd_config\n"),
        "{listing}"
    );
}

#[test]
fn listings_and_missing_files() {
    let mut shell = shell();
    assert_eq!(shell.execute("ls /etc"), "os-release\nssh\n");
    assert_eq!(
        shell.execute("ls /nope"),
        "ls: cannot access '/nope': No such file or directory\n"
    );
    assert_eq!(
        shell.execute("tail -n 2 /var/log/missing.log"),
        "tail: cannot open '/var/log/missing.log' for reading: No such file or directory\n"
    );
    assert_eq!(shell.execute("cat /etc"), "cat: /etc: Is a directory\n");
}

#[test]
fn pipes_feed_filters() {
    let mut shell = shell();
    let last = shell.execute("sudo journalctl -u sshd | tail -n 1");
    assert!(
        last.starts_with("Nov 20 03:12:44 ip-10-0-1-11.ap-northeast-1.compute.internal sshd["),
        "{last}"
    );
    assert!(
        last.ends_with("]: Server listening on :: port 22.\n"),
        "{last}"
    );
    assert_eq!(last.lines().count(), 1);
    assert_eq!(
        shell.execute("sudo cat /etc/ssh/sshd_config | grep -i passwordauth"),
        "PasswordAuthentication no\n"
    );
    assert_eq!(
        shell.execute("cat /etc/os-release | head -n 1"),
        "NAME=\"Amazon Linux\"\n"
    );
    shell.execute("grep nothing-like-this /etc/os-release");
    assert_eq!(shell.last_status(), 1);
}

#[test]
fn journal_needs_privileges() {
    let mut shell = shell();
    assert!(
        shell
            .execute("journalctl -u sshd")
            .contains("-- No entries --")
    );
}

#[test]
fn disk_and_memory_reports() {
    let mut shell = shell();
    assert!(
        shell
            .execute("df -h")
            .contains("/dev/nvme0n1p1    8.0G  2.3G  5.7G  29% /")
    );
    assert!(
        shell
            .execute("free -m")
            .contains("Mem:            3904         612")
    );
}

#[test]
fn sudo_i_gives_a_root_shell_until_exit() {
    let mut shell = shell();
    assert_eq!(
        shell.type_line("sudo -i"),
        "sudo -i\r\n[root@ip-10-0-1-11.ap-northeast-1.compute.internal ~]# "
    );
    assert_eq!(shell.execute("whoami"), "root\n");
    assert_eq!(shell.type_line("exit"), "exit\r\nlogout\r\nsh-5.2$ ");
    assert!(!shell.is_closed());
    assert_eq!(shell.type_line("exit"), "exit\r\n");
    assert!(shell.is_closed());
    assert!(
        shell.feed(b"whoami\r").is_empty(),
        "a closed shell takes no input"
    );
}

#[test]
fn exit_passes_on_a_status() {
    let mut shell = shell();
    shell.execute("systemctl is-active nosuch");
    assert_eq!(shell.last_status(), 4);
    shell.execute("exit");
    assert!(shell.is_closed());
    assert_eq!(shell.last_status(), 4, "a bare exit keeps the last status");

    let mut shell = self::shell();
    shell.execute("exit 7");
    assert_eq!(shell.last_status(), 7);
}

#[test]
fn lists_run_in_order_and_respect_status() {
    let mut shell = shell();
    assert_eq!(shell.execute("echo a; echo b"), "a\nb\n");
    assert_eq!(shell.execute("false && echo no || echo yes"), "yes\n");
    assert_eq!(
        shell.execute("nosuch && echo no"),
        "sh: nosuch: command not found\n"
    );
    assert_eq!(shell.last_status(), 127);
}

#[test]
fn cp_keeps_an_existing_files_mode_and_sed_edits_in_place() {
    let mut shell = shell();
    shell.execute("sudo chmod 655 /etc/ssh/sshd_config");
    shell.execute("sudo sed -i 's/^PasswordAuthentication no/PasswordAuthentication yes/' /etc/ssh/sshd_config");
    assert!(
        shell
            .execute("sudo cat /etc/ssh/sshd_config")
            .contains("PasswordAuthentication yes\n")
    );
    let diff =
        shell.execute("sudo diff /etc/ssh/sshd_config /usr/share/openssh/sshd_config.default");
    assert_eq!(
        diff,
        "< PasswordAuthentication yes\n> PasswordAuthentication no\n"
    );
    assert_eq!(shell.last_status(), 1);

    shell.execute("sudo cp /usr/share/openssh/sshd_config.default /etc/ssh/sshd_config");
    assert_eq!(
        shell.execute("sudo diff /etc/ssh/sshd_config /usr/share/openssh/sshd_config.default"),
        ""
    );
    assert_eq!(shell.last_status(), 0);
    // Like GNU cp, the destination kept its (wrong) mode.
    assert!(
        shell
            .execute("stat /etc/ssh/sshd_config")
            .contains("(0655/-rw-r-xr-x)")
    );
    shell.execute("sudo sed -i '/^X11Forwarding/d' /etc/ssh/sshd_config");
    assert!(
        !shell
            .execute("sudo cat /etc/ssh/sshd_config")
            .contains("X11Forwarding")
    );
}

#[test]
fn editing_needs_root() {
    let mut shell = shell();
    let out = shell.execute("sed -i 's/a/b/' /etc/ssh/sshd_config");
    assert!(out.contains("Permission denied"), "{out}");
    let out = shell.execute("rm /etc/os-release");
    assert!(out.contains("Permission denied"), "{out}");
    assert!(shell.host.files.contains_key("/etc/os-release"));
}

#[test]
fn rm_with_a_glob_and_truncate_give_disk_space_back() {
    let mut shell = shell();
    for n in 1..=3 {
        let mut file = crate::host::File::root(0o640, "2026-11-28 02:00", "debug line\n");
        file.hidden_bytes = 1024 * 1024 * 1024;
        shell
            .host
            .files
            .insert(format!("/var/log/app/debug.log.{n}"), file);
    }
    shell.host.disk_used_mib += 3 * 1024;
    let before = shell.execute("df -h");
    assert!(before.contains(" 5.3G "), "{before}");
    assert!(shell.execute("ls -lh /var/log/app").contains("1.0G"));
    assert_eq!(shell.execute("du -sh /var/log/app"), "3.0G\t/var/log/app\n");
    shell.execute("sudo rm -f /var/log/app/debug.log.*");
    assert_eq!(
        shell.execute("ls /var/log/app"),
        "ls: cannot access '/var/log/app': No such file or directory\n"
    );
    assert!(shell.execute("df -h").contains(" 2.3G "));

    shell.execute("sudo truncate -s 0 /var/log/nginx/access.log");
    assert_eq!(shell.execute("sudo cat /var/log/nginx/access.log"), "");
}

#[test]
fn sshd_t_warns_about_deprecated_options_but_passes() {
    let mut shell = shell();
    shell.execute("sudo sed -i 's/^UsePAM yes/Protocol 2/' /etc/ssh/sshd_config");
    let out = shell.execute("sudo sshd -t");
    assert_eq!(
        out,
        "/etc/ssh/sshd_config line 10: Deprecated option Protocol\n"
    );
    assert_eq!(shell.last_status(), 0);
}

#[test]
fn reload_keeps_a_stuck_process_and_restart_replaces_it() {
    let mut shell = shell();
    if let Some(nginx) = shell.host.services.get_mut("nginx") {
        nginx.cpu = 95.0;
    }
    assert!(shell.execute("ps aux").contains(" 95.0 "));
    shell.execute("sudo systemctl reload nginx");
    assert!(shell.execute("ps aux").contains(" 95.0 "));
    shell.execute("sudo systemctl restart nginx");
    assert!(!shell.execute("ps aux").contains(" 95.0 "));
    let journal = shell.execute("sudo journalctl -u nginx -n 3");
    assert!(journal.contains("Reloaded nginx.service"), "{journal}");
    assert!(journal.contains("Started nginx.service"), "{journal}");
}

#[test]
fn bash_has_its_own_prompt_and_error_style() {
    let mut shell = shell();
    assert_eq!(
        shell.type_line("nosuch"),
        "nosuch\r\nsh: nosuch: command not found\r\nsh-5.2$ "
    );
    assert_eq!(
        shell.type_line("bash"),
        "bash\r\n[ssm-user@ip-10-0-1-11 bin]$ "
    );
    assert_eq!(
        shell.type_line("nosuch"),
        "nosuch\r\nbash: nosuch: command not found\r\n[ssm-user@ip-10-0-1-11 bin]$ "
    );
    assert_eq!(shell.type_line("cd"), "cd\r\n[ssm-user@ip-10-0-1-11 ~]$ ");
    assert_eq!(shell.type_line("exit"), "exit\r\nexit\r\nsh-5.2$ ");
    assert!(!shell.is_closed());
    shell.type_line("sudo -i");
    assert_eq!(shell.type_line("exit"), "exit\r\nlogout\r\nsh-5.2$ ");
}

mod probes;
