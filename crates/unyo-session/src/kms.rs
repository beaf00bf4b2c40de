//! KMS session encryption (§10): when the account's Session Manager preferences name a KMS
//! key, the agent asks for it in the handshake, and the stream payloads of the session travel
//! encrypted with AES-256-GCM under a data key that the client generates.
//!
//! This crate does not call KMS. The caller supplies a [`DataKeySource`] (in the app,
//! `kms:GenerateDataKey` through the AWS SDK) in [`KmsOptions`]; the channel asks it for a
//! 64-byte key under the encryption context the agent will use to decrypt the key's blob.
//! The first half of the key encrypts the agent's payloads, the second half ours.
//!
//! An encrypted payload is `nonce (12) ‖ ciphertext ‖ tag (16)`, without associated data. Our
//! nonces are random, as the plugin's are. Only output payloads (type 1) are encrypted on the
//! way out; output, stderr and exit codes (types 1, 11, 12) are decrypted on the way in.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use secrecy::{ExposeSecret, SecretSlice};

/// The size of the data key the agent expects: two AES-256 keys.
pub const DATA_KEY_BYTES: usize = 64;
/// Bytes of one direction's key.
const KEY_BYTES: usize = 32;
/// Bytes of the GCM tag at the end of an encrypted payload.
const TAG_BYTES: usize = 16;

/// Encryption context keys the agent decrypts the data key under.
pub const CONTEXT_SESSION_ID: &str = "aws:ssm:SessionId";
pub const CONTEXT_TARGET_ID: &str = "aws:ssm:TargetId";
/// Added only when the client acknowledges the agent's challenge.
pub const CONTEXT_RANDOM_CHALLENGE: &str = "aws:ssm:RandomChallenge";

/// What to ask KMS for: `GenerateDataKey(KeyId, NumberOfBytes, EncryptionContext)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataKeyRequest {
    /// As the agent named it: a key id, alias or ARN.
    pub key_id: String,
    pub number_of_bytes: usize,
    pub encryption_context: BTreeMap<String, String>,
}

/// What KMS answered.
pub struct DataKey {
    /// The key itself; zeroed when dropped, never printed.
    pub plaintext: SecretSlice<u8>,
    /// The key encrypted under the KMS key, for the agent to decrypt.
    pub ciphertext_blob: Vec<u8>,
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey")
            .field("plaintext", &"<redacted>")
            .field("ciphertext_blob_len", &self.ciphertext_blob.len())
            .finish()
    }
}

/// Why no data key could be had, in words for the user (for example the service's
/// `AccessDeniedException` message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DataKeyError(pub String);

/// The future a [`DataKeySource`] returns.
pub type DataKeyFuture = Pin<Box<dyn Future<Output = Result<DataKey, DataKeyError>> + Send>>;

/// Generates data keys, as `kms:GenerateDataKey` does.
///
/// Any `Fn(DataKeyRequest) -> impl Future<Output = Result<DataKey, DataKeyError>>` closure
/// is one.
pub trait DataKeySource: Send + Sync {
    fn generate_data_key(&self, request: DataKeyRequest) -> DataKeyFuture;
}

impl<F, Fut> DataKeySource for F
where
    F: Fn(DataKeyRequest) -> Fut + Send + Sync,
    Fut: Future<Output = Result<DataKey, DataKeyError>> + Send + 'static,
{
    fn generate_data_key(&self, request: DataKeyRequest) -> DataKeyFuture {
        Box::pin(self(request))
    }
}

/// What a channel needs to accept KMS encryption.
#[derive(Clone)]
pub struct KmsOptions {
    /// The session and the target, from `StartSession`; they make the encryption context.
    pub session_id: String,
    pub target_id: String,
    pub data_keys: Arc<dyn DataKeySource>,
    /// Adds the agent's challenge to the encryption context and says so in the handshake,
    /// which agents configured with `RequireKMSChallengeResponse` demand. Off by default: an
    /// agent that does not know the acknowledgement decrypts the key without the challenge
    /// in its context, which then fails; the plugin (1.2.677) never sends it.
    pub acknowledge_challenge: bool,
}

impl KmsOptions {
    pub fn new(
        session_id: impl Into<String>,
        target_id: impl Into<String>,
        data_keys: impl DataKeySource + 'static,
    ) -> Self {
        Self {
            session_id: session_id.into(),
            target_id: target_id.into(),
            data_keys: Arc::new(data_keys),
            acknowledge_challenge: false,
        }
    }

