//! `mms carrier`: the MMS settings of a mobile network from the bundled carrier data
//! (GNOME's mobile-broadband-provider-info), by MCC-MNC or by name.

use crate::failure::{Exit, Failure};
use mms_core::carriers::{CarrierDb, CarrierEntry};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  mms carrier 310260
  mms carrier 310-260 --spn \"Mint Mobile\"
  mms carrier --search vodafone --json

The first entry printed for an MCC-MNC is the one a client is configured with
(CarrierProfile::for_sim); the others are the network's other candidates. Exit code 1 when
the data has nothing for the network or the search.")]
pub(crate) struct CarrierArgs {
    /// The SIM's network, MCC-MNC (`310260`, `310-260`).
    #[arg(required_unless_present = "search")]
    pub(crate) mcc_mnc: Option<String>,
    /// The SIM's service provider name, to choose among a network's candidates.
    #[arg(long)]
    pub(crate) spn: Option<String>,
    /// Search providers and APN names (or a country code) instead.
    #[arg(long, conflicts_with = "mcc_mnc")]
    pub(crate) search: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// One entry as shown (the APN password stays out of every output).
#[derive(serde::Serialize)]
struct Shown<'a> {
    suggested: bool,
    country: &'a str,
    provider: &'a str,
    networks: Vec<String>,
    apn: &'a str,
    name: Option<&'a str>,
    mmsc: &'a str,
    mms_proxy: Option<&'a str>,
    username: Option<&'a str>,
    has_password: bool,
    plan: Option<&'a str>,
    mms_usage: bool,
}

fn shown(e: &CarrierEntry, suggested: bool) -> Shown<'_> {
    Shown {
        suggested,
        country: &e.country,
        provider: &e.provider,
        networks: e.networks.iter().map(|(c, n)| format!("{c}-{n}")).collect(),
        apn: &e.apn,
        name: e.name.as_deref(),
        mmsc: &e.mmsc,
        mms_proxy: e.mms_proxy.as_deref(),
        username: e.username.as_deref(),
        has_password: e.password.is_some(),
        plan: e.plan.as_deref(),
        mms_usage: e.mms_usage,
    }
}

pub(crate) fn carrier_cmd(a: &CarrierArgs) -> Result<(), Failure> {
    let db = CarrierDb::bundled();
    let (entries, suggested) = match (&a.search, &a.mcc_mnc) {
        (Some(q), _) => (db.search(q), None),
        (None, Some(m)) => {
            let s = db.suggest(m, a.spn.as_deref());
            let mut all = db.lookup(m);
            // The suggestion first.
            if let Some(s) = s {
                all.retain(|e| !std::ptr::eq(*e, s));
                all.insert(0, s);
            }
            (all, s)
        }
        (None, None) => (Vec::new(), None),
    };
    let rows: Vec<Shown<'_>> = entries
        .iter()
        .map(|e| shown(e, suggested.is_some_and(|s| std::ptr::eq(s, *e))))
        .collect();
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&rows)
                .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        for r in &rows {
            outln!(
                "{}{} ({}) networks {}",
                if r.suggested { "* " } else { "  " },
                r.provider,
                r.country,
                r.networks.join(", ")
            );
            outln!("    MMSC  {}", r.mmsc);
            outln!("    proxy {}", r.mms_proxy.unwrap_or("none"));
            outln!(
                "    APN   {}{}{}",
                r.apn,
                r.name.map(|n| format!(" ({n})")).unwrap_or_default(),
                r.plan.map(|p| format!(", {p}")).unwrap_or_default()
            );
        }
    }
    if rows.is_empty() {
        return Err(Failure {
            code: Exit::Rejected,
            message: "the carrier data has nothing for that".into(),
            hint: "give the SIM's MCC-MNC (e.g. 310260) or search by name with --search",
        });
    }
    Ok(())
}
