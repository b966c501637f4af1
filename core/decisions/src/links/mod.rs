//! User-confirmation gating for chargeable URIs (LINK-1 .. LINK-4).
//!
//! Links in MMS text, XHTML and SMIL can place calls, send SMS/MMS or e-mail, and open the
//! address book: each a chargeable or privacy-relevant action that content must never
//! trigger on its own. [`extract`] finds them, [`classify`] says exactly what each would do
//! (or why it is blocked), and the [`LinkGate`] releases an action only against a one-shot,
//! expiring token bound to the message and URI it was issued for.

pub mod classify;
pub mod extract;
pub mod gate;
pub mod phone;

pub use classify::{BlockReason, Blocked, CostRisk, LinkAction, classify, classify_in};
pub use extract::{FoundLink, LinkOrigin, extract_from_pdu, extract_markup, extract_text};
pub use gate::{ConfirmError, LinkDecision, LinkGate, LinkSource, PendingAction, ReleasedAction};
pub use phone::PhoneNumber;
