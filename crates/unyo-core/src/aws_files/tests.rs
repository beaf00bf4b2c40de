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

#[test]
fn role_chains_are_followed_to_the_profile_that_holds_the_keys() {
    let d = discover_texts(
        Some(
            "[profile base]\nregion = us-east-1\n\
             [profile ops]\nrole_arn = arn:aws:iam::111122223333:role/Ops\nsource_profile = base\n\
             mfa_serial = arn:aws:iam::111122223333:mfa/alice\nexternal_id = shh\nduration_seconds = 3600\n\
             [profile audit]\nrole_arn = arn:aws:iam::444455556666:role/Audit\nsource_profile = ops\n\
             [profile onbox]\nrole_arn = arn:aws:iam::444455556666:role/Box\ncredential_source = Ec2InstanceMetadata\n",
        ),
        Some("[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n"),
    );
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    let ops = profile(&d, "ops");
    assert_eq!(ops.chain, ["base"]);
    assert_eq!(
        ops.mfa_serial.as_deref(),
        Some("arn:aws:iam::111122223333:mfa/alice")
    );
    assert!(ops.needs_mfa());
    assert!(ops.external_id);
    assert_eq!(ops.duration_seconds, Some(3600));
    assert_eq!(ops.problem, None);
    assert_eq!(profile(&d, "audit").chain, ["ops", "base"]);
    assert_eq!(profile(&d, "onbox").chain, ["Ec2InstanceMetadata"]);
    assert!(profile(&d, "base").chain.is_empty());
}

#[test]
fn a_broken_chain_is_explained_on_that_profile_only() {
    let d = discover_texts(
        Some(
            "[profile good]\nregion = us-east-1\n\
             [profile orphan]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = missing\n\
             [profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n\
             [profile self]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = self\n\
             [profile lonely]\nrole_arn = arn:aws:iam::1:role/L\n",
        ),
        None,
    );
    let orphan = profile(&d, "orphan").problem.as_deref().unwrap();
    assert!(orphan.contains("`missing` is not defined"), "{orphan}");
    let a = profile(&d, "a").problem.as_deref().unwrap();
    assert!(a.contains("loops back to `a`: a → b → a"), "{a}");
    let self_loop = profile(&d, "self").problem.as_deref().unwrap();
    assert!(self_loop.contains("loops back"), "{self_loop}");
    let lonely = profile(&d, "lonely").problem.as_deref().unwrap();
    assert!(
        lonely.contains("neither source_profile nor credential_source"),
        "{lonely}"
    );
    assert_eq!(profile(&d, "good").problem, None);
}

#[test]
fn a_role_may_take_static_keys_from_its_own_profile() {
    let d = discover_texts(
        None,
        Some(
            "[both]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n\
             role_arn = arn:aws:iam::1:role/R\nsource_profile = both\n",
        ),
    );
    assert_eq!(profile(&d, "both").problem, None);
    assert_eq!(profile(&d, "both").chain, ["both"]);
}

#[test]
fn sso_sessions_and_profiles_using_them_are_read() {
    let d = discover_texts(
        Some(
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = ap-northeast-1\n\
             sso_registration_scopes = sso:account:access, extra:scope\n\
             [profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n\
             [profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 1\nsso_role_name = R\n",
        ),
        None,
    );
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    let corp = d.sso_session("corp").unwrap();
    assert_eq!(
        corp.start_url.as_deref(),
        Some("https://corp.awsapps.com/start")
    );
    assert_eq!(corp.region.as_deref(), Some("ap-northeast-1"));
    assert_eq!(corp.scopes, ["sso:account:access", "extra:scope"]);
    let dev = profile(&d, "dev");
    assert_eq!(dev.kind, ProfileKind::IdentityCenter);
    assert_eq!(dev.sso_session.as_deref(), Some("corp"));
    assert_eq!(dev.sso_account_id.as_deref(), Some("111122223333"));
    assert_eq!(dev.sso_role_name.as_deref(), Some("Developer"));
    assert_eq!(profile(&d, "legacy").kind, ProfileKind::IdentityCenter);
    assert_eq!(profile(&d, "legacy").sso_session, None);
}

#[test]
fn credential_process_keeps_only_the_program_never_its_arguments() {
    let d = discover_texts(
        Some("[profile tool]\ncredential_process = /usr/bin/vault-creds --token s3cr3t\n"),
        None,
    );
    let tool = profile(&d, "tool");
    assert_eq!(
        tool.credential_program.as_deref(),
        Some("/usr/bin/vault-creds")
    );
    assert!(!format!("{d:?}").contains("s3cr3t"));
}

#[test]
fn an_out_of_range_duration_is_reported_with_its_line() {
    let d = discover_texts(
        Some(
            "[profile r]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = r\nduration_seconds = 60\n",
        ),
        None,
    );
    assert_eq!(d.issues.len(), 1, "{:?}", d.issues);
    assert_eq!(d.issues[0].line, Some(4));
    assert!(d.issues[0].message.contains("900 to 43200"));
}
