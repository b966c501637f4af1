//! The [`RenderPlan`]: what a UI may show, in which region, for how long, and what needs a tap
//! or is blocked. It is plain data, safe to follow blindly: every duration is clamped
//! (CONTENT-4), only parts of the same message are referenced (CONTENT-5), every region lies
//! inside the root layout (CONTENT-7), every slide can be skipped and the whole presentation
//! cancelled, and the total auto-play time is bounded.

use super::policy::{MediaPolicy, PartDecision, PartReason, judge};
use super::smil::{self, Length, SmilDoc};
use super::sniff::sniff;
use crate::audit::{AuditArea, AuditEvent, AuditOutcome};
use crate::links::extract::flat_parts;
use mms_codec::pdu::{Charset, Part, Pdu};
use percent_encoding::percent_decode_str;
use serde::Serialize;

/// Longest a slide may last.
pub const MAX_SLIDE_MS: u64 = 30_000;
/// Shortest a slide may last.
pub const MIN_SLIDE_MS: u64 = 500;
/// Slide duration when none is given.
pub const DEFAULT_SLIDE_MS: u64 = 5_000;
/// Most repetitions of anything.
pub const MAX_REPEAT: u32 = 3;
/// Most slides in a plan.
pub const MAX_SLIDES: usize = 100;
/// Longest total automatic presentation.
pub const MAX_TOTAL_MS: u64 = 300_000;
/// Root layout used when the SMIL gives none (or an absurd one).
pub const DEFAULT_ROOT: (u32, u32) = (320, 480);

/// One part of the message and what may be done with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartPlan {
    /// Index in document order (nested parts flattened).
    pub index: usize,
    /// Content-ID without `<>`.
    pub content_id: Option<String>,
    /// File name.
    pub name: Option<String>,
    /// Declared media type.
    pub declared_type: String,
    /// What the bytes are.
    pub sniffed_type: String,
    /// The type the decision was made for.
    pub effective_type: String,
    /// Size in octets.
    pub size: u64,
    /// Pixel dimensions, when the header states them.
    pub dimensions: Option<(u32, u32)>,
    /// The decision.
    pub decision: PartDecision,
    /// Why.
    pub reasons: Vec<PartReason>,
}

/// A rectangle in root-layout pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub left: u32,
    /// Top edge.
    pub top: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// A part shown on a slide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlideItem {
    /// The part (index into [`RenderPlan::parts`]).
    pub part: usize,
    /// Where to show it (`None` for audio or when no region applies: the UI lays it out).
    pub region: Option<Rect>,
    /// Offset into the slide, clamped.
    pub begin_ms: u64,
    /// How long it shows, clamped to the slide.
    pub duration_ms: u64,
    /// The part's decision, repeated for convenience.
    pub decision: PartDecision,
}

/// One slide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slide {
    /// Position in the presentation.
    pub index: usize,
    /// Clamped duration.
    pub duration_ms: u64,
    /// The parts on it.
    pub items: Vec<SlideItem>,
}

/// A value the plan changed to keep the presentation sane (CONTENT-4, CONTENT-7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adjustment {
    /// Slide index, if any.
    pub slide: Option<usize>,
    /// What was adjusted (`dur`, `begin`, `repeatCount`, `region`, `slides`, `total`).
    pub what: String,
    /// The value asked for, as written or resolved.
    pub requested: String,
    /// The value applied.
    pub applied: String,
}

/// A SMIL reference that the plan dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedRef {
    /// The `src` as written.
    pub src: String,
    /// `remote` (CONTENT-5) or `missing`.
    pub reason: String,
}

/// The presentation plan of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderPlan {
    /// Root layout size in pixels (the content area the UI gives the message).
    pub root: (u32, u32),
    /// Slides in order.
    pub slides: Vec<Slide>,
    /// Every part of the message with its decision.
    pub parts: Vec<PartPlan>,
    /// Parts no slide shows (attachments): listed so nothing is hidden.
    pub unreferenced: Vec<usize>,
    /// True when the plan follows the message's SMIL.
    pub from_smil: bool,
    /// Why the SMIL was not used, when it was not.
    pub smil_fallback: Option<String>,
    /// What was clamped or clipped.
    pub adjustments: Vec<Adjustment>,
    /// Dropped references.
    pub dropped: Vec<DroppedRef>,
    /// Sum of slide durations.
    pub total_ms: u64,
    /// Always true: every slide can be skipped.
    pub skippable: bool,
    /// Always true: the presentation can be cancelled.
    pub cancellable: bool,
}

impl RenderPlan {
    /// True when something was blocked, flagged, clamped or dropped: the plan wants an audit row.
    pub fn needs_audit(&self) -> bool {
        !self.audit_events("", 0).is_empty()
    }

