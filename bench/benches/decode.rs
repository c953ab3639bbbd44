//! `cargo bench -p benchmarks [-- NAME...]`: decoding each payload of
//! [`benchmarks::PAYLOADS`] with the derive twin and with our generated types, in the same
//! run. Prints a Markdown table: throughput (MB/s, 10^6 bytes of JSON per second, median of
//! the samples) and the peak live heap during one decode, with ours ÷ derive for both.
//! Arguments that are not flags keep only the payloads whose name contains one of them.
//!
//! A plain `main`: the numbers are two measurements side by side, which a bench framework
//! would not put in one table, and it keeps the crate free of dependencies.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use benchmarks::{Payload, PAYLOADS};

/// Samples per decoder; derive's and ours alternate, so a slow spell of the machine hits both.
const SAMPLES: usize = 15;
/// The least time one sample takes (it repeats the decode as often as needed).
const SAMPLE_TIME: Duration = Duration::from_millis(40);
/// Untimed decoding before the samples, per decoder.
const WARM_UP: Duration = Duration::from_millis(200);

/// `System`, counting live heap bytes while [`COUNTING`] is on (off while timing, so the
/// throughput numbers pay nothing for it).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let bytes = bytes as isize;
        let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn shrink(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc_zeroed`, passed on.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc`, passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrink(layout.size());
            grow(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap bytes live at once during one call of `decode`, counted from zero at the
/// start (the decoders free everything they allocate, so the count ends at zero again).
fn peak_heap(decode: fn(&[u8]), bytes: &[u8]) -> usize {
    LIVE.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    decode(bytes);
    COUNTING.store(false, Ordering::SeqCst);
    PEAK.load(Ordering::SeqCst).max(0) as usize
}

/// How many decodes make one sample of at least [`SAMPLE_TIME`], after warming up.
fn calibrate(decode: fn(&[u8]), bytes: &[u8]) -> u32 {
    let start = Instant::now();
    let mut runs = 0u32;
    while runs < 3 || start.elapsed() < WARM_UP {
        decode(bytes);
        runs += 1;
    }
    let each = start.elapsed() / runs;
    (SAMPLE_TIME.as_nanos() / each.as_nanos().max(1)).clamp(1, u32::MAX as u128) as u32
}

/// Seconds per decode.
fn sample(decode: fn(&[u8]), bytes: &[u8], iterations: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        decode(bytes);
    }
    start.elapsed().as_secs_f64() / f64::from(iterations)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

struct Row {
    name: &'static str,
    size: usize,
    derive_mbps: f64,
    ours_mbps: f64,
    derive_peak: usize,
    ours_peak: usize,
}

fn measure(payload: &Payload) -> Row {
    let bytes = payload
        .read()
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", payload.path));
    let bytes = bytes.as_slice();
    let derive_iterations = calibrate(payload.derive, bytes);
    let ours_iterations = calibrate(payload.ours, bytes);
    let mut derive = Vec::with_capacity(SAMPLES);
    let mut ours = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        derive.push(sample(payload.derive, bytes, derive_iterations));
        ours.push(sample(payload.ours, bytes, ours_iterations));
    }
    let mbps = |seconds: f64| bytes.len() as f64 / seconds / 1e6;
    Row {
        name: payload.name,
        size: bytes.len(),
        derive_mbps: mbps(median(derive)),
        ours_mbps: mbps(median(ours)),
        derive_peak: peak_heap(payload.derive, bytes),
        ours_peak: peak_heap(payload.ours, bytes),
    }
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let chosen = PAYLOADS
        .iter()
        .filter(|p| filters.is_empty() || filters.iter().any(|f| p.name.contains(f.as_str())));
    println!("| payload | size | derive MB/s | ours MB/s | ours ÷ derive | derive peak heap | ours peak heap | ours ÷ derive |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for payload in chosen {
        let row = measure(payload);
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.2} | {} | {} | {:.2} |",
            row.name,
            kib(row.size),
            row.derive_mbps,
            row.ours_mbps,
            row.ours_mbps / row.derive_mbps,
            kib(row.derive_peak),
            kib(row.ours_peak),
            row.ours_peak as f64 / row.derive_peak.max(1) as f64,
        );
    }
}
