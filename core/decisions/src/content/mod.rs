//! Content-type safe rendering decisions and SMIL sanity (CONTENT-1 .. CONTENT-7).
//!
//! For every received message the core decides what a UI may render automatically, what needs
//! a tap and what must never be opened, and gives the UI a [`RenderPlan`] that is safe to
//! follow blindly. Decisions are pure functions of the message and the [`MediaPolicy`].

pub mod plan;
pub mod policy;
pub mod smil;
pub mod sniff;

pub use plan::{
    Adjustment, DroppedRef, PartPlan, Rect, RenderPlan, Slide, SlideItem, plan_message,
};
pub use policy::{MediaPolicy, PartDecision, PartReason};
pub use sniff::{Sniffed, sniff};
