//! The session's encryption state (§10), kept by [`super::protocol::Protocol`]: whether the
//! caller can supply data keys, the handshake response that waits for one, and once it came
//! the ciphers that seal our output payloads and open the agent's.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::handshake::{
    ActionStatus, EncryptionChallenge, HandshakeResponse, KmsEncryptionRequest,
    KmsEncryptionResponse, ProcessedClientAction, RequestedClientAction,
};
use crate::kms::{DataKey, DataKeyError, DataKeyRequest, KmsOptions, SessionCipher};
use crate::payload_type::PayloadType;

#[derive(Debug, Default)]
pub(crate) struct Encryption {
    options: Option<KmsOptions>,
    pending: Option<Pending>,
    cipher: Option<SessionCipher>,
}

/// A handshake response held back until the data key arrives.
#[derive(Debug)]
struct Pending {
    response: HandshakeResponse,
    /// Where the `KMSEncryption` entry sits in the response.
    index: usize,
}

impl Encryption {
    pub(crate) fn new(options: Option<KmsOptions>) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    /// Whether a `KMSEncryption` action can be accepted.
    pub(crate) fn available(&self) -> bool {
        self.options.is_some()
    }

    /// Holds `response` back and says which data key to ask for; `None` without options.
    pub(crate) fn hold(
        &mut self,
        response: HandshakeResponse,
        index: usize,
        action: &KmsEncryptionRequest,
    ) -> Option<DataKeyRequest> {
        let options = self.options.as_ref()?;
        let request = options.request(&action.kms_key_id, &action.challenge);
        self.pending = Some(Pending { response, index });
        Some(request)
    }

    /// Completes the held response with the data key, and turns encryption on. On failure
    /// the action is reported as failed (the agent then ends the session) and the error is
    /// returned with the response.
    pub(crate) fn key_arrived(
        &mut self,
        key: Result<DataKey, DataKeyError>,
    ) -> Option<Result<HandshakeResponse, (HandshakeResponse, String)>> {
        let Pending {
            mut response,
            index,
        } = self.pending.take()?;
        let acknowledge_challenge = self
            .options
            .as_ref()
            .is_some_and(|options| options.acknowledge_challenge);
        let outcome = key
            .map_err(|error| format!("no data key from KMS: {error}"))
            .and_then(|key| {
                let cipher = SessionCipher::from_data_key(&key.plaintext)
                    .map_err(|error| format!("unusable data key from KMS: {error}"))?;
                let result = KmsEncryptionResponse {
                    kms_cipher_text_key: BASE64.encode(&key.ciphertext_blob),
                    kms_cipher_text_hash: None,
                    challenge_acknowledgement: acknowledge_challenge,
                };
                let result = serde_json::to_value(result)
                    .map_err(|error| format!("KMS action result: {error}"))?;
                Ok((cipher, result))
            });
        let kind = RequestedClientAction::KMS_ENCRYPTION;
        let (entry, outcome) = match outcome {
            Ok((cipher, result)) => {
                self.cipher = Some(cipher);
                (ProcessedClientAction::success_with(kind, result), Ok(()))
            }
            Err(error) => (
                ProcessedClientAction::failure(kind, ActionStatus::FAILED, error.clone()),
                Err(error),
            ),
        };
        if let Some(slot) = response.processed_client_actions.get_mut(index) {
            *slot = entry;
        }
        Some(match outcome {
            Ok(()) => Ok(response),
            Err(error) => Err((response, error)),
        })
    }

    /// Our payload as sent: sealed when encryption is on and it is output (type 1), the only
    /// type the agent opens.
    pub(crate) fn seal(
        &self,
        payload_type: PayloadType,
        payload: Vec<u8>,
    ) -> Result<Vec<u8>, String> {
        match &self.cipher {
            Some(cipher) if payload_type == PayloadType::OUTPUT => cipher
                .encrypt(&payload)
                .map_err(|error| format!("could not encrypt input: {error}")),
            _ => Ok(payload),
        }
    }

    /// The agent's payload as meant: opened when encryption is on and it is output, stderr
    /// or an exit code, the types the agent seals.
    pub(crate) fn open(
        &self,
        payload_type: PayloadType,
        payload: Vec<u8>,
    ) -> Result<Vec<u8>, String> {
        let sealed = matches!(
            payload_type,
            PayloadType::OUTPUT | PayloadType::STD_ERR | PayloadType::EXIT_CODE
        );
        match &self.cipher {
            Some(cipher) if sealed => cipher
                .decrypt(&payload)
                .map_err(|error| format!("could not decrypt output: {error}")),
            _ => Ok(payload),
        }
    }

    /// The answer to an `EncChallengeRequest`: its challenge opened with the agent's key and
    /// sealed with ours, which proves both keys.
    pub(crate) fn answer_challenge(&self, payload: &[u8]) -> Result<Vec<u8>, String> {
        let cipher = self
            .cipher
            .as_ref()
            .ok_or("an encryption challenge came before encryption was set up")?;
        let request: EncryptionChallenge = serde_json::from_slice(payload)
            .map_err(|error| format!("unreadable encryption challenge: {error}"))?;
        let sealed = BASE64
            .decode(request.challenge)
            .map_err(|error| format!("encryption challenge is not base64: {error}"))?;
        let challenge = cipher
            .decrypt(&sealed)
            .map_err(|error| format!("could not open the encryption challenge: {error}"))?;
        let resealed = cipher
            .encrypt(&challenge)
            .map_err(|error| format!("could not answer the encryption challenge: {error}"))?;
        let response = EncryptionChallenge {
            challenge: BASE64.encode(resealed),
        };
        serde_json::to_vec(&response).map_err(|error| format!("challenge response: {error}"))
    }
}
