//! Carrier data (criterion): parsing the bundled snapshot once (what the first lookup of a
//! process pays), and a lookup by MCC-MNC with the suggestion rule, against the baseline of a
//! linear scan of every entry for the same network, measured in the same run. Also prints the
//! bundled data's size. `cargo bench -p mms-decisions --bench carriers`.
#![allow(clippy::unwrap_used)]

use criterion::Criterion;
use mms_decisions::carriers::CarrierDb;
use std::hint::black_box;

const DATA: &str = include_str!("../data/carriers.xml");

fn main() {
    let db = CarrierDb::parse(DATA).unwrap();
    println!(
        "bundled carrier data: {} octets of XML, {} MMS APNs",
        DATA.len(),
        db.len()
    );
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("carriers");
    g.bench_function("parse the bundled data", |b| {
        b.iter(|| CarrierDb::parse(black_box(DATA)).unwrap())
    });
    g.bench_function("suggest for 310260 (indexed)", |b| {
        b.iter(|| db.suggest(black_box("310260"), None).map(|e| e.mmsc.len()))
    });
    g.bench_function("lookup 26201 (indexed)", |b| {
        b.iter(|| db.lookup(black_box("26201")).len())
    });
    g.bench_function("baseline: linear scan of every entry for 310260", |b| {
        b.iter(|| {
            db.search(black_box("us"))
                .into_iter()
                .filter(|e| e.networks.iter().any(|(c, n)| c == "310" && n == "260"))
                .count()
        })
    });
    g.finish();
    c.final_summary();
}