    /// The request for the agent's `KMSEncryption` action: the key it named, and the
    /// context it will decrypt under; `challenge` is the action's, used verbatim.
    pub fn request(&self, key_id: &str, challenge: &str) -> DataKeyRequest {
        let mut encryption_context = BTreeMap::from([
            (CONTEXT_SESSION_ID.to_owned(), self.session_id.clone()),
            (CONTEXT_TARGET_ID.to_owned(), self.target_id.clone()),
        ]);
        if self.acknowledge_challenge {
            encryption_context.insert(CONTEXT_RANDOM_CHALLENGE.to_owned(), challenge.to_owned());
        }
        DataKeyRequest {
            key_id: key_id.to_owned(),
            number_of_bytes: DATA_KEY_BYTES,
            encryption_context,
        }
    }
}

impl fmt::Debug for KmsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KmsOptions")
            .field("session_id", &self.session_id)
            .field("target_id", &self.target_id)
            .field("data_keys", &"<callback>")
            .field("acknowledge_challenge", &self.acknowledge_challenge)
            .finish()
    }
}

/// Why a payload could not be encrypted or decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    #[error("the data key has {len} bytes; the agent uses {DATA_KEY_BYTES}")]
    KeyLength { len: usize },
    #[error("an encrypted payload of {len} bytes is shorter than its nonce and tag")]
    TooShort { len: usize },
    #[error("an encrypted payload failed authentication: wrong key or altered data")]
    Unauthentic,
    #[error("no random nonce could be drawn")]
    Random,
}

/// The client's two ciphers of a session.
pub struct SessionCipher {
    /// Opens the agent's payloads: the first half of the data key.
    open: LessSafeKey,
    /// Seals ours: the second half.
    seal: LessSafeKey,
    random: SystemRandom,
}

impl fmt::Debug for SessionCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionCipher(<keys redacted>)")
    }
}

impl SessionCipher {
    /// The client's ciphers from a 64-byte data key.
    pub fn from_data_key(key: &SecretSlice<u8>) -> Result<Self, CipherError> {
        let key = key.expose_secret();
        if key.len() != DATA_KEY_BYTES {
            return Err(CipherError::KeyLength { len: key.len() });
        }
        let (agent_to_client, client_to_agent) = key.split_at(KEY_BYTES);
        Ok(Self {
            open: aes_key(agent_to_client)?,
            seal: aes_key(client_to_agent)?,
            random: SystemRandom::new(),
        })
    }

    /// Encrypts one of our payloads under a fresh random nonce.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, CipherError> {
        let mut nonce = [0; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| CipherError::Random)?;
        self.seal_with(nonce, plaintext)
    }

    /// Decrypts one of the agent's payloads.
    pub fn decrypt(&self, envelope: &[u8]) -> Result<Vec<u8>, CipherError> {
        if envelope.len() < NONCE_LEN + TAG_BYTES {
            return Err(CipherError::TooShort {
                len: envelope.len(),
            });
        }
        let (nonce, sealed) = envelope.split_at(NONCE_LEN);
        let nonce =
            Nonce::try_assume_unique_for_key(nonce).map_err(|_| CipherError::Unauthentic)?;
        let mut buffer = sealed.to_vec();
        let plaintext_len = self
            .open
            .open_in_place(nonce, Aad::empty(), &mut buffer)
            .map_err(|_| CipherError::Unauthentic)?
            .len();
        buffer.truncate(plaintext_len);
        Ok(buffer)
    }

    fn seal_with(&self, nonce: [u8; NONCE_LEN], plaintext: &[u8]) -> Result<Vec<u8>, CipherError> {
        let mut envelope = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_BYTES);
        envelope.extend_from_slice(&nonce);
        envelope.extend_from_slice(plaintext);
        let tag = self
            .seal
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut envelope[NONCE_LEN..],
            )
            .map_err(|_| CipherError::Unauthentic)?;
        envelope.extend_from_slice(tag.as_ref());
        Ok(envelope)
    }
}

fn aes_key(bytes: &[u8]) -> Result<LessSafeKey, CipherError> {
    UnboundKey::new(&AES_256_GCM, bytes)
        .map(LessSafeKey::new)
        .map_err(|_| CipherError::KeyLength { len: bytes.len() })
}

#[cfg(test)]
mod tests;
