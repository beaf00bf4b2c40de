//! One simulated machine: its files and its services. Shell commands, Run Command scripts and
//! runbooks read and change this state, so a fix made in a session is a fix the lesson can
//! verify. The host also keeps a history of its CPU and disk use, which the practice
//! account's CloudWatch metrics (and so its alarms) are drawn from.

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
    /// Bytes the file holds beyond `content`: a 2 GB log keeps only its last lines as text.
    pub hidden_bytes: u64,
}

impl File {
    pub fn root(mode: u32, modified: &str, content: &str) -> Self {
        Self {
            mode,
            owner: "root".to_owned(),
            content: content.to_owned(),
            modified: modified.to_owned(),
            hidden_bytes: 0,
        }
    }

    /// Its size as `ls -l` and `du` see it.
    pub fn size(&self) -> u64 {
        self.content.len() as u64 + self.hidden_bytes
    }
}

#[derive(Debug, Clone, PartialEq)]
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
    /// CPU the running process uses now, in percent of the machine.
    pub cpu: f64,
    /// CPU a freshly started process uses: a restart brings `cpu` back to this.
    pub cpu_on_start: f64,
    /// The file the service reads when it starts, and what it held at the last start, so a
    /// lesson can tell a fixed file from a fixed *running* service.
    pub config_path: Option<String>,
    pub loaded_config: Option<String>,
}

impl Service {
    /// A running service that uses little CPU and reads no config file the lessons check.
    pub fn running(description: &str, command: &str, ports: &[u16], journal: &[&str]) -> Self {
        Self {
            description: description.to_owned(),
            active: true,
            enabled: true,
            command: command.to_owned(),
            ports: ports.to_vec(),
            // Boot-time lines, dated at the boot, so later entries sort after them.
            journal: journal
                .iter()
                .map(|l| format!("2026-11-20 03:12:44\t{l}"))
                .collect(),
            since: "Thu 2026-11-20 03:12:44 UTC".to_owned(),
            cpu: 0.3,
            cpu_on_start: 0.3,
            config_path: None,
            loaded_config: None,
        }
    }
}

/// CPU and disk use from some instant on, for the instance's metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadSample {
    /// Unix seconds.
    pub at: i64,
    pub cpu_percent: f64,
    pub disk_percent: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    pub hostname: String,
    pub files: BTreeMap<String, File>,
    pub services: BTreeMap<String, Service>,
    /// Root filesystem size and use, in MiB.
    pub disk_size_mib: u64,
    pub disk_used_mib: u64,
    pub memory_total_mib: u64,
    pub memory_used_mib: u64,
    /// The simulated clock (`YYYY-MM-DD HH:MM:SS`, UTC), set by the account before each
    /// command, so transcripts and tests are deterministic.
    pub now: String,
    /// The same instant in Unix seconds.
    pub epoch: i64,
    /// CPU the operating system itself uses, in percent.
    pub base_cpu: f64,
    /// How CPU and disk use changed, oldest first; see [`Host::record_load`].
    pub history: Vec<LoadSample>,
}

pub const SSHD_CONFIG: &str = "/etc/ssh/sshd_config";
/// Where the practice image keeps the distribution's sshd_config, for `diff` and `cp`.
pub const DISTRIBUTION_SSHD_CONFIG: &str = "/usr/share/openssh/sshd_config.default";

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
    "permitemptypasswords",
    "maxsessions",
    "strictmodes",
    "logingracetime",
    "gssapiauthentication",
    "gssapicleanupcredentials",
    "ignorerhosts",
    "hostbasedauthentication",
    "printlastlog",
    "tcpkeepalive",
    "allowtcpforwarding",
    "banner",
];

