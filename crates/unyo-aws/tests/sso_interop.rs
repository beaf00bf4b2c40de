//! IAM Identity Center sign-in against real wire formats: the device flow over HTTP to a
//! loopback server standing in for SSO OIDC (through the endpoint override an emulator uses),
//! and the token file it writes read, and refreshed, by the AWS SDK's own `SsoTokenProvider`.
//!
//! The SDK's provider finds the cache through `HOME` only, so it runs in a child process of this
//! test binary with `HOME` pointing at a scratch directory.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_config::sso::SsoTokenProvider;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::token::ProvideToken;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use serde_json::{Value, json};
use tempfile::TempDir;
use unyo_aws::sso::{SsoClients, SsoSession, SsoSignIn, TokenCache, TokenStatus};

const START_URL: &str = "https://d-9067642ac7.awsapps.com/start";

fn corp() -> SsoSession {
    SsoSession::named("corp", START_URL, "eu-west-1")
}

/// A loopback HTTP server answering SSO OIDC's three device-flow operations by path, one
/// connection per request; the first CreateToken is `authorization_pending`, in the service's
/// wire format. Returns its URL and the paths it was asked for.
fn oidc_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let (path, body) = read_request(&stream);
            log.lock().unwrap().push(path.clone());
            let token_calls = log
                .lock()
                .unwrap()
                .iter()
                .filter(|p| *p == "/token")
                .count();
            let (status, error_type, answer) = match path.as_str() {
                "/client/register" => (
                    200,
                    None,
                    json!({
                        "clientId": "client-1",
                        "clientSecret": "client-secret-1",
                        "clientIdIssuedAt": 1_800_000_000,
                        "clientSecretExpiresAt": 4_000_000_000_i64,
                    }),
                ),
                "/device_authorization" => (
                    200,
                    None,
                    json!({
                        "deviceCode": "device-1",
                        "userCode": "ABCD-EFGH",
                        "verificationUri": "https://device.sso.eu-west-1.amazonaws.com/",
                        "verificationUriComplete": "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
                        "expiresIn": 600,
                        "interval": 1,
                    }),
                ),
                "/token" if token_calls == 1 => (
                    400,
                    Some("AuthorizationPendingException"),
                    json!({
                        "error": "authorization_pending",
                        "error_description": "Authorization is still pending",
                    }),
                ),
                "/token" if body["deviceCode"] == "device-1" => (
                    200,
                    None,
                    json!({
                        "accessToken": "access-1",
                        "tokenType": "Bearer",
                        "expiresIn": 28_800,
                        "refreshToken": "refresh-1",
                    }),
                ),
                _ => (404, Some("ResourceNotFoundException"), json!({})),
            };
            write_response(&mut stream, status, error_type, &answer);
        }
    });
    (url, seen)
}

fn read_request(stream: &TcpStream) -> (String, Value) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let path = line.split_whitespace().nth(1).unwrap().to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        if header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (path, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn write_response(stream: &mut TcpStream, status: u16, error_type: Option<&str>, body: &Value) {
    let body = body.to_string();
    let error_header =
        error_type.map_or_else(String::new, |t| format!("x-amzn-ErrorType: {t}\r\n"));
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{error_header}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
}

/// Signs in to `corp` over the loopback server, the cache in `home`'s `.aws/sso/cache`.
async fn sign_in_over_http(home: &Path) -> (SsoSignIn, TokenStatus, Vec<String>) {
    let (url, seen) = oidc_server();
    let cache = TokenCache::at(home.join(".aws/sso/cache"));
    let sign_in = SsoSignIn::with_clients(cache, SsoClients::from_environment(Some(url)));
    sign_in.start(&corp()).await.unwrap();
    let status = sign_in.finish(&corp()).await.unwrap();
    let paths = seen.lock().unwrap().clone();
    (sign_in, status, paths)
}

#[tokio::test]
async fn the_device_flow_goes_to_the_endpoint_override_in_the_service_s_wire_format() {
    let home = TempDir::new().unwrap();

    let (sign_in, status, paths) = sign_in_over_http(home.path()).await;

    assert_eq!(
        paths,
        [
            "/client/register",
            "/device_authorization",
            "/token",
            "/token"
        ]
    );
    assert!(matches!(status, TokenStatus::SignedIn { .. }), "{status:?}");
    assert_eq!(sign_in.status(&corp()), status);
}

/// Runs [`sdk_token_provider_in_child`] with `HOME` at `home`; it must see `expected`.
fn sdk_provider_sees(home: &Path, expected: &str) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "sdk_token_provider_in_child",
            "--ignored",
            "--nocapture",
        ])
        .env("HOME", home)
        .env("UNYO_SSO_EXPECTED_TOKEN", expected)
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert!(
        output.status.success() && String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_sdk_s_token_provider_reads_the_token_unyo_wrote() {
    let home = TempDir::new().unwrap();
    sign_in_over_http(home.path()).await;

    sdk_provider_sees(home.path(), "access-1");
}

#[tokio::test]
async fn the_sdk_s_token_provider_refreshes_the_token_unyo_wrote() {
    let home = TempDir::new().unwrap();
    let (sign_in, _, _) = sign_in_over_http(home.path()).await;
    let path = sign_in.cache().token_path(&corp());
    let mut token: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    token["expiresAt"] = json!("2020-01-01T00:00:00Z");
    std::fs::write(&path, token.to_string()).unwrap();
    assert_eq!(sign_in.status(&corp()), TokenStatus::Refreshable);

    sdk_provider_sees(home.path(), "access-2");

    // The SDK wrote its refreshed token back where Unyo reads it.
    assert!(matches!(
        sign_in.status(&corp()),
        TokenStatus::SignedIn { .. }
    ));
    let token: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(token["accessToken"], "access-2");
}

/// The child half of the two tests above: the AWS SDK's `SsoTokenProvider` for `corp`, whose
/// refresh calls are answered with `access-2` only if they carry Unyo's refresh token and
/// client. Does nothing unless started by them.
#[test]
#[ignore = "run by the_sdk_s_token_provider_* in a child process with HOME set"]
fn sdk_token_provider_in_child() {
    let Ok(expected) = std::env::var("UNYO_SSO_EXPECTED_TOKEN") else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let token = runtime.block_on(async {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .no_credentials()
            .region(Region::new("eu-west-1"))
            .http_client(http_client_fn(|_, _| {
                SharedHttpConnector::new(RefreshAnswer)
            }))
            .load()
            .await;
        let provider = SsoTokenProvider::builder()
            .configure(&config)
            .session_name("corp")
            .region(Region::new("eu-west-1"))
            .start_url(START_URL)
            .build()
            .await;
        provider.provide_token().await.unwrap()
    });
    assert_eq!(token.token(), expected);
    let left = token
        .expiration()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(3000), "{left:?}");
}

#[derive(Debug)]
struct RefreshAnswer;

impl HttpConnector for RefreshAnswer {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let sent: Value = serde_json::from_slice(request.body().bytes().unwrap()).unwrap();
        let ours = sent["grantType"] == "refresh_token"
            && sent["refreshToken"] == "refresh-1"
            && sent["clientId"] == "client-1"
            && sent["clientSecret"] == "client-secret-1";
        let (status, body) = if ours {
            (
                200,
                json!({"accessToken": "access-2", "tokenType": "Bearer", "expiresIn": 3600}),
            )
        } else {
            (400, json!({"error": "invalid_grant"}))
        };
        let mut response =
            HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body.to_string()));
        response
            .headers_mut()
            .insert("content-type", "application/json");
        HttpConnectorFuture::ready(Ok(response))
    }
}
