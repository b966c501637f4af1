//! The size budget: when a draft is over the carrier's maximum, its still images (JPEG, PNG)
//! are downscaled and re-encoded as JPEG, aspect ratio kept and other parts untouched, step by
//! step until the message fits. Decoding is bounded (dimensions and allocation) so that a
//! hostile image from elsewhere cannot exhaust the phone.

use super::draft::DraftPart;

/// Largest width or height decoded.
const MAX_DECODE_DIM: u32 = 10_000;
/// Most bytes the decoder may allocate for one image.
const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// The scale steps tried, each with a JPEG quality.
const STEPS: &[(f32, u8)] = &[
    (1.0, 85),
    (0.75, 80),
    (0.5, 75),
    (0.35, 70),
    (0.25, 65),
    (0.18, 60),
    (0.12, 55),
];

fn is_still_image(p: &DraftPart) -> bool {
    matches!(
        p.content_type.to_ascii_lowercase().as_str(),
        "image/jpeg" | "image/jpg" | "image/png"
    )
}

/// Decodes a still image within the bounds; `None` when it is not one we can shrink.
fn decode(data: &[u8]) -> Option<image::DynamicImage> {
    let mut r = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_DIM);
    limits.max_image_height = Some(MAX_DECODE_DIM);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    r.limits(limits);
    r.decode().ok()
}

/// One image at a scale (capped by the carrier's largest dimensions), as JPEG.
fn reencode(
    img: &image::DynamicImage,
    scale: f32,
    quality: u8,
    max_w: u32,
    max_h: u32,
) -> Option<Vec<u8>> {
    let (w, h) = (img.width().max(1), img.height().max(1));
    let fit = (max_w.max(1) as f32 / w as f32)
        .min(max_h.max(1) as f32 / h as f32)
        .min(1.0);
    let s = (scale * fit).min(1.0);
    let tw = ((w as f32 * s).round() as u32).max(1);
    let th = ((h as f32 * s).round() as u32).max(1);
    let resized = if (tw, th) == (w, h) {
        img.to_rgb8()
    } else {
        img.resize_exact(tw, th, image::imageops::FilterType::Triangle)
            .to_rgb8()
    };
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    resized.write_with_encoder(enc).ok()?;
    Some(out)
}

/// Shrinks the still images of `parts` step by step until `fits` says the message fits;
/// returns the new parts, or `None` when even the smallest step does not fit (or there is no
/// image to shrink).
pub(crate) fn shrink_to_fit(
    parts: &[DraftPart],
    max_w: u32,
    max_h: u32,
    mut fits: impl FnMut(&[DraftPart]) -> bool,
) -> Option<Vec<DraftPart>> {
    let decoded: Vec<Option<image::DynamicImage>> = parts
        .iter()
        .map(|p| {
            if is_still_image(p) {
                decode(&p.data)
            } else {
                None
            }
        })
        .collect();
    if decoded.iter().all(Option::is_none) {
        return None;
    }
    for &(scale, quality) in STEPS {
        let mut out = Vec::with_capacity(parts.len());
        for (p, img) in parts.iter().zip(&decoded) {
            match img
                .as_ref()
                .and_then(|i| reencode(i, scale, quality, max_w, max_h))
            {
                // Keep the original when re-encoding would not make it smaller.
                Some(data) if data.len() < p.data.len() => out.push(DraftPart {
                    content_type: "image/jpeg".into(),
                    name: p.name.clone(),
                    data,
                }),
                _ => out.push(p.clone()),
            }
        }
        if fits(&out) {
            tracing::info!(scale, quality, "images shrunk to fit the carrier maximum");
            return Some(out);
        }
    }
    None
}
