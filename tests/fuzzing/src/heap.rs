//! Peak heap per decode. This crate installs a counting allocator (`allocation-counter`, which
//! counts per thread, so parallel tests do not see each other's allocations); every decoder call
//! a target makes goes through [`within`], which fails the target when the call held more heap
//! at its peak than its input kind allows ([`mms_codec::budget::Allowance::heap_for_len`]).
//! The worst ratio seen per decoder is kept ([`worst`]) so that the replay tests and the
//! amplification bench can report it.

use mms_codec::budget::InputKind;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The worst peak seen for one decoder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worst {
    /// Peak heap in bytes.
    pub peak: u64,
    /// The input's length in octets.
    pub len: usize,
    /// The peak as a share of the allowance (1.0 is the limit).
    pub share: f64,
}

static WORST: Mutex<BTreeMap<&'static str, Worst>> = Mutex::new(BTreeMap::new());

/// Runs `f` and returns what it returned with the peak heap (bytes) this thread held while it
/// ran, counted from the start of the call.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let mut out = None;
    let info = allocation_counter::measure(|| out = Some(f()));
    match out {
        Some(v) => (v, info.bytes_max),
        // `measure` runs the closure exactly once; a panic inside it never reaches here.
        None => unreachable_output(),
    }
}

#[allow(clippy::panic)]
fn unreachable_output() -> ! {
    panic!("allocation_counter::measure did not run the closure")
}

/// Runs the decoder call `f` on an input of `kind` and `len` octets; panics (the fuzzer's
/// signal) when its peak heap exceeds the allowance, naming `what`.
#[allow(clippy::panic)]
pub fn within<T>(kind: InputKind, len: usize, what: &'static str, f: impl FnOnce() -> T) -> T {
    let (out, peak) = measure(f);
    let allowed = kind.allowance().heap_for_len(len);
    if peak > allowed {
        panic!(
            "{what}: peak heap {peak} B over the {kind} allowance of {allowed} B for {len} octets"
        );
    }
    let share = peak as f64 / allowed as f64;
    if let Ok(mut w) = WORST.lock() {
        let e = w.entry(what).or_insert(Worst { peak, len, share });
        if share > e.share {
            *e = Worst { peak, len, share };
        }
    }
    out
}

/// The worst share of its allowance each decoder reached so far in this process.
pub fn worst() -> BTreeMap<&'static str, Worst> {
    WORST.lock().map(|w| w.clone()).unwrap_or_default()
}
