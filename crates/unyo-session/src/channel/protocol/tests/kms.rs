//! KMS encryption through the session state: the handshake waits for the data key, the
//! challenge is answered, and payloads are sealed and opened by type, checked with the
//! agent's side of the same key.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use secrecy::SecretSlice;

use super::*;
use crate::handshake::EncryptionChallenge;
use crate::kms::{DataKey, DataKeyError, DataKeyRequest, KmsOptions, SessionCipher};

/// The agent's block cipher test key.
const KEY: &str = "7775626261206c756262612064756220647562207775626261206c756262612064756220647562207775626261206c7562626120647562206475622077756262";

fn data_key() -> DataKey {
    DataKey {
        plaintext: SecretSlice::from(hex::decode(KEY).unwrap()),
        ciphertext_blob: vec![1, 2, 3],
    }
}

/// What the agent holds after decrypting the blob: the halves the other way round.
fn agent_cipher() -> SessionCipher {
    let key = hex::decode(KEY).unwrap();
    let swapped = [&key[32..], &key[..32]].concat();
    SessionCipher::from_data_key(&SecretSlice::from(swapped)).unwrap()
}

fn kms_shell() -> Protocol {
    let source = |_request: DataKeyRequest| async { Ok(data_key()) };
    shell(None).with_kms(Some(KmsOptions::new("session-1", "i-0123", source)))
}

fn kms_handshake_request() -> Vec<u8> {
    handshake_request(json!([
        {"ActionType": "SessionType",
            "ActionParameters": {"SessionType": "Standard_Stream", "Properties": null}},
        {"ActionType": "KMSEncryption",
            "ActionParameters": {"KMSKeyId": "alias/session", "Challenge": "AAECAw=="}}
    ]))
}

fn sealed(sequence: i64, payload_type: PayloadType, plaintext: &[u8]) -> Vec<u8> {
    output(
        sequence,
        payload_type,
        &agent_cipher().encrypt(plaintext).unwrap(),
    )
}

#[test]
fn the_handshake_waits_for_the_data_key_then_both_directions_are_encrypted() {
    let t0 = Instant::now();
    let mut protocol = kms_shell();
    let waiting = protocol.receive(t0, &kms_handshake_request(), true);
    assert_eq!(
        acked(&waiting.frames),
        [0],
        "acknowledged, not yet answered"
    );
    assert_eq!(waiting.frames.len(), 1);
    let request = waiting.data_key.unwrap();
    assert_eq!(request.key_id, "alias/session");
    assert_eq!(request.number_of_bytes, 64);
    assert_eq!(
        request.encryption_context.get("aws:ssm:SessionId").unwrap(),
        "session-1"
    );

    let answered = protocol.data_key_arrived(t0, Ok(data_key()));
    let response = decoded(&answered.frames);
    assert_eq!(response[0].payload_type, PayloadType::HANDSHAKE_RESPONSE);
    // Key order inside ActionResult is serde_json's; JSON readers (Go's included) ignore it.
    let json: serde_json::Value = serde_json::from_slice(&response[0].payload).unwrap();
    assert_eq!(
        json["ProcessedClientActions"][1],
        json!({"ActionType": "KMSEncryption", "ActionStatus": 1, "Error": "",
            "ActionResult": {"KMSCipherTextKey": "AQID", "KMSCipherTextHash": null}})
    );

    // The challenge: opened with the agent's key, returned sealed with ours.
    let challenge = [7u8; 64];
    let request = EncryptionChallenge {
        challenge: BASE64.encode(agent_cipher().encrypt(&challenge).unwrap()),
    };
    let payload = serde_json::to_vec(&request).unwrap();
    let reaction = protocol.receive(
        t0,
        &output(1, PayloadType::ENC_CHALLENGE_REQUEST, &payload),
        true,
    );
    let frames = decoded(&reaction.frames);
    assert_eq!(
        frames[0].message_type,
        message_type::ACKNOWLEDGE,
        "ack first"
    );
    assert_eq!(frames[1].payload_type, PayloadType::ENC_CHALLENGE_RESPONSE);
    let answer: EncryptionChallenge = serde_json::from_slice(&frames[1].payload).unwrap();
    let answer = BASE64.decode(answer.challenge).unwrap();
    assert_eq!(agent_cipher().decrypt(&answer).unwrap(), challenge);

    let complete = br#"{"HandshakeTimeToComplete":1,"CustomerMessage":"This session is encrypted using AWS KMS."}"#;
    protocol.receive(
        t0,
        &output(2, PayloadType::HANDSHAKE_COMPLETE, complete),
        true,
    );
    let prompt = protocol.receive(t0, &sealed(3, PayloadType::OUTPUT, b"$ "), true);
    assert_eq!(prompt.events, [Event::Output(b"$ ".to_vec())]);

    protocol.push_input(b"ls\r");
    protocol.push_flag(FlagCode::TERMINATE_SESSION);
    let sent = decoded(&protocol.take_sends(t0).unwrap());
    assert_eq!(sent[0].payload_type, PayloadType::OUTPUT);
    assert_ne!(sent[0].payload, b"ls\r", "sealed on the wire");
    assert_eq!(agent_cipher().decrypt(&sent[0].payload).unwrap(), b"ls\r");
    assert_eq!(sent[1].payload, [0, 0, 0, 2], "flags stay clear");

    protocol.receive(
        t0,
        &sealed(4, PayloadType::EXIT_CODE, b"EXIT_CODE: 3"),
        true,
    );
    assert_eq!(protocol.exit_code(), Some(3));
    let stderr = protocol.receive(t0, &sealed(5, PayloadType::STD_ERR, b"oops"), true);
    assert_eq!(stderr.events, [Event::Stderr(b"oops".to_vec())]);
}

