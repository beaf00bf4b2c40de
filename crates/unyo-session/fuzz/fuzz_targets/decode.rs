//! Any bytes from the network: the decoder must never panic, and whatever it accepts must
//! survive a strict re-encode and decode unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unyo_session::codec::{decode, encode};

fuzz_target!(|frame: &[u8]| {
    let Ok(decoded) = decode(frame) else {
        return;
    };
    // The strict encoder refuses some shapes the lenient decoder tolerates; those are fine.
    let Ok(reencoded) = encode(&decoded.message) else {
        return;
    };
    match decode(&reencoded) {
        Ok(again) => assert_eq!(again.message, decoded.message, "re-decoding changed the message"),
        Err(e) => panic!("a frame the encoder wrote does not decode: {e}"),
    }
});
