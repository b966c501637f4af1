//! The render plan of a message, typed for a UI: what each slide shows, for how long, and what
//! each part may do. Copied from the core's plan; nothing is decided here.

/// How a part may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum PartDecision {
    /// Rendered in place, inside its region.
    Auto,
    /// An attachment the user opens when they ask.
    TapToOpen,
    /// Never opened; the UI says it was blocked.
    Blocked,
}

impl From<mms_core::content::PartDecision> for PartDecision {
    fn from(d: mms_core::content::PartDecision) -> Self {
        match d {
            mms_core::content::PartDecision::Auto => Self::Auto,
            mms_core::content::PartDecision::TapToOpen => Self::TapToOpen,
            mms_core::content::PartDecision::Blocked => Self::Blocked,
        }
    }
}

/// The render plan of a received message, typed for a UI: what to show on each slide, for how
/// long, and what each part may do.
#[derive(Debug, Clone, uniffi::Record)]
pub struct RenderPlanView {
    /// Slides in order.
    pub slides: Vec<SlideView>,
    /// Every part with its decision.
    pub parts: Vec<PartView>,
    /// Whole presentation length in milliseconds (clamped, CONTENT-4).
    pub total_ms: u64,
    /// Whether the layout came from the message's SMIL (otherwise a plain sequence).
    pub from_smil: bool,
    /// Remote references dropped from the presentation (CONTENT-5).
    pub dropped_references: u32,
}

/// One slide.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SlideView {
    /// How long it shows, in milliseconds (the user may skip it).
    pub duration_ms: u64,
    /// What it shows.
    pub items: Vec<SlideItemView>,
}

/// One part on a slide.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SlideItemView {
    /// Index into `RenderPlanView.parts` (and into the message's parts).
    pub part: u32,
    /// Start within the slide, in milliseconds.
    pub begin_ms: u64,
    /// How long it shows, in milliseconds.
    pub duration_ms: u64,
    /// What it may do.
    pub decision: PartDecision,
}

/// One part of the message as the plan judged it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PartView {
    /// Index among the message's parts.
    pub index: u32,
    /// File name, if any.
    pub name: Option<String>,
    /// The type the UI should treat it as.
    pub content_type: String,
    /// The type the sender declared.
    pub declared_type: String,
    /// What the bytes are.
    pub sniffed_type: String,
    /// Size in octets.
    pub size: u64,
    /// What it may do.
    pub decision: PartDecision,
    /// Why, as reason codes (`allow_listed`, `type_mismatch`...).
    pub reasons: Vec<String>,
}

impl From<mms_core::content::RenderPlan> for RenderPlanView {
    fn from(p: mms_core::content::RenderPlan) -> Self {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        RenderPlanView {
            slides: p
                .slides
                .iter()
                .map(|s| SlideView {
                    duration_ms: s.duration_ms,
                    items: s
                        .items
                        .iter()
                        .map(|i| SlideItemView {
                            part: small(i.part),
                            begin_ms: i.begin_ms,
                            duration_ms: i.duration_ms,
                            decision: i.decision.into(),
                        })
                        .collect(),
                })
                .collect(),
            parts: p
                .parts
                .iter()
                .map(|part| PartView {
                    index: small(part.index),
                    name: part.name.clone(),
                    content_type: part.effective_type.clone(),
                    declared_type: part.declared_type.clone(),
                    sniffed_type: part.sniffed_type.clone(),
                    size: part.size,
                    decision: part.decision.into(),
                    reasons: part.reasons.iter().map(|r| r.code().to_string()).collect(),
                })
                .collect(),
            total_ms: p.total_ms,
            from_smil: p.from_smil,
            dropped_references: small(p.dropped.len()),
        }
    }
}
