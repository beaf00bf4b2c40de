//! The agent's side of KMS session encryption (§10), on `ring` directly rather than through
//! the client's cipher: the data key from a stand-in for KMS, the challenge, and payloads
//! sealed with the first half of the key and opened with the second. Like the agent, it
//! counts its nonces up from a random start.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use secrecy::SecretSlice;
use unyo_session::{
    DataKey, DataKeyError, DataKeyRequest, DataKeySource, EncryptionChallenge, HandshakeResponse,
};

/// The data key the stand-in for KMS hands out, and the blob it stands for.
const KEY: [u8; 64] = *b"0123456789abcdef0123456789ABCDEF fedcba9876543210FEDCBA987654321";
const BLOB: &[u8] = b"ciphertext blob of the test data key";

/// What the agent says once the session is encrypted.
pub const ENCRYPTED_NOTICE: &str = "This session is encrypted using AWS KMS.";

/// A stand-in for `kms:GenerateDataKey` that records what it was asked.
pub fn fake_kms(requests: Arc<Mutex<Vec<DataKeyRequest>>>) -> impl DataKeySource {
    move |request: DataKeyRequest| {
        requests.lock().unwrap().push(request);
        async {
            Ok::<_, DataKeyError>(DataKey {
                plaintext: SecretSlice::from(KEY.to_vec()),
                ciphertext_blob: BLOB.to_vec(),
            })
        }
    }
}

pub struct AgentCipher {
    /// Seals the agent's payloads: the first half.
    seal: LessSafeKey,
    /// Opens the client's: the second half.
    open: LessSafeKey,
    nonce: u128,
    challenge: Option<Vec<u8>>,
}

impl AgentCipher {
    /// "Decrypts" the blob in the handshake response, as the agent asks KMS to; `None` when
    /// the response carries no blob this stand-in issued.
    pub fn from_response(response: &HandshakeResponse) -> Option<Self> {
        let action = response
            .processed_client_actions
            .iter()
            .find(|action| action.action_type == "KMSEncryption")?;
        let blob = action.action_result.get("KMSCipherTextKey")?.as_str()?;
        if BASE64.decode(blob).ok()? != BLOB {
            return None;
        }
        let key = |half: &[u8]| LessSafeKey::new(UnboundKey::new(&AES_256_GCM, half).unwrap());
        let mut start = [0; 16];
        SystemRandom::new().fill(&mut start).unwrap();
        Some(Self {
            seal: key(&KEY[..32]),
            open: key(&KEY[32..]),
            nonce: u128::from_le_bytes(start),
            challenge: None,
        })
    }

    pub fn seal(&mut self, plaintext: &[u8]) -> Vec<u8> {
        self.nonce = self.nonce.wrapping_add(1);
        let nonce: [u8; 12] = self.nonce.to_le_bytes()[..12].try_into().unwrap();
        let mut sealed = plaintext.to_vec();
        self.seal
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .unwrap();
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn open(&self, envelope: &[u8]) -> Option<Vec<u8>> {
        let (nonce, sealed) = envelope.split_at_checked(12)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buffer = sealed.to_vec();
        let len = self
            .open
            .open_in_place(nonce, Aad::empty(), &mut buffer)
            .ok()?
            .len();
        buffer.truncate(len);
        Some(buffer)
    }

    /// An `EncChallengeRequest` payload: 64 random bytes, sealed.
    pub fn challenge(&mut self) -> Vec<u8> {
        let mut challenge = vec![0; 64];
        SystemRandom::new().fill(&mut challenge).unwrap();
        let request = EncryptionChallenge {
            challenge: BASE64.encode(self.seal(&challenge)),
        };
        self.challenge = Some(challenge);
        serde_json::to_vec(&request).unwrap()
    }

    /// Whether an `EncChallengeResponse` payload returns the challenge sealed with the
    /// client's key.
    pub fn answered(&self, payload: &[u8]) -> bool {
        let Ok(response) = serde_json::from_slice::<EncryptionChallenge>(payload) else {
            return false;
        };
        let opened = BASE64
            .decode(response.challenge)
            .ok()
            .and_then(|sealed| self.open(&sealed));
        opened.is_some() && opened == self.challenge
    }
}
