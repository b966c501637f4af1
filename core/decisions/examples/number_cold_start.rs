//! The cost of the first phone number a process reads: libphonenumber's metadata is loaded then,
//! and every one of its patterns parsed (the `phonenumber` crate's `Database`). Prints that
//! first reading's time and a second one's, in a fresh process.
//! `cargo run --release -p mms-decisions --example number_cold_start`
use mms_decisions::numbers::NumberPlan;
use std::time::Instant;

fn main() {
    let plan = NumberPlan::new(Some("US"));
    let t = Instant::now();
    let first = plan.key("(555) 123-4567");
    let first_took = t.elapsed();
    let t = Instant::now();
    let second = plan.key("+44 20 7946 0958");
    let second_took = t.elapsed();
    println!("first number read: {first} in {first_took:?}");
    println!("second (another region): {second} in {second_took:?}");
}
