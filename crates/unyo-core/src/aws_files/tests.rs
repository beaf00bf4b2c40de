use super::*;
use std::fs;

fn discover_texts(config: Option<&str>, credentials: Option<&str>) -> ProfileDiscovery {
    let dir = tempfile::tempdir().unwrap();
    let paths = AwsFilePaths {
        config: dir.path().join("config"),
        credentials: dir.path().join("credentials"),
    };
    if let Some(text) = config {
        fs::write(&paths.config, text).unwrap();
    }
    if let Some(text) = credentials {
        fs::write(&paths.credentials, text).unwrap();
    }
    discover(&paths)
}

fn profile<'a>(d: &'a ProfileDiscovery, name: &str) -> &'a ProfileSummary {
    d.profiles.iter().find(|p| p.name == name).unwrap()
}

#[test]
fn no_files_means_no_profiles_and_no_issues() {
    assert_eq!(discover_texts(None, None), ProfileDiscovery::default());
}

#[test]
fn reads_every_profile_kind_with_its_region() {
    let d = discover_texts(
        Some(
            "[default]\nregion = ap-northeast-1\n\n\
             [profile prod]\nrole_arn = arn:aws:iam::111122223333:role/Ops\nsource_profile = default\nregion=us-east-1\n\
             [profile sso-dev]\nsso_session = corp\nsso_account_id = 1\n\
             [sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n\
             [profile tool]\ncredential_process = /usr/bin/creds\n\
             [profile s3tuned]\ns3 =\n  max_concurrent_requests = 20\n",
        ),
        Some("[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n"),
    );
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    let names: Vec<&str> = d.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["default", "prod", "s3tuned", "sso-dev", "tool"]);
    assert_eq!(profile(&d, "default").kind, ProfileKind::StaticKeys);
    assert_eq!(
        profile(&d, "default").region.as_deref(),
        Some("ap-northeast-1")
    );
    assert_eq!(profile(&d, "prod").kind, ProfileKind::AssumeRole);
    assert_eq!(profile(&d, "prod").region.as_deref(), Some("us-east-1"));
    assert_eq!(profile(&d, "sso-dev").kind, ProfileKind::IdentityCenter);
    assert_eq!(profile(&d, "tool").kind, ProfileKind::CredentialProcess);
    assert_eq!(profile(&d, "s3tuned").kind, ProfileKind::SettingsOnly);
}

#[test]
fn malformed_lines_are_reported_with_file_and_line_and_the_rest_still_loads() {
    let d = discover_texts(
        Some(
            "[profile ok]\nregion = eu-west-1\nthis line is junk\n[profile broken\nregion = us-east-1\n[profile later]\nregion = tokyo\n",
        ),
        None,
    );
    let lines: Vec<Option<u32>> = d.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, [Some(3), Some(4), Some(7)]);
    assert!(d.issues[0].file.ends_with("config"));
    assert!(d.issues[1].message.contains("closing"));
    assert!(d.issues[2].message.contains("not a region code"));
    assert_eq!(profile(&d, "ok").region.as_deref(), Some("eu-west-1"));
    assert_eq!(profile(&d, "later").region, None);
    assert!(d.profiles.iter().all(|p| p.name != "broken"));
}

#[test]
fn config_sections_without_the_profile_prefix_are_flagged() {
    let d = discover_texts(Some("[staging]\nregion = us-east-1\n"), None);
    assert!(d.profiles.is_empty());
    assert_eq!(d.issues.len(), 1);
    assert!(d.issues[0].message.contains("[profile staging]"));
}

#[test]
fn keys_before_any_section_are_flagged() {
    let d = discover_texts(
        None,
        Some("aws_access_key_id = AKIAEXAMPLE\n[ci]\naws_access_key_id = X\n"),
    );
    assert_eq!(d.issues.len(), 1);
    assert_eq!(d.issues[0].line, Some(1));
    assert_eq!(profile(&d, "ci").kind, ProfileKind::StaticKeys);
}

#[test]
fn secrets_in_bad_lines_are_not_echoed_whole() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let d = discover_texts(None, Some(&format!("[x]\n{secret}\n")));
    assert_eq!(d.issues.len(), 1);
    assert!(!d.issues[0].message.contains(secret));
}

#[test]
fn non_utf8_file_is_an_issue_without_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let paths = AwsFilePaths {
        config: dir.path().join("config"),
        credentials: dir.path().join("credentials"),
    };
    fs::write(&paths.config, [0xff, 0xfe, 0x00]).unwrap();
    let d = discover(&paths);
    assert_eq!(d.issues.len(), 1);
    assert_eq!(d.issues[0].line, None);
}

#[test]
fn environment_variables_override_the_default_paths() {
    let home = Path::new("/home/op");
    let paths = AwsFilePaths::resolve(Some(home), |name| match name {
        "AWS_CONFIG_FILE" => Some("/etc/aws/config".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(paths.config, PathBuf::from("/etc/aws/config"));
    assert_eq!(
        paths.credentials,
        PathBuf::from("/home/op/.aws/credentials")
    );
    assert_eq!(AwsFilePaths::resolve(None, |_| None), None);
}
