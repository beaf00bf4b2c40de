//! One simulated machine: its files and its services. Shell commands and (later) runbooks
//! read and change this state, so a fix made in a session is a fix the lesson can verify.

use std::collections::BTreeMap;

/// A regular file. Directories are implied by the paths of the files under them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Permission bits, e.g. `0o600`.
    pub mode: u32,
    pub owner: String,
    pub content: String,
    /// Modification time, `YYYY-MM-DD HH:MM` (UTC).
    pub modified: String,
}

impl File {
    pub fn root(mode: u32, modified: &str, content: &str) -> Self {
        Self {
            mode,
            owner: "root".to_owned(),
            content: content.to_owned(),
            modified: modified.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub description: String,
    pub active: bool,
    pub enabled: bool,
    /// The main process's command line when running, as `ps` shows it.
    pub command: String,
    /// TCP ports the service listens on when running.
    pub ports: Vec<u16>,
    /// Past journal lines, oldest first; start and stop append to it.
    pub journal: Vec<String>,
    /// When the service last changed state, as `systemctl status` shows it.
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub hostname: String,
    pub files: BTreeMap<String, File>,
    pub services: BTreeMap<String, Service>,
    /// Root filesystem size and use, in MiB.
    pub disk_size_mib: u64,
    pub disk_used_mib: u64,
    pub memory_total_mib: u64,
    pub memory_used_mib: u64,
    /// A fixed clock (`YYYY-MM-DD HH:MM:SS`, UTC), so transcripts and tests are deterministic.
    pub now: String,
}

/// The sshd_config an Amazon Linux 2023 instance ships with (comments trimmed).
pub const DEFAULT_SSHD_CONFIG: &str = "\
Include /etc/ssh/sshd_config.d/*.conf
HostKey /etc/ssh/ssh_host_rsa_key
HostKey /etc/ssh/ssh_host_ecdsa_key
HostKey /etc/ssh/ssh_host_ed25519_key
SyslogFacility AUTHPRIV
PermitRootLogin forbid-password
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
ChallengeResponseAuthentication no
UsePAM yes
X11Forwarding no
PrintMotd no
AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f
AuthorizedKeysCommandUser ec2-instance-connect
Subsystem sftp /usr/libexec/openssh/sftp-server
";

/// Options `sshd -t` accepts; anything else is a "Bad configuration option".
pub const SSHD_OPTIONS: &[&str] = &[
    "include",
    "hostkey",
    "syslogfacility",
    "loglevel",
    "permitrootlogin",
    "authorizedkeysfile",
    "passwordauthentication",
    "challengeresponseauthentication",
    "kbdinteractiveauthentication",
    "usepam",
    "x11forwarding",
    "printmotd",
    "authorizedkeyscommand",
    "authorizedkeyscommanduser",
    "subsystem",
    "port",
    "listenaddress",
    "pubkeyauthentication",
    "clientaliveinterval",
    "clientalivecountmax",
    "maxauthtries",
    "allowusers",
    "acceptenv",
    "usedns",
];

/// `2026-10-29 11:02[:SS]` in the short form `ls -l` and `journalctl` print: `Oct 29 11:02[:SS]`.
pub fn short_time(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = iso
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(1);
    let day = iso.get(8..10).unwrap_or("01");
    let time = iso.get(11..).unwrap_or("00:00");
    format!("{} {day} {time}", MONTHS[(month + 11) % 12])
}

impl Host {
    /// An Amazon Linux 2023 web server with sshd, the SSM Agent and nginx running.
    pub fn amazon_linux_web(hostname: &str) -> Self {
        let mut files = BTreeMap::new();
        files.insert(
            "/etc/ssh/sshd_config".into(),
            File::root(0o600, "2026-10-29 11:02", DEFAULT_SSHD_CONFIG),
        );
        files.insert(
            "/etc/os-release".into(),
            File::root(
                0o644,
                "2026-10-29 11:00",
                "NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nPRETTY_NAME=\"Amazon Linux 2023.9.20261020\"\n",
            ),
        );
        files.insert(
            "/var/log/nginx/error.log".into(),
            File::root(
                0o640,
                "2026-11-28 09:41",
                "2026/11/28 09:41:02 [notice] 2817#2817: signal process started\n",
            ),
        );
        files.insert(
            "/var/log/nginx/access.log".into(),
            File::root(
                0o640,
                "2026-11-28 10:02",
                "10.0.1.20 - - [28/Nov/2026:10:02:11 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"ELB-HealthChecker/2.0\"\n",
            ),
        );
        let mut services = BTreeMap::new();
        services.insert(
            "sshd".into(),
            Service {
                description: "OpenSSH server daemon".into(),
                active: true,
                enabled: true,
                command: "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups".into(),
                ports: vec![22],
                journal: vec![
                    "Server listening on 0.0.0.0 port 22.".into(),
                    "Server listening on :: port 22.".into(),
                ],
                since: "Thu 2026-11-20 03:12:44 UTC".into(),
            },
        );
        services.insert(
            "amazon-ssm-agent".into(),
            Service {
                description: "amazon-ssm-agent".into(),
                active: true,
                enabled: true,
                command: "/usr/bin/amazon-ssm-agent".into(),
                ports: vec![],
                journal: vec!["INFO [amazon-ssm-agent] Starting Core Agent".into()],
                since: "Thu 2026-11-20 03:12:40 UTC".into(),
            },
        );
        services.insert(
            "nginx".into(),
            Service {
                description: "The nginx HTTP and reverse proxy server".into(),
                active: true,
                enabled: true,
                command: "nginx: master process /usr/sbin/nginx".into(),
                ports: vec![80],
                journal: vec![
                    "Started nginx.service - The nginx HTTP and reverse proxy server.".into(),
                ],
                since: "Thu 2026-11-20 03:12:46 UTC".into(),
            },
        );
        Self {
            hostname: hostname.to_owned(),
            files,
            services,
            disk_size_mib: 8 * 1024,
            disk_used_mib: 2_310,
            memory_total_mib: 3_904,
            memory_used_mib: 612,
            now: "2026-11-28 10:04:00".into(),
        }
    }

    /// Whether `path` names a directory: some file lies under it.
    pub fn is_dir(&self, path: &str) -> bool {
        let prefix = if path.ends_with('/') {
            path.to_owned()
        } else {
            format!("{path}/")
        };
        path == "/" || self.files.keys().any(|f| f.starts_with(&prefix))
    }

    /// Problems `sshd -t` reports for the current config, in its own words; empty when valid.
    pub fn sshd_config_errors(&self) -> Vec<String> {
        let path = "/etc/ssh/sshd_config";
        let Some(file) = self.files.get(path) else {
            return vec![format!("{path}: No such file or directory")];
        };
        file.content
            .lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let keyword = line.split_whitespace().next()?;
                if keyword.starts_with('#')
                    || SSHD_OPTIONS.contains(&keyword.to_lowercase().as_str())
                {
                    None
                } else {
                    Some(format!(
                        "{path}: line {}: Bad configuration option: {keyword}",
                        i + 1
                    ))
                }
            })
            .collect()
    }
}
