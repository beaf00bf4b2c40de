//! Encode and decode rate of the message codec: `cargo bench -p unyo-session --bench codec`.
//! Sizes: a keystroke, a line of shell output, and the largest payload a stream message carries.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use unyo_session::codec::{decode, encode};
use unyo_session::message::{ClientMessage, Stamp};
use unyo_session::payload_type::PayloadType;

fn message(size: usize) -> ClientMessage {
    let payload = (0..size).map(|i| (i % 251) as u8).collect();
    ClientMessage::input_stream_data(42, PayloadType::OUTPUT, payload, Stamp::now())
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codec");
    for size in [1usize, 120, 1024] {
        let msg = message(size);
        let Ok(frame) = encode(&msg) else {
            return;
        };
        group.throughput(Throughput::Bytes(frame.len() as u64));
        group.bench_with_input(BenchmarkId::new("encode", size), &msg, |b, m| {
            b.iter(|| encode(black_box(m)))
        });
        group.bench_with_input(BenchmarkId::new("decode", size), &frame, |b, f| {
            b.iter(|| decode(black_box(f)))
        });
    }
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
