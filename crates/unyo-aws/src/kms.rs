//! Data keys for KMS-encrypted sessions: when an account's Session Manager preferences name a
//! KMS key, the agent asks the client for a data key under it, and the client makes one with
//! `kms:GenerateDataKey` (64 bytes, under the session's and target's encryption context).
//! [`KmsDataKeys`] is that call, as the data channel's [`DataKeySource`].
//!
//! The plaintext key goes straight into a zeroed-on-drop secret and on to the channel's
//! ciphers; it is never logged or shown. Failures say what to fix in words: the permission,
//! the key's state, the key's region.

use aws_config::SdkConfig;
use aws_sdk_kms::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_kms::operation::generate_data_key::GenerateDataKeyError;
use secrecy::SecretSlice;
use unyo_core::{AppError, ErrorCode};
use unyo_session::{DataKey, DataKeyError, DataKeyFuture, DataKeyRequest, DataKeySource};

/// `kms:GenerateDataKey` through one KMS client (the session's region, where the agent
/// decrypts the key). Cheap to clone.
#[derive(Debug, Clone)]
pub struct KmsDataKeys {
    client: aws_sdk_kms::Client,
}

impl KmsDataKeys {
    pub fn new(config: &SdkConfig) -> Self {
        Self::from_client(aws_sdk_kms::Client::new(config))
    }

    /// Over a client built elsewhere (a mocked one in tests).
    pub fn from_client(client: aws_sdk_kms::Client) -> Self {
        Self { client }
    }

    /// One data key as `request` describes it.
    pub async fn generate(&self, request: &DataKeyRequest) -> Result<DataKey, AppError> {
        let key_id = request.key_id.as_str();
        let bytes = i32::try_from(request.number_of_bytes).map_err(|_| {
            AppError::new(
                ErrorCode::Internal,
                format!(
                    "a data key of {} bytes cannot be asked for",
                    request.number_of_bytes
                ),
            )
        })?;
        let output = self
            .client
            .generate_data_key()
            .key_id(key_id)
            .number_of_bytes(bytes)
            .set_encryption_context(Some(
                request.encryption_context.clone().into_iter().collect(),
            ))
            .send()
            .await
            .map_err(|err| failed(&err, key_id, self.region()))?;
        let (Some(plaintext), Some(ciphertext_blob)) = (output.plaintext, output.ciphertext_blob)
        else {
            return Err(AppError::new(
                ErrorCode::Internal,
                format!("KMS answered GenerateDataKey for {key_id} without the key"),
            ));
        };
        Ok(DataKey {
            plaintext: SecretSlice::from(plaintext.into_inner()),
            ciphertext_blob: ciphertext_blob.into_inner(),
        })
    }

    fn region(&self) -> Option<&str> {
        self.client.config().region().map(|region| region.as_ref())
    }
}

impl DataKeySource for KmsDataKeys {
    fn generate_data_key(&self, request: DataKeyRequest) -> DataKeyFuture {
        let this = self.clone();
        Box::pin(async move {
            this.generate(&request)
                .await
                .map_err(|err| DataKeyError(err.message))
        })
    }
}

/// A `GenerateDataKey` failure in words a user can act on.
fn failed<R: std::fmt::Debug + 'static>(
    err: &SdkError<GenerateDataKeyError, R>,
    key_id: &str,
    region: Option<&str>,
) -> AppError {
    let mapped = crate::from_sdk(err);
    let service = err.as_service_error();
    let detail = service
        .and_then(ProvideErrorMetadata::message)
        .filter(|message| !message.is_empty())
        .map_or_else(|| mapped.message.clone(), str::to_owned);
    let region = region.unwrap_or("this region");
    let preferences = "the KMS key named in Session Manager's preferences";
    let (code, message) = match service {
        Some(GenerateDataKeyError::DisabledException(_)) => (
            ErrorCode::InvalidInput,
            format!(
                "{preferences} ({key_id}) is disabled, so no encrypted session can start: \
                 enable the key, or choose another one in the preferences"
            ),
        ),
        Some(GenerateDataKeyError::NotFoundException(_)) => (
            ErrorCode::InvalidInput,
            format!(
                "{preferences} ({key_id}) does not exist in {region}: the key must be in the \
                 session's region; correct the preferences"
            ),
        ),
        Some(GenerateDataKeyError::KmsInvalidStateException(_)) => (
            ErrorCode::InvalidInput,
            format!(
                "{preferences} ({key_id}) cannot be used in its current state (pending \
                 deletion or import, for example): cancel the deletion or choose another key"
            ),
        ),
        Some(GenerateDataKeyError::InvalidKeyUsageException(_)) => (
            ErrorCode::InvalidInput,
            format!(
                "{preferences} ({key_id}) is not a symmetric encryption key; Session Manager \
                 needs one whose key usage is ENCRYPT_DECRYPT"
            ),
        ),
        _ => match mapped.code {
            ErrorCode::AccessDenied => (
                ErrorCode::AccessDenied,
                format!(
                    "sessions in this account are encrypted with {preferences} ({key_id}), \
                     and this identity may not use it: it needs kms:GenerateDataKey on that \
                     key, allowed by both its IAM policy and the key policy"
                ),
            ),
            code => (
                code,
                format!("KMS could not make a data key with {key_id} for the encrypted session"),
            ),
        },
    };
    AppError::new(code, format!("{message} ({detail})"))
}