#[test]
fn the_challenge_acknowledgement_is_opt_in() {
    let t0 = Instant::now();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    let source = move |request: DataKeyRequest| {
        seen.lock().unwrap().push(request);
        async { Ok(data_key()) }
    };
    let mut options = KmsOptions::new("session-1", "i-0123", source);
    options.acknowledge_challenge = true;
    let mut protocol = shell(None).with_kms(Some(options));
    let request = protocol
        .receive(t0, &kms_handshake_request(), true)
        .data_key
        .unwrap();
    assert_eq!(
        request
            .encryption_context
            .get("aws:ssm:RandomChallenge")
            .unwrap(),
        "AAECAw=="
    );
    let response = decoded(&protocol.data_key_arrived(t0, Ok(data_key())).frames);
    let json: serde_json::Value = serde_json::from_slice(&response[0].payload).unwrap();
    assert_eq!(
        json["ProcessedClientActions"][1]["ActionResult"]["ChallengeAcknowledgement"],
        json!(true)
    );
}

#[test]
fn a_kms_failure_fails_the_action_and_explains_the_end() {
    let t0 = Instant::now();
    let mut protocol = kms_shell();
    protocol.receive(t0, &kms_handshake_request(), true);
    let denied = DataKeyError("AccessDeniedException: not allowed to kms:GenerateDataKey".into());
    let answered = protocol.data_key_arrived(t0, Err(denied));
    let response: HandshakeResponse =
        serde_json::from_slice(&decoded(&answered.frames)[0].payload).unwrap();
    let action = &response.processed_client_actions[1];
    assert_eq!(action.action_status, ActionStatus::FAILED);
    assert!(
        action.error.contains("AccessDeniedException"),
        "{}",
        action.error
    );

    let closed = ChannelClosed {
        message_id: String::new(),
        created_date: String::new(),
        destination_id: String::new(),
        session_id: "session-1".to_owned(),
        message_type: message_type::CHANNEL_CLOSED.to_owned(),
        schema_version: 1,
        output: "Session cancelled".to_owned(),
    };
    let frame = agent_frame(
        message_type::CHANNEL_CLOSED,
        0,
        PayloadType::UNSET,
        &serde_json::to_vec(&closed).unwrap(),
    );
    let Some(CloseReason::Encryption { detail }) = protocol.receive(t0, &frame, true).closed else {
        panic!("expected an encryption failure");
    };
    assert!(detail.contains("AccessDeniedException"), "{detail}");
}

#[test]
fn output_that_does_not_decrypt_ends_the_session_unacknowledged() {
    let t0 = Instant::now();
    let mut protocol = kms_shell();
    protocol.receive(t0, &kms_handshake_request(), true);
    protocol.data_key_arrived(t0, Ok(data_key()));
    let complete = br#"{"HandshakeTimeToComplete":1,"CustomerMessage":""}"#;
    protocol.receive(
        t0,
        &output(1, PayloadType::HANDSHAKE_COMPLETE, complete),
        true,
    );
    let clear = protocol.receive(t0, &text(2, "not sealed at all, and long enough"), true);
    assert!(
        matches!(clear.closed, Some(CloseReason::Encryption { .. })),
        "{:?}",
        clear.closed
    );
    assert!(clear.events.is_empty());
}
