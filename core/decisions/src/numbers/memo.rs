//! Readings already made: [`super::NumberPlan::read`] and the home region a subscriber's own
//! number gives are pure functions of their inputs, and the phone-number parser builds regular
//! expressions as it goes (a tenth of the engine's CPU under load, `engine_load`, went to it,
//! reading the same few addresses again for every message). Both tables are bounded: a table
//! that fills is emptied, so a stream of new addresses (a flood of pushes from ever new
//! senders) costs at most [`MAX_ENTRIES`] readings held, never more.

use super::Address;
use phonenumber::country::Id;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// Most readings held per table.
pub(crate) const MAX_ENTRIES: usize = 1024;
/// Longer texts are read every time (a number is at most 64 characters; see `read`).
const MAX_KEY: usize = 128;

type Readings = HashMap<Option<Id>, HashMap<Box<str>, Address>>;

static READINGS: LazyLock<Mutex<Readings>> = LazyLock::new(Mutex::default);
static HOMES: LazyLock<Mutex<HashMap<Box<str>, Option<Id>>>> = LazyLock::new(Mutex::default);

/// `addr` read under `home`, by `read` the first time.
pub(super) fn reading(home: Option<Id>, addr: &str, read: impl FnOnce() -> Address) -> Address {
    if addr.len() > MAX_KEY {
        return read();
    }
    if let Some(a) = READINGS
        .lock()
        .ok()
        .and_then(|m| m.get(&home).and_then(|r| r.get(addr)).cloned())
    {
        return a;
    }
    let a = read();
    if let Ok(mut m) = READINGS.lock() {
        if m.values().map(HashMap::len).sum::<usize>() >= MAX_ENTRIES {
            m.clear();
        }
        m.entry(home).or_default().insert(addr.into(), a.clone());
    }
    a
}

/// The home region `own_number` gives, by `derive` the first time.
pub(super) fn home(own_number: &str, derive: impl FnOnce() -> Option<Id>) -> Option<Id> {
    if own_number.len() > MAX_KEY {
        return derive();
    }
    if let Some(h) = HOMES.lock().ok().and_then(|m| m.get(own_number).copied()) {
        return h;
    }
    let h = derive();
    if let Ok(mut m) = HOMES.lock() {
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(own_number.into(), h);
    }
    h
}

/// Readings held now (tests).
#[cfg(test)]
fn held() -> usize {
    READINGS
        .lock()
        .map(|m| m.values().map(HashMap::len).sum())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::NumberPlan;
    use super::{MAX_ENTRIES, held};

    #[test]
    fn a_reading_held_is_the_reading_and_the_table_stays_bounded() {
        let plans = [
            NumberPlan::new(None),
            NumberPlan::new(Some("GB")),
            NumberPlan::new(Some("US")),
        ];
        let addrs = [
            "+447700900123/TYPE=PLMN",
            "07700 900123",
            "(555) 200-0001",
            "tel:+15552000001",
            "Someone@Example.ORG",
            "12345",
            "+999123",
            "",
            "00447700900123",
        ];
        for p in plans {
            for a in addrs {
                // Read twice: the second comes from the table.
                for _ in 0..2 {
                    assert_eq!(p.read(a), p.read_uncached(a), "{a}");
                }
            }
        }
        // A stream of new senders: the table never holds more than its bound.
        for i in 0..3 * MAX_ENTRIES {
            let a = format!("+4477009{i:05}");
            assert_eq!(plans[1].read(&a), plans[1].read_uncached(&a));
            assert!(held() <= MAX_ENTRIES);
        }
    }
}
