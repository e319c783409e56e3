//! Release throughput and latency over the in-process router, the chain view answering from its cache (every
//! cited block read once beforehand). A measurement, not a check: `cargo test -p healthchain-custodian --test
//! throughput -- --ignored --nocapture`.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::*;

async fn measure(concurrency: usize, releases: usize) {
    let dir = tempfile::tempdir().unwrap();
    let h = Arc::new(Harness::new(dir.path()));
    h.put(7, b"a document").await;
    let blocks: Vec<_> = (0..releases).map(|_| h.opens(&[(1, 7, &reader())], false)).collect();
    h.chain.finalize(blocks.last().unwrap().number);
    for block in &blocks {
        h.custodian.chain().block(block.hash).await.unwrap();
        h.custodian.chain().events(block.hash).await.unwrap();
    }
    let requests: Vec<_> = blocks.iter().map(|block| h.release_request(&reader(), 7, block.hash).0).collect();
    let chunks: Vec<Vec<_>> = requests.chunks(releases.div_ceil(concurrency)).map(|chunk| chunk.to_vec()).collect();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for chunk in chunks {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for request in chunk {
                let one = Instant::now();
                let answer = h.post_json("/v1/releases", &request).await;
                assert_eq!(answer.status, StatusCode::OK);
                latencies.push(one.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "{releases} releases, {concurrency} concurrent: {:.0}/s, p50 {:?}, p99 {:?}",
        releases as f64 / elapsed.as_secs_f64(),
        p(0.50),
        p(0.99)
    );
    assert_eq!(h.release_log().await.len(), 100.min(releases));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn release_throughput() {
    measure(1, 1000).await;
    measure(8, 2000).await;
}
