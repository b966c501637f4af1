//! Carrier settings from real carrier data: the MMSC, MMS proxy and APN of a mobile network,
//! looked up by the SIM's MCC-MNC. The data is GNOME's `mobile-broadband-provider-info`
//! (public domain), every GSM provider with an MMS APN, bundled as a snapshot in its own
//! format (`data/carriers.xml`, refreshed from the Debian package by
//! `scripts/refresh_carriers.py`) and parsed once, on first use, with the same bounded XML
//! parser every other input goes through ([`mms_codec::xml`]).
//!
//! A network may have several candidates (its operator and the virtual operators on it, or
//! several plans). [`CarrierDb::suggest`] chooses one by a written rule: the provider whose
//! name matches the SIM's service provider name (SPN) when the caller has it; else the
//! provider that lists the most network ids (the network's own operator lists all of its
//! codes, a virtual operator usually one); then an APN meant for MMS before one that only
//! carries an MMSC, postpaid before prepaid, and data order. [`CarrierDb::lookup`] gives all of
//! them.

use mms_codec::secret::Secret;
use mms_codec::xml::XmlError;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The bundled snapshot.
const BUNDLED: &str = include_str!("../data/carriers.xml");

/// The MMS settings of one APN of one provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarrierEntry {
    /// ISO 3166-1 alpha-2 country code, lowercase as in the data (`us`, `gb`).
    pub country: String,
    /// The provider's name (`T-Mobile`, `Vodafone`).
    pub provider: String,
    /// The networks it serves as (MCC, MNC) pairs, MNC as written (`"03"`, `"260"`).
    pub networks: Vec<(String, String)>,
    /// The APN (access point name) MMS goes over.
    pub apn: String,
    /// The APN's display name.
    pub name: Option<String>,
    /// The MMSC URL.
    pub mmsc: String,
    /// The MMS proxy as `host:port`, when there is one.
    pub mms_proxy: Option<String>,
    /// The APN user name.
    pub username: Option<String>,
    /// The APN password (redacted wherever it is shown).
    pub password: Option<Secret>,
    /// `postpaid` or `prepaid`, when the data says.
    pub plan: Option<String>,
    /// The APN is meant for MMS (`usage type="mms"`); otherwise it is a data APN that carries
    /// an MMSC too.
    pub mms_usage: bool,
}

/// The carrier data, indexed by network.
#[derive(Debug, Clone, Default)]
pub struct CarrierDb {
    entries: Vec<CarrierEntry>,
    by_network: HashMap<(String, String), Vec<usize>>,
}

/// Splits `310260`, `310-260` or `310 26` into (MCC, MNC).
fn split_mcc_mnc(mcc_mnc: &str) -> Option<(String, String)> {
    let digits: String = mcc_mnc.chars().filter(char::is_ascii_digit).collect();
    if !(5..=6).contains(&digits.len())
        || digits.len() != mcc_mnc.trim().len() - separators(mcc_mnc)
    {
        return None;
    }
    Some((digits.get(..3)?.to_string(), digits.get(3..)?.to_string()))
}

fn separators(s: &str) -> usize {
    s.trim()
        .chars()
        .filter(|c| matches!(c, '-' | ' ' | '/'))
        .count()
}

