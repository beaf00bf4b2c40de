use super::*;

fn keys(name: &str) -> UnyoProfile {
    UnyoProfile {
        name: name.into(),
        region: Some("ap-northeast-1".into()),
        credentials: UnyoCredentials::AccessKeys {
            key_hint: "AKIA************MPLE".into(),
        },
    }
}

fn role(name: &str, source: &str) -> UnyoProfile {
    UnyoProfile {
        name: name.into(),
        region: None,
        credentials: UnyoCredentials::AssumeRole {
            source_profile: source.into(),
            role_arn: "arn:aws:iam::123456789012:role/Ops".into(),
            mfa_serial: Some("arn:aws:iam::123456789012:mfa/alice".into()),
            external_id: None,
            duration_seconds: Some(3600),
        },
    }
}

fn files_with(name: &str) -> ProfileDiscovery {
    let dir = tempfile::tempdir().unwrap();
    let paths = crate::aws_files::AwsFilePaths {
        config: dir.path().join("config"),
        credentials: dir.path().join("credentials"),
    };
    std::fs::write(
        &paths.config,
        format!("[profile {name}]\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"),
    )
    .unwrap();
    crate::aws_files::discover(&paths)
}

#[test]
fn profiles_round_trip_through_the_file_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profiles.toml");
    let mut store = UnyoProfiles::default();
    let files = ProfileDiscovery::default();
    store.add(keys("base"), &files).unwrap();
    store.add(role("ops", "base"), &files).unwrap();
    store.save(&path).unwrap();
    let back = UnyoProfiles::load(&path).unwrap();
    assert_eq!(back, store);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("AKIA************MPLE"), "{text}");
}

#[test]
fn names_must_be_unique_across_unyo_and_the_aws_files() {
    let files = files_with("prod");
    let mut store = UnyoProfiles::default();
    let err = store.add(keys("prod"), &files).unwrap_err();
    assert!(err.message.contains("already exists"), "{}", err.message);
    store.add(keys("mine"), &files).unwrap();
    assert!(store.add(keys("mine"), &files).is_err());
    assert!(store.add(keys("bad name"), &files).is_err());
}

#[test]
fn roles_are_checked_before_they_are_saved() {
    let files = ProfileDiscovery::default();
    let mut store = UnyoProfiles::default();
    let mut bad = role("r", "base");
    if let UnyoCredentials::AssumeRole { role_arn, .. } = &mut bad.credentials {
        *role_arn = "arn:aws:iam::123:role/X".into();
    }
    let err = store.add(bad, &files).unwrap_err();
    assert!(err.message.contains("not a role ARN"), "{}", err.message);
    assert!(store.add(role("self", "self"), &files).is_err());
}

#[test]
fn the_chain_of_a_unyo_role_follows_unyo_sources() {
    let files = ProfileDiscovery::default();
    let mut store = UnyoProfiles::default();
    store.add(keys("base"), &files).unwrap();
    store.add(role("ops", "base"), &files).unwrap();
    store.add(role("audit", "ops"), &files).unwrap();
    let audit = store
        .summaries()
        .into_iter()
        .find(|p| p.name == "audit")
        .unwrap();
    assert_eq!(audit.chain, ["ops", "base"]);
    assert_eq!(audit.origin, ProfileOrigin::Unyo);
    assert!(audit.needs_mfa());
}

#[test]
fn a_profile_that_others_use_as_source_is_not_removed() {
    let files = ProfileDiscovery::default();
    let mut store = UnyoProfiles::default();
    store.add(keys("base"), &files).unwrap();
    store.add(role("ops", "base"), &files).unwrap();
    let err = store.remove("base").unwrap_err();
    assert!(err.message.contains("ops"), "{}", err.message);
    store.remove("ops").unwrap();
    store.remove("base").unwrap();
    assert!(store.profiles.is_empty());
}

#[test]
fn identity_center_profiles_need_a_known_session() {
    let files = files_with("x");
    let mut store = UnyoProfiles::default();
    let sso = |session: &str| UnyoProfile {
        name: format!("dev-{session}"),
        region: None,
        credentials: UnyoCredentials::IdentityCenter {
            sso_session: session.into(),
            account_id: "111122223333".into(),
            role_name: "Developer".into(),
        },
    };
    assert!(store.add(sso("nowhere"), &files).is_err());
    store.add(sso("corp"), &files).unwrap();
}

#[test]
fn a_damaged_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profiles.toml");
    std::fs::write(&path, "[[profile]]\nname = 3\n").unwrap();
    let err = UnyoProfiles::load(&path).unwrap_err();
    assert_eq!(err.code, ErrorCode::Storage);
    assert!(err.message.contains("profiles.toml"), "{}", err.message);
}

#[test]
fn access_keys_are_checked_for_shape() {
    assert!(validate_access_keys("AKIAIOSFODNN7EXAMPLE", 40).is_ok());
    assert!(validate_access_keys("ASIAIOSFODNN7EXAMPLE", 40).is_err());
    assert!(validate_access_keys("AKIAIOSFODNN7EXAMPL", 40).is_err());
    assert!(validate_access_keys("AKIAIOSFODNN7EXAMPLE", 39).is_err());
}