/// SSH-1 era options that today's sshd still reads but warns about ("Deprecated option").
pub const SSHD_DEPRECATED: &[&str] = &[
    "protocol",
    "rsaauthentication",
    "rhostsrsaauthentication",
    "keyregenerationinterval",
    "serverkeybits",
    "useprivilegeseparation",
    "uselogin",
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
        let mut sshd = Service::running(
            "OpenSSH server daemon",
            "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
            &[22],
            &[
                "Server listening on 0.0.0.0 port 22.",
                "Server listening on :: port 22.",
            ],
        );
        sshd.config_path = Some(SSHD_CONFIG.to_owned());
        sshd.loaded_config = Some(DEFAULT_SSHD_CONFIG.to_owned());
        services.insert("sshd".into(), sshd);
        let mut agent = Service::running(
            "amazon-ssm-agent",
            "/usr/bin/amazon-ssm-agent",
            &[],
            &["INFO [amazon-ssm-agent] Starting Core Agent"],
        );
        agent.since = "Thu 2026-11-20 03:12:40 UTC".into();
        services.insert("amazon-ssm-agent".into(), agent);
        let mut nginx = Service::running(
            "The nginx HTTP and reverse proxy server",
            "nginx: master process /usr/sbin/nginx",
            &[80],
            &["Started nginx.service - The nginx HTTP and reverse proxy server."],
        );
        nginx.since = "Thu 2026-11-20 03:12:46 UTC".into();
        services.insert("nginx".into(), nginx);
        files.insert(
            DISTRIBUTION_SSHD_CONFIG.into(),
            File::root(0o644, "2026-10-29 11:02", DEFAULT_SSHD_CONFIG),
        );
        let mut host = Self {
            hostname: hostname.to_owned(),
            files,
            services,
            disk_size_mib: 8 * 1024,
            disk_used_mib: 2_310,
            memory_total_mib: 3_904,
            memory_used_mib: 612,
            now: String::new(),
            epoch: 0,
            base_cpu: 2.0,
            history: Vec::new(),
        };
        host.set_time(crate::clock::START);
        host
    }

    /// Moves the host's clock (the account does this before every command it runs).
    pub fn set_time(&mut self, epoch: i64) {
        self.epoch = epoch;
        self.now = crate::clock::host_time(epoch);
    }

    pub fn cpu_percent(&self) -> f64 {
        let services: f64 = self
            .services
            .values()
            .filter(|s| s.active)
            .map(|s| s.cpu)
            .sum();
        (self.base_cpu + services).min(100.0)
    }

    pub fn disk_percent(&self) -> f64 {
        self.disk_used_mib as f64 * 100.0 / self.disk_size_mib.max(1) as f64
    }

    /// Notes the current CPU and disk use when they changed since the last sample; called
    /// after every command, so the metrics show a fix at the minute it was made.
    pub fn record_load(&mut self) {
        // A runbook's effect can land after a later shell command was recorded; keep the
        // history in time order.
        let at = self
            .history
            .last()
            .map_or(self.epoch, |l| l.at.max(self.epoch));
        let sample = LoadSample {
            at,
            cpu_percent: self.cpu_percent(),
            disk_percent: self.disk_percent(),
        };
        let changed = self.history.last().is_none_or(|last| {
            (last.cpu_percent - sample.cpu_percent).abs() > 0.05
                || (last.disk_percent - sample.disk_percent).abs() > 0.05
        });
        if changed {
            self.history.push(sample);
        }
    }

    /// CPU and disk use at `at`, from the history (the first sample reaches back forever).
    pub fn load_at(&self, at: i64) -> Option<LoadSample> {
        self.history
            .iter()
            .rev()
            .find(|s| s.at <= at)
            .or(self.history.first())
            .copied()
    }

    /// Removes a file and gives its space back to the file system.
    pub fn remove_file(&mut self, path: &str) -> Option<File> {
        let file = self.files.remove(path)?;
        self.release(file.size());
        Some(file)
    }

    /// Gives `bytes` back to the root file system.
    pub fn release(&mut self, bytes: u64) {
        self.disk_used_mib = self.disk_used_mib.saturating_sub(bytes / (1024 * 1024));
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

    /// The warnings `sshd -t` prints for options it still accepts but no longer uses.
    pub fn sshd_config_warnings(&self) -> Vec<String> {
        let Some(file) = self.files.get(SSHD_CONFIG) else {
            return Vec::new();
        };
        file.content
            .lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let keyword = line.split_whitespace().next()?;
                SSHD_DEPRECATED
                    .contains(&keyword.to_lowercase().as_str())
                    .then(|| format!("{SSHD_CONFIG} line {}: Deprecated option {keyword}", i + 1))
            })
            .collect()
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
                let lower = keyword.to_lowercase();
                if keyword.starts_with('#')
                    || SSHD_OPTIONS.contains(&lower.as_str())
                    || SSHD_DEPRECATED.contains(&lower.as_str())
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
