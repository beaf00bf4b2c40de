//! The ciphers against vectors computed with another AES-GCM implementation (Python's
//! `cryptography`) from the agent's own unit-test key, and the encryption context.

use super::*;

/// The 64-byte data key of the agent's block cipher tests ("wubba lubba dub dub…").
const AGENT_TEST_KEY: &str = "7775626261206c756262612064756220647562207775626261206c756262612064756220647562207775626261206c7562626120647562206475622077756262";

fn key(hex_key: &str) -> SecretSlice<u8> {
    SecretSlice::from(hex::decode(hex_key).unwrap())
}

/// The agent's view of the same key: its halves swapped, so that what we seal it opens.
fn agent_side(hex_key: &str) -> SessionCipher {
    let bytes = hex::decode(hex_key).unwrap();
    let swapped = [&bytes[KEY_BYTES..], &bytes[..KEY_BYTES]].concat();
    SessionCipher::from_data_key(&SecretSlice::from(swapped)).unwrap()
}

const NONCE: [u8; NONCE_LEN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

#[test]
fn seals_with_the_second_half_of_the_key_as_the_reference_vector() {
    let cipher = SessionCipher::from_data_key(&key(AGENT_TEST_KEY)).unwrap();
    let sealed = cipher
        .seal_with(NONCE, b"plainTextDataToBeEncrypted")
        .unwrap();
    assert_eq!(
        hex::encode(sealed),
        "000102030405060708090a0b9ee59205089ad0b9e62b5fca7b2ebda1dbbb709544b7f323c22637a85c395ed288d36886580abac5bb2d"
    );
}

#[test]
fn opens_the_agents_payloads_with_the_first_half() {
    let cipher = SessionCipher::from_data_key(&key(AGENT_TEST_KEY)).unwrap();
    let from_agent =
        hex::decode("000102030405060708090a0bbf68682b2b54030030f93db38dc107fb455b").unwrap();
    assert_eq!(cipher.decrypt(&from_agent).unwrap(), b"$ ");
    // Our own payloads are sealed with the other half: we cannot open them.
    let ours = cipher.encrypt(b"$ ").unwrap();
    assert_eq!(cipher.decrypt(&ours), Err(CipherError::Unauthentic));
}

#[test]
fn random_nonces_and_the_agent_opens_what_we_seal() {
    let cipher = SessionCipher::from_data_key(&key(AGENT_TEST_KEY)).unwrap();
    let agent = agent_side(AGENT_TEST_KEY);
    let first = cipher.encrypt(b"ls -la\r").unwrap();
    let second = cipher.encrypt(b"ls -la\r").unwrap();
    assert_eq!(first.len(), NONCE_LEN + 7 + TAG_BYTES);
    assert_ne!(
        first[..NONCE_LEN],
        second[..NONCE_LEN],
        "a fresh nonce each time"
    );
    assert_eq!(agent.decrypt(&first).unwrap(), b"ls -la\r");
    assert_eq!(agent.decrypt(&second).unwrap(), b"ls -la\r");
}

#[test]
fn altered_short_and_wrongly_keyed_payloads_are_refused() {
    let cipher = SessionCipher::from_data_key(&key(AGENT_TEST_KEY)).unwrap();
    let agent = agent_side(AGENT_TEST_KEY);
    let mut sealed = cipher.encrypt(b"secret").unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    assert_eq!(agent.decrypt(&sealed), Err(CipherError::Unauthentic));
    assert_eq!(
        agent.decrypt(&[0; 27]),
        Err(CipherError::TooShort { len: 27 })
    );
    assert!(
        agent.decrypt(&[0; 28]).is_err(),
        "an empty plaintext still needs its tag to match"
    );
    assert_eq!(
        SessionCipher::from_data_key(&SecretSlice::from(vec![7u8; 32])).err(),
        Some(CipherError::KeyLength { len: 32 })
    );
}

#[test]
fn the_request_carries_the_context_the_agent_decrypts_under() {
    let source = |_request: DataKeyRequest| async { Err(DataKeyError("unused".to_owned())) };
    let mut options = KmsOptions::new("session-1", "i-0123456789abcdef0", source);
    let request = options.request("alias/session", "AAECAwQFBgcICQoLDA0ODw==");
    assert_eq!(request.key_id, "alias/session");
    assert_eq!(request.number_of_bytes, 64);
    assert_eq!(
        request.encryption_context,
        BTreeMap::from([
            ("aws:ssm:SessionId".to_owned(), "session-1".to_owned()),
            (
                "aws:ssm:TargetId".to_owned(),
                "i-0123456789abcdef0".to_owned()
            ),
        ])
    );
    options.acknowledge_challenge = true;
    let request = options.request("alias/session", "AAECAwQFBgcICQoLDA0ODw==");
    assert_eq!(
        request.encryption_context.get("aws:ssm:RandomChallenge"),
        Some(&"AAECAwQFBgcICQoLDA0ODw==".to_owned())
    );
}

#[test]
fn keys_never_show_in_debug_output() {
    let data_key = DataKey {
        plaintext: key(AGENT_TEST_KEY),
        ciphertext_blob: vec![1, 2, 3],
    };
    let shown = format!("{data_key:?}");
    assert!(!shown.contains("77"), "{shown}");
    assert!(shown.contains("<redacted>"));
    let cipher = SessionCipher::from_data_key(&key(AGENT_TEST_KEY)).unwrap();
    assert_eq!(format!("{cipher:?}"), "SessionCipher(<keys redacted>)");
}
