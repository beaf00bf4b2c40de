//! The data channel end to end against a loopback test server that plays the relay and the
//! agent: byte-exact transcripts through an echo shell under injected faults and dropped
//! connections, the session start, the ways a session ends, keep-alive and liveness, and
//! port forwarding (smux and basic) to loopback destinations.
//!
//! Everything runs on 127.0.0.1 with short injected intervals; every wait is bounded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly on setup errors"
)]

mod harness;
mod lifecycle;
mod port_forward;
mod resume;
mod server;
mod session_start;
mod tcp;
mod transcript;
mod tunnel;