    /// Writes the plan's audit rows (if any) to `sink`; returns how many were written.
    pub fn write_audit(
        &self,
        sink: &dyn crate::audit::AuditSink,
        message_id: &str,
        at: u64,
    ) -> usize {
        let rows = self.audit_events(message_id, at);
        let n = rows.len();
        rows.into_iter().for_each(|r| sink.record(r));
        n
    }

    /// The audit rows this plan asks for (one per blocked or flagged part, one per dropped
    /// reference, one for clamped timing).
    pub fn audit_events(&self, message_id: &str, at: u64) -> Vec<AuditEvent> {
        let mut out = Vec::new();
        for p in &self.parts {
            for r in &p.reasons {
                let flagged = matches!(
                    r,
                    PartReason::TypeMismatch { .. }
                        | PartReason::DimensionsTooLarge { .. }
                        | PartReason::TooLarge { .. }
                );
                if p.decision == PartDecision::Blocked || flagged {
                    out.push(AuditEvent {
                        at,
                        area: AuditArea::Content,
                        outcome: if p.decision == PartDecision::Blocked {
                            AuditOutcome::Rejected
                        } else {
                            AuditOutcome::Flagged
                        },
                        reason: r.code().to_string(),
                        threat: r.threat().map(str::to_string),
                        subject: message_id.to_string(),
                        detail: format!(
                            "part {} ({}; bytes are {})",
                            p.index, p.declared_type, p.sniffed_type
                        ),
                    });
                }
            }
        }
        for d in &self.dropped {
            out.push(AuditEvent {
                at,
                area: AuditArea::Content,
                outcome: AuditOutcome::Rejected,
                reason: if d.reason == "remote" {
                    "remote_reference".into()
                } else {
                    "missing_reference".into()
                },
                threat: (d.reason == "remote").then(|| "CONTENT-5".to_string()),
                subject: message_id.to_string(),
                detail: d.src.chars().take(200).collect(),
            });
        }
        if !self.adjustments.is_empty() {
            out.push(AuditEvent {
                at,
                area: AuditArea::Content,
                outcome: AuditOutcome::Flagged,
                reason: "presentation_clamped".into(),
                threat: Some(
                    if self.adjustments.iter().all(|a| a.what == "region") {
                        "CONTENT-7"
                    } else {
                        "CONTENT-4"
                    }
                    .into(),
                ),
                subject: message_id.to_string(),
                detail: format!("{} values adjusted", self.adjustments.len()),
            });
        }
        out
    }
}

fn part_plan(index: usize, p: &Part<'_>, policy: &MediaPolicy) -> PartPlan {
    let data = p.decoded_data();
    let s = sniff(&data);
    let declared = p.content_type.media.display_name();
    let (decision, reasons, effective) = judge(&declared, data.len() as u64, &s, policy);
    PartPlan {
        index,
        content_id: p.content_id().map(|c| c.into_owned()),
        name: p.name().map(|c| c.into_owned()),
        declared_type: declared,
        sniffed_type: s.media.to_string(),
        effective_type: effective,
        size: data.len() as u64,
        dimensions: s.dimensions,
        decision,
        reasons,
    }
}