impl CarrierDb {
    /// The bundled snapshot, parsed on first use.
    pub fn bundled() -> &'static CarrierDb {
        static DB: OnceLock<CarrierDb> = OnceLock::new();
        DB.get_or_init(|| CarrierDb::parse(BUNDLED).unwrap_or_default())
    }

    /// Parses carrier data in the `mobile-broadband-provider-info` format (the bounded XML
    /// parser's limits apply: it is read as any other markup).
    pub fn parse(xml: &str) -> Result<CarrierDb, XmlError> {
        let doc = mms_codec::xml::parse(xml, &mms_codec::xml::XmlLimits::default())?;
        let mut db = CarrierDb::default();
        let text = |n: roxmltree::Node<'_, '_>, tag: &str| {
            n.children()
                .find(|c| c.has_tag_name(tag))
                .and_then(|c| c.text())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        for country in doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("country"))
        {
            let code = country.attribute("code").unwrap_or("").to_string();
            for provider in country.children().filter(|n| n.has_tag_name("provider")) {
                let name = text(provider, "name").unwrap_or_default();
                for gsm in provider.children().filter(|n| n.has_tag_name("gsm")) {
                    let networks: Vec<(String, String)> = gsm
                        .children()
                        .filter(|n| n.has_tag_name("network-id"))
                        .filter_map(|n| {
                            Some((
                                n.attribute("mcc")?.to_string(),
                                n.attribute("mnc")?.to_string(),
                            ))
                        })
                        .collect();
                    for apn in gsm.children().filter(|n| n.has_tag_name("apn")) {
                        let Some(mmsc) = text(apn, "mmsc") else {
                            continue;
                        };
                        let typed = |tag: &str| {
                            apn.children()
                                .find(|c| c.has_tag_name(tag))
                                .and_then(|c| c.attribute("type"))
                                .map(str::to_string)
                        };
                        let entry = CarrierEntry {
                            country: code.clone(),
                            provider: name.clone(),
                            networks: networks.clone(),
                            apn: apn.attribute("value").unwrap_or("").to_string(),
                            name: text(apn, "name"),
                            mmsc,
                            mms_proxy: text(apn, "mmsproxy"),
                            username: text(apn, "username"),
                            password: text(apn, "password").map(Secret::new),
                            plan: typed("plan"),
                            mms_usage: typed("usage").as_deref() == Some("mms"),
                        };
                        let i = db.entries.len();
                        for n in &entry.networks {
                            db.by_network.entry(n.clone()).or_default().push(i);
                        }
                        db.entries.push(entry);
                    }
                }
            }
        }
        Ok(db)
    }

    /// Every entry for a network (`310260`, `310-260`), in data order; empty for a network
    /// the data does not know or a code that is not an MCC-MNC.
    pub fn lookup(&self, mcc_mnc: &str) -> Vec<&CarrierEntry> {
        let Some(key) = split_mcc_mnc(mcc_mnc) else {
            return Vec::new();
        };
        self.by_network
            .get(&key)
            .map(|v| v.iter().filter_map(|i| self.entries.get(*i)).collect())
            .unwrap_or_default()
    }

    /// The entry to suggest for a SIM (see the module docs for the rule), `spn` being its
    /// service provider name when known.
    pub fn suggest(&self, mcc_mnc: &str, spn: Option<&str>) -> Option<&CarrierEntry> {
        let all = self.lookup(mcc_mnc);
        let spn = spn
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        let named = |e: &CarrierEntry| {
            spn.as_ref().is_some_and(|s| {
                let p = e.provider.to_lowercase();
                p.contains(s.as_str()) || s.contains(p.as_str())
            })
        };
        all.iter()
            .enumerate()
            .max_by_key(|(i, e)| {
                (
                    named(e),
                    e.networks.len(),
                    e.mms_usage,
                    e.plan.as_deref() != Some("prepaid"),
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(_, e)| *e)
    }

    /// Entries whose provider or APN name contains `text` (case-insensitive), or whose
    /// country code is `text`.
    pub fn search(&self, text: &str) -> Vec<&CarrierEntry> {
        let t = text.trim().to_lowercase();
        if t.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .filter(|e| {
                e.provider.to_lowercase().contains(&t)
                    || e.name
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(&t))
                    || e.country == t
            })
            .collect()
    }

    /// How many entries (MMS APNs) the data holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the data holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The host of the MMSC to expect a network's notifications from (PUSH-1 when no MMSC is
    /// configured): the suggested entry's.
    pub fn expected_mmsc_host(&self, mcc_mnc: &str, spn: Option<&str>) -> Option<String> {
        let e = self.suggest(mcc_mnc, spn)?;
        url::Url::parse(&e.mmsc)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
    }
}
