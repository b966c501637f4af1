//! Carrier settings from the bundled `mobile-broadband-provider-info` snapshot: real entries
//! from several countries, networks with several candidates and the choice rule, networks the
//! data does not know, and the expected MMSC host for PUSH-1.

use mms_decisions::carriers::CarrierDb;

#[test]
fn the_bundled_data_is_parsed_whole() {
    let db = CarrierDb::bundled();
    assert!(db.len() >= 300, "{} MMS APNs", db.len());
}

#[test]
fn real_entries_from_several_countries() {
    let db = CarrierDb::bundled();
    let asda = db.suggest("234-15", Some("ASDA")).unwrap();
    assert_eq!(asda.provider, "Asda Mobile");
    assert_eq!(asda.mmsc, "http://mms.asdamobiles.co.uk/servlets/mms");
    assert_eq!(asda.mms_proxy.as_deref(), Some("212.183.137.12:8799"));
    assert_eq!(asda.apn, "asdamobiles.co.uk");
    assert_eq!(asda.country, "gb");
    let telekom = db.suggest("26201", None).unwrap();
    assert_eq!(telekom.provider, "T-Mobile(Telekom)");
    assert_eq!(telekom.mmsc, "http://mms.t-mobile.de/servlets/mms");
    // The password is a secret: never in Debug output.
    assert!(telekom.password.is_some());
    assert!(!format!("{telekom:?}").contains("\"tm\""), "{telekom:?}");
}

/// A network with its operator and virtual operators on it: all of them are there; without
/// an SPN the operator (the provider listing the most network ids) is suggested, with one the
/// provider it names.
#[test]
fn a_network_with_several_candidates_and_the_choice_rule() {
    let db = CarrierDb::bundled();
    let all = db.lookup("310260");
    let names: Vec<&str> = all.iter().map(|e| e.provider.as_str()).collect();
    assert!(names.contains(&"T-Mobile"), "{names:?}");
    assert!(names.len() > 2, "{names:?}");
    assert_eq!(db.suggest("310260", None).unwrap().provider, "T-Mobile");
    let mint = db.suggest("310260", Some("Mint Mobile")).unwrap();
    assert_eq!(mint.provider, "Mint Mobile");
    // Heyah on 260 02 has a prepaid and a postpaid MMS APN: postpaid comes first, unless the
    // operator of the network is preferred (T-Mobile lists the same network).
    let heyah: Vec<_> = db
        .lookup("260 02")
        .into_iter()
        .filter(|e| e.provider == "Heyah")
        .collect();
    assert_eq!(heyah.len(), 2);
    assert_eq!(
        db.suggest("26002", Some("Heyah")).unwrap().plan.as_deref(),
        Some("postpaid")
    );
}

#[test]
fn unknown_networks_and_malformed_codes_have_nothing() {
    let db = CarrierDb::bundled();
    assert!(db.lookup("00101").is_empty());
    assert!(db.suggest("99999", None).is_none());
    for bad in ["", "31", "3102600", "abcde", "310-2x0"] {
        assert!(db.lookup(bad).is_empty(), "{bad:?}");
    }
}

/// PUSH-1: with no MMSC configured, the host a notification's Content-Location must be on is
/// the network's MMSC from the data.
#[test]
fn push_1_the_expected_mmsc_host_comes_from_the_data() {
    let db = CarrierDb::bundled();
    assert_eq!(
        db.expected_mmsc_host("310260", None).as_deref(),
        Some("mms.msg.eng.t-mobile.com")
    );
    assert_eq!(db.expected_mmsc_host("00101", None), None);
}

#[test]
fn search_by_name_or_country() {
    let db = CarrierDb::bundled();
    assert!(db.search("vodafone").len() > 3);
    assert!(db.search("de").iter().any(|e| e.country == "de"));
    assert!(db.search("").is_empty());
}

/// The data goes through the bounded XML parser like any input: markup over its bounds is
/// refused, not parsed.
#[test]
fn carrier_data_is_parsed_under_the_markup_bounds() {
    let mut storm = String::from("<serviceproviders><country code=\"xx\"><provider");
    for i in 0..200 {
        storm.push_str(&format!(" a{i}=\"1\""));
    }
    storm.push_str("/></country></serviceproviders>");
    assert!(CarrierDb::parse(&storm).is_err());
    let tiny = r#"<serviceproviders><country code="zz"><provider><name>Test</name><gsm>
        <network-id mcc="001" mnc="01"/><apn value="mms"><usage type="mms"/>
        <mmsc>http://mmsc.test/</mmsc></apn></gsm></provider></country></serviceproviders>"#;
    let db = CarrierDb::parse(tiny).unwrap();
    assert_eq!(db.suggest("00101", None).unwrap().mmsc, "http://mmsc.test/");
}
