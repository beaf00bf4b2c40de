//! Opening the websocket (§2.1, §2.2): TLS through rustls with the operating system's trusted
//! roots, then the OpenDataChannel text frame that authenticates the connection.
//!
//! The rustls configuration names its crypto provider (ring) explicitly instead of relying on
//! a process-wide default, which would be ambiguous as soon as another crate in the app
//! enables a second provider.

use std::sync::Arc;
use std::time::Duration;

use futures_util::SinkExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

use crate::channel::reconnect::Endpoint;
use crate::handshake::CLIENT_VERSION;
use crate::open_data_channel::OpenDataChannel;

/// The websocket of one connection.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Why a connection could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("no trusted root certificates could be loaded from the operating system")]
    NoTrustedRoots,
    #[error("TLS setup failed: {0}")]
    Tls(#[from] rustls::Error),
    #[error("websocket connection to {url} failed: {source}")]
    Connect {
        url: String,
        #[source]
        source: Box<tungstenite::Error>,
    },
    #[error("no websocket connection to {url} within {timeout:?}")]
    TimedOut { url: String, timeout: Duration },
    #[error("the OpenDataChannel frame could not be written: {0}")]
    OpenDataChannel(String),
}

/// Connects to `endpoint` and sends the OpenDataChannel frame with its token.
///
/// `client_id` must be the same on every connection of a session: the service uses it to
/// recognise a resumed client.
pub(crate) async fn open(
    endpoint: &Endpoint,
    client_id: Uuid,
    timeout: Duration,
) -> Result<Socket, TransportError> {
    let url = &endpoint.stream_url;
    let connector = connector_for(url)?;
    let request = upgrade_request(endpoint).map_err(|source| TransportError::Connect {
        url: url.clone(),
        source: Box::new(source),
    })?;
    let connecting = tokio_tungstenite::connect_async_tls_with_config(
        request,
        None,
        // Keystrokes are tiny frames; Nagle's algorithm would hold them back for an ack.
        true,
        Some(connector),
    );
    let (mut socket, _response) = tokio::time::timeout(timeout, connecting)
        .await
        .map_err(|_| TransportError::TimedOut {
            url: url.clone(),
            timeout,
        })?
        .map_err(|source| TransportError::Connect {
            url: url.clone(),
            source: Box::new(source),
        })?;

    let open = OpenDataChannel::new(
        endpoint.token.clone(),
        client_id,
        Uuid::new_v4(),
        CLIENT_VERSION,
    );
    let text = open
        .to_text()
        .map_err(|error| TransportError::OpenDataChannel(error.to_string()))?;
    socket
        .send(Message::text(text))
        .await
        .map_err(|error| TransportError::OpenDataChannel(error.to_string()))?;
    tracing::debug!(url = %url, %client_id, "data channel opened");
    Ok(socket)
}

/// The websocket upgrade request for `endpoint`, with its extra headers (the signature).
fn upgrade_request(
    endpoint: &Endpoint,
) -> Result<tungstenite::handshake::client::Request, tungstenite::Error> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
    let mut request = endpoint.stream_url.as_str().into_client_request()?;
    for (name, value) in &endpoint.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| tungstenite::Error::HttpFormat(e.into()))?;
        let value =
            HeaderValue::from_str(value).map_err(|e| tungstenite::Error::HttpFormat(e.into()))?;
        request.headers_mut().insert(name, value);
    }
    Ok(request)
}

fn connector_for(url: &str) -> Result<Connector, TransportError> {
    if url.starts_with("wss:") {
        Ok(Connector::Rustls(tls_config()?))
    } else {
        Ok(Connector::Plain)
    }
}

/// A client configuration trusting the operating system's roots, so that corporate proxies
/// that re-sign TLS with their own CA work as they do for the AWS CLI.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, TransportError> {
    let loaded = rustls_native_certs::load_native_certs();
    for error in &loaded.errors {
        tracing::warn!(%error, "could not read some trusted root certificates");
    }
    let mut roots = rustls::RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
    if ignored > 0 {
        tracing::debug!(added, ignored, "some root certificates were not usable");
    }
    if roots.is_empty() {
        return Err(TransportError::NoTrustedRoots);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upgrade_request_carries_the_endpoints_headers() {
        let endpoint = Endpoint::new("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s?role=publish_subscribe", "t")
            .with_headers(vec![
                ("x-amz-date".into(), "20261207T190000Z".into()),
                ("authorization".into(), "AWS4-HMAC-SHA256 Credential=AKID/20261207/eu-west-1/ssmmessages/aws4_request, SignedHeaders=host;x-amz-date, Signature=00".into()),
            ]);
        let request = upgrade_request(&endpoint).unwrap();
        assert_eq!(request.headers()["x-amz-date"], "20261207T190000Z");
        assert!(
            request.headers()["authorization"]
                .to_str()
                .unwrap()
                .contains("/ssmmessages/aws4_request")
        );
        assert_eq!(request.uri().query(), Some("role=publish_subscribe"));
        assert!(format!("{endpoint:?}").contains("authorization"));
        assert!(!format!("{endpoint:?}").contains("Signature=00"));
    }

    #[test]
    fn plain_urls_need_no_tls() {
        assert!(matches!(
            connector_for("ws://127.0.0.1:1/v1/data-channel/s"),
            Ok(Connector::Plain)
        ));
    }

    #[test]
    fn secure_urls_get_a_rustls_connector_with_system_roots() {
        // Needs the operating system's CA bundle, which the build machines carry.
        let connector =
            connector_for("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s");
        assert!(matches!(connector, Ok(Connector::Rustls(_))));
    }
}
