//! Criterion benchmarks of the IAM glob matcher: `cargo bench -p iameval-core`.
#![allow(missing_docs, reason = "criterion_main! generates an undocumented main")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iameval_core::{arn_like, resource_match, wildcard_match};

fn bench_pattern(c: &mut Criterion) {
    let long = "a".repeat(64 * 1024);
    let stars = "*".repeat(100);
    let alternating = "*a".repeat(100) + "*b";
    let run = format!("*{}b", "a".repeat(100));

    c.bench_function("r3 100 stars vs 64 KiB", |b| {
        b.iter(|| wildcard_match(black_box(&stars), black_box(&long), false));
    });
    c.bench_function("r3 (*a)x100*b vs 64 KiB, no match", |b| {
        b.iter(|| wildcard_match(black_box(&alternating), black_box(&long), false));
    });
    c.bench_function("r3 *a{100}b vs 64 KiB, worst case", |b| {
        b.iter(|| wildcard_match(black_box(&run), black_box(&long), false));
    });
    c.bench_function("r3 typical action s3:Get* ignore case", |b| {
        b.iter(|| wildcard_match(black_box("s3:Get*"), black_box("s3:GetObjectVersion"), true));
    });
    c.bench_function("r4 typical resource", |b| {
        b.iter(|| {
            resource_match(
                black_box("arn:aws:s3:::my-bucket/home/${aws:username}/*"),
                black_box("arn:aws:s3:::my-bucket/home/alice/notes.txt"),
                false,
            )
        });
    });
    c.bench_function("r11 arn_like role", |b| {
        b.iter(|| {
            arn_like(
                black_box("arn:aws:iam::*:role/admin-*"),
                black_box("arn:aws:iam::123456789012:role/admin-prod"),
            )
        });
    });
}

criterion_group!(benches, bench_pattern);
criterion_main!(benches);
