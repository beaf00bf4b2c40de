use super::*;

// Expected names computed with Python's hashlib and json.dumps, as the AWS CLI computes them.

#[test]
fn a_named_session_s_token_file_is_the_sha1_of_its_name() {
    let cache = TokenCache::at(PathBuf::from("/c"));
    let session = SsoSession::named(
        "corp",
        "https://d-9067642ac7.awsapps.com/start",
        "eu-west-1",
    );
    assert_eq!(
        cache.token_path(&session),
        PathBuf::from("/c/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
    );
}

#[test]
fn a_legacy_session_s_token_file_is_the_sha1_of_its_start_url() {
    let cache = TokenCache::at(PathBuf::from("/c"));
    let session = SsoSession::legacy("https://d-9067642ac7.awsapps.com/start", "eu-west-1");
    assert_eq!(
        cache.token_path(&session),
        PathBuf::from("/c/9e104e67bc03709422c341f8e7b917448969b3a1.json")
    );
}

#[test]
fn the_registration_key_is_python_s_sorted_json() {
    let session = SsoSession::named(
        "corp",
        "https://d-9067642ac7.awsapps.com/start",
        "eu-west-1",
    );
    assert_eq!(
        registration_key(&session),
        r#"{"region": "eu-west-1", "scopes": ["sso:account:access"], "session_name": "corp", "startUrl": "https://d-9067642ac7.awsapps.com/start", "tool": "botocore"}"#
    );
    let cache = TokenCache::at(PathBuf::from("/c"));
    assert_eq!(
        cache.registration_path(&session),
        PathBuf::from("/c/40d432464295f6a55f49bde24d4ab686ed1e6818.json")
    );
}

#[test]
fn the_registration_key_has_nulls_where_python_has_none() {
    let session = SsoSession {
        scopes: Vec::new(),
        ..SsoSession::legacy("https://d-9067642ac7.awsapps.com/start", "eu-west-1")
    };
    assert_eq!(
        sha1_hex(&registration_key(&session)),
        "0916c38a8698b15a44ffeb1347bcce9fe7e7927f"
    );
}

#[test]
fn the_registration_key_escapes_like_python() {
    let session = SsoSession {
        name: Some("café".into()),
        start_url: "https://例え.awsapps.com/start".into(),
        region: "eu-west-1".into(),
        scopes: vec!["a\"b".into()],
    };
    assert_eq!(
        sha1_hex(&registration_key(&session)),
        "72dbeed71ea98209437f54b017297854e4db2598"
    );
}

#[test]
fn python_escapes_control_characters_and_astral_planes() {
    assert_eq!(
        python_json_string("a\u{1}\u{7f}😀"),
        r#""a\u0001\u007f\ud83d\ude00""#
    );
}

#[test]
fn times_are_written_as_the_aws_cli_writes_them() {
    let at = UNIX_EPOCH + Duration::from_millis(1_767_323_045_678);
    assert_eq!(rfc3339(at), "2026-01-02T03:04:05Z");
}

#[test]
fn times_from_every_aws_cli_version_are_read() {
    let expected = Some(UNIX_EPOCH + Duration::from_secs(1_767_323_045));
    assert_eq!(parse_time("2026-01-02T03:04:05Z"), expected);
    assert_eq!(parse_time("2026-01-02T03:04:05UTC"), expected);
    assert_eq!(parse_time("2026-01-02T12:04:05+09:00"), expected);
    assert_eq!(parse_time("yesterday"), None);
}

#[test]
fn a_token_s_debug_output_hides_its_secrets() {
    let token = CachedToken {
        start_url: None,
        region: None,
        access_token: "access-secret".into(),
        expires_at: UNIX_EPOCH,
        client_id: Some("client-id".into()),
        client_secret: Some("client-secret".into()),
        registration_expires_at: None,
        refresh_token: Some("refresh-secret".into()),
    };
    let shown = format!("{token:?}");
    assert!(shown.contains("client-id"), "{shown}");
    for secret in ["access-secret", "client-secret", "refresh-secret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}