fn is_remote(src: &str) -> bool {
    let lower = src.trim().to_ascii_lowercase();
    if lower.starts_with("cid:") {
        return false;
    }
    // Any scheme other than cid (http, https, rtsp, mms, ftp, file, data...) or a
    // network-path reference leaves the message.
    lower.starts_with("//")
        || lower.split_once(':').is_some_and(|(s, _)| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

fn resolve(src: &str, parts: &[&Part<'_>]) -> Option<usize> {
    let s = src.trim();
    if let Some(cid) = s
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("cid:"))
        .and(s.get(4..))
    {
        let cid = percent_decode_str(cid).decode_utf8_lossy();
        let cid = cid.trim_start_matches('<').trim_end_matches('>');
        return parts
            .iter()
            .position(|p| p.content_id().as_deref() == Some(cid));
    }
    let decoded = percent_decode_str(s).decode_utf8_lossy();
    let want = decoded.trim_start_matches("./");
    parts
        .iter()
        .position(|p| p.content_location().as_deref() == Some(want))
        .or_else(|| parts.iter().position(|p| p.name().as_deref() == Some(want)))
        .or_else(|| {
            parts
                .iter()
                .position(|p| p.content_id().as_deref() == Some(want))
        })
        .or_else(|| {
            parts.iter().position(|p| {
                p.content_location()
                    .is_some_and(|c| c.eq_ignore_ascii_case(want))
                    || p.name().is_some_and(|c| c.eq_ignore_ascii_case(want))
            })
        })
}

fn clamp_slide(requested: Option<u64>, slide: usize, adj: &mut Vec<Adjustment>) -> u64 {
    let want = requested.unwrap_or(DEFAULT_SLIDE_MS);
    let applied = want.clamp(MIN_SLIDE_MS, MAX_SLIDE_MS);
    if applied != want {
        adj.push(Adjustment {
            slide: Some(slide),
            what: "dur".into(),
            requested: ms_text(want),
            applied: ms_text(applied),
        });
    }
    applied
}

fn ms_text(v: u64) -> String {
    if v == u64::MAX {
        "indefinite".into()
    } else {
        format!("{v}ms")
    }
}

fn region_rect(
    doc: &SmilDoc,
    id: &str,
    root: (u32, u32),
    slide: usize,
    adj: &mut Vec<Adjustment>,
) -> Option<Rect> {
    let r = doc.regions.iter().find(|r| r.id == id)?;
    let (rw, rh) = (f64::from(root.0), f64::from(root.1));
    let left = r.left.map(|l| l.resolve(rw)).unwrap_or(0.0);
    let top = r.top.map(|l| l.resolve(rh)).unwrap_or(0.0);
    let width = r.width.map(|l| l.resolve(rw)).unwrap_or(rw - left);
    let height = r.height.map(|l| l.resolve(rh)).unwrap_or(rh - top);
    // Clip into the root layout (CONTENT-7): content never leaves its area.
    let cl = left.clamp(0.0, rw);
    let ct = top.clamp(0.0, rh);
    let cw = width.max(0.0).min(rw - cl);
    let ch = height.max(0.0).min(rh - ct);
    let rect = Rect {
        left: cl as u32,
        top: ct as u32,
        width: cw as u32,
        height: ch as u32,
    };
    let moved = |a: f64, b: f64| (a - b).abs() > 0.5;
    if moved(cl, left) || moved(ct, top) || moved(cw, width) || moved(ch, height) {
        adj.push(Adjustment {
            slide: Some(slide),
            what: "region".into(),
            requested: format!("{id}: {left},{top} {width}x{height}"),
            applied: format!("{},{} {}x{}", rect.left, rect.top, rect.width, rect.height),
        });
    }
    Some(rect)
}

fn root_size(doc: &SmilDoc, adj: &mut Vec<Adjustment>) -> (u32, u32) {
    let px = |l: Option<Length>, d: u32| match l {
        Some(Length::Px(v)) if (16.0..=4096.0).contains(&v) => v as u32,
        _ => d,
    };
    let w = px(doc.root_width, DEFAULT_ROOT.0);
    let h = px(doc.root_height, DEFAULT_ROOT.1);
    if let (Some(Length::Px(a)), Some(Length::Px(b))) = (doc.root_width, doc.root_height) {
        if (a as u32, b as u32) != (w, h) {
            adj.push(Adjustment {
                slide: None,
                what: "root-layout".into(),
                requested: format!("{a}x{b}"),
                applied: format!("{w}x{h}"),
            });
        }
    }
    (w, h)
}

/// Builds the render plan of a message: every part judged by the policy, slides from the SMIL
/// (or a plain sequential plan when the SMIL is missing or malformed).
pub fn plan_message(pdu: &Pdu<'_>, policy: &MediaPolicy) -> RenderPlan {
    let parts = flat_parts(pdu);
    let plans: Vec<PartPlan> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| part_plan(i, p, policy))
        .collect();
    let smil_index = pdu
        .root_part()
        .filter(|p| p.content_type.media.is("application/smil"))
        .and_then(|root| parts.iter().position(|p| std::ptr::eq(*p, root)))
        .or_else(|| {
            parts
                .iter()
                .position(|p| p.content_type.media.is("application/smil"))
        });
    let mut adjustments = Vec::new();
    let mut dropped = Vec::new();
    let mut fallback = None;
    let doc = match smil_index {
        None => {
            fallback = Some("no SMIL part".to_string());
            None
        }
        Some(i) => {
            let p = parts.get(i).copied();
            let text = p
                .map(|p| {
                    p.content_type
                        .charset()
                        .unwrap_or(Charset::UTF_8)
                        .decode(&p.decoded_data())
                        .into_owned()
                })
                .unwrap_or_default();
            match smil::parse(&text) {
                Ok(d) if !d.pars.is_empty() => Some(d),
                Ok(_) => {
                    fallback = Some("SMIL has no slides".to_string());
                    None
                }
                Err(e) => {
                    fallback = Some(e.to_string());
                    None
                }
            }
        }
    };
    let mut slides = Vec::new();
    let mut root = DEFAULT_ROOT;
    if let Some(doc) = &doc {
        root = root_size(doc, &mut adjustments);
        if doc.truncated {
            adjustments.push(Adjustment {
                slide: None,
                what: "slides".into(),
                requested: format!("more than {}", smil::MAX_PARS),
                applied: smil::MAX_PARS.to_string(),
            });
        }
        for (si, par) in doc.pars.iter().enumerate().take(MAX_SLIDES) {
            let mut items = Vec::new();
            let mut longest: Option<u64> = None;
            for it in &par.items {
                if it.src.is_empty() {
                    continue;
                }
                if is_remote(&it.src) {
                    dropped.push(DroppedRef {
                        src: it.src.clone(),
                        reason: "remote".into(),
                    });
                    continue;
                }
                let Some(pi) = resolve(&it.src, &parts) else {
                    dropped.push(DroppedRef {
                        src: it.src.clone(),
                        reason: "missing".into(),
                    });
                    continue;
                };
                if Some(pi) == smil_index {
                    continue;
                }
                let begin = it.begin.unwrap_or(0);
                let mut dur = it.dur.or_else(|| it.end.map(|e| e.saturating_sub(begin)));
                if let Some(rc) = it.repeat_count {
                    if rc > f64::from(MAX_REPEAT) {
                        adjustments.push(Adjustment {
                            slide: Some(si),
                            what: "repeatCount".into(),
                            requested: if rc.is_infinite() {
                                "indefinite".into()
                            } else {
                                rc.to_string()
                            },
                            applied: MAX_REPEAT.to_string(),
                        });
                    }
                    let reps = rc.min(f64::from(MAX_REPEAT));
                    dur = dur.map(|d| (d as f64 * reps) as u64);
                }
                if let Some(rd) = it.repeat_dur {
                    if rd > MAX_SLIDE_MS {
                        adjustments.push(Adjustment {
                            slide: Some(si),
                            what: "repeatDur".into(),
                            requested: ms_text(rd),
                            applied: ms_text(MAX_SLIDE_MS),
                        });
                    }
                    dur = Some(rd.min(MAX_SLIDE_MS));
                }
                if let Some(d) = dur {
                    let end = begin.saturating_add(d);
                    longest = Some(longest.map_or(end, |l| l.max(end)));
                }
                let region = it
                    .region
                    .as_deref()
                    .and_then(|r| region_rect(doc, r, root, si, &mut adjustments));
                items.push((pi, region, begin, dur));
            }
            let duration = clamp_slide(par.dur.or(longest), si, &mut adjustments);
            let items = items
                .into_iter()
                .map(|(pi, region, begin, dur)| {
                    let b = begin.min(duration);
                    if b != begin {
                        adjustments.push(Adjustment {
                            slide: Some(si),
                            what: "begin".into(),
                            requested: ms_text(begin),
                            applied: ms_text(b),
                        });
                    }
                    SlideItem {
                        part: pi,
                        region,
                        begin_ms: b,
                        duration_ms: dur.unwrap_or(duration).min(duration.saturating_sub(b)),
                        decision: plans
                            .get(pi)
                            .map(|p| p.decision)
                            .unwrap_or(PartDecision::Blocked),
                    }
                })
                .collect();
            slides.push(Slide {
                index: si,
                duration_ms: duration,
                items,
            });
        }
        if doc.pars.len() > MAX_SLIDES {
            adjustments.push(Adjustment {
                slide: None,
                what: "slides".into(),
                requested: doc.pars.len().to_string(),
                applied: MAX_SLIDES.to_string(),
            });
        }
    } else {
        // Plain sequential plan: one slide per part (the SMIL itself excluded).
        for (i, p) in plans.iter().enumerate() {
            if Some(i) == smil_index || slides.len() >= MAX_SLIDES {
                continue;
            }
            let si = slides.len();
            slides.push(Slide {
                index: si,
                duration_ms: DEFAULT_SLIDE_MS,
                items: vec![SlideItem {
                    part: i,
                    region: None,
                    begin_ms: 0,
                    duration_ms: DEFAULT_SLIDE_MS,
                    decision: p.decision,
                }],
            });
        }
    }
    // Bound the total automatic presentation time.
    let mut total: u64 = 0;
    let mut cut = None;
    for (i, s) in slides.iter().enumerate() {
        if total.saturating_add(s.duration_ms) > MAX_TOTAL_MS {
            cut = Some(i);
            break;
        }
        total = total.saturating_add(s.duration_ms);
    }
    if let Some(i) = cut {
        adjustments.push(Adjustment {
            slide: None,
            what: "total".into(),
            requested: format!("{} slides", slides.len()),
            applied: format!("{i} slides ({total}ms)"),
        });
        slides.truncate(i);
    }
    let shown: std::collections::BTreeSet<usize> = slides
        .iter()
        .flat_map(|s| s.items.iter().map(|i| i.part))
        .collect();
    let unreferenced = (0..plans.len())
        .filter(|i| !shown.contains(i) && Some(*i) != smil_index)
        .collect();
    RenderPlan {
        root,
        slides,
        parts: plans,
        unreferenced,
        from_smil: doc.is_some(),
        smil_fallback: fallback,
        adjustments,
        dropped,
        total_ms: total,
        skippable: true,
        cancellable: true,
    }
}
