//! Numbers read as libphonenumber reads them, in the subscription's home region (FILTER-1,
//! REPORT-1, LINK-3): numbers of different countries that share their last nine digits are
//! different subscribers; a national form equals its international form only at home;
//! premium-rate numbers and short codes come from each region's numbering data.

use mms_decisions::links::{CostRisk, LinkAction, classify, classify_in};
use mms_decisions::numbers::{Address, NumberPlan};

const UK: &str = "+447700900123";
const FR: &str = "+33700900123";

/// FILTER-1, REPORT-1: before, both were the same subscriber (key `700900123`).
#[test]
fn filter_1_numbers_sharing_their_last_nine_digits_are_different_subscribers() {
    for region in [None, Some("GB"), Some("FR"), Some("US")] {
        let plan = NumberPlan::new(region);
        assert!(!plan.same(UK, FR), "{region:?}");
        assert_ne!(plan.key(UK), plan.key(FR));
        assert_eq!(plan.key(&format!("{UK}/TYPE=PLMN")), UK);
        assert_eq!(plan.key("+44 7700 900123"), UK);
        assert_eq!(plan.key("0044 7700 900123"), UK);
    }
}

#[test]
fn a_national_form_is_its_international_form_only_at_home() {
    let gb = NumberPlan::new(Some("GB"));
    let fr = NumberPlan::new(Some("FR"));
    assert!(gb.same("07700 900123", UK));
    assert!(!gb.same("07700 900123", FR));
    assert!(fr.same("07 00 90 01 23", FR));
    assert!(!fr.same("07 00 90 01 23", UK));
    assert!(NumberPlan::new(Some("US")).same("(202) 555-0143", "+1 202 555 0143"));
    // Without a region a national form is only its digits: equal to itself, to nothing else.
    let none = NumberPlan::default();
    assert!(!none.same("07700900123", UK));
    assert!(none.same("07700900123", "07700-900-123"));
}

#[test]
fn the_home_region_comes_from_the_profile_or_the_own_number() {
    assert_eq!(
        NumberPlan::for_subscription(None, Some(UK))
            .home_region()
            .as_deref(),
        Some("GB")
    );
    assert_eq!(
        NumberPlan::for_subscription(Some("fr"), Some(UK))
            .home_region()
            .as_deref(),
        Some("FR")
    );
    assert_eq!(
        NumberPlan::for_subscription(None, Some("07700900123")).home_region(),
        None
    );
    assert_eq!(NumberPlan::new(Some("XX")).home_region(), None);
}

#[test]
fn addresses_of_every_kind_are_read() {
    let plan = NumberPlan::new(Some("GB"));
    assert_eq!(
        plan.read("Alice@Example.COM"),
        Address::Email("alice@example.com".into())
    );
    assert_eq!(plan.read("999"), Address::Short("999".into()));
    assert_eq!(plan.read("VODAFONE"), Address::Other("vodafone".into()));
    assert_eq!(
        plan.read(&"9".repeat(100)),
        Address::Other("9".repeat(100).to_lowercase())
    );
}

/// LINK-3: premium-rate numbers from libphonenumber's number types, per region, in any form;
/// before, a hand list of 14 countries' prefixes (and `09...` taken as premium everywhere).
#[test]
fn link_3_premium_rate_numbers_come_from_numbering_data() {
    let gb = NumberPlan::new(Some("GB"));
    let us = NumberPlan::new(Some("US"));
    assert!(gb.is_premium("09061234567"));
    assert!(gb.is_premium("+449061234567"));
    assert!(us.is_premium("+19005550100"));
    assert!(us.is_premium("(900) 555-0100"));
    // Countries the hand list never knew: Japan's 0990 and Brazil's 0900 premium services.
    assert!(NumberPlan::new(Some("JP")).is_premium("0990123456"));
    assert!(NumberPlan::default().is_premium("+81990123456"));
    // An ordinary mobile number is not, in any region; nor a national `09` elsewhere (a
    // Dutch or Swiss mobile, for instance, does not start so, but a Philippine one does).
    assert!(!gb.is_premium(UK));
    assert!(!NumberPlan::new(Some("PH")).is_premium("09171234567"));
    let call = |plan: &NumberPlan, uri: &str| match classify_in(uri, plan) {
        Ok(a @ LinkAction::Call { .. }) => a.cost_in(plan),
        other => panic!("{uri}: {other:?}"),
    };
    assert_eq!(call(&gb, "tel:09061234567"), CostRisk::Premium);
    assert_eq!(
        call(&NumberPlan::new(Some("PH")), "tel:09171234567"),
        CostRisk::MayCost
    );
}

/// LINK-3: short codes by the home region's short number metadata; premium-rate short codes
/// named as such.
#[test]
fn link_3_short_codes_come_from_numbering_data() {
    let us = NumberPlan::new(Some("US"));
    assert!(us.is_premium("24280"), "a US premium-rate short code");
    assert!(us.is_short_code("911"));
    assert!(!us.is_premium("911"));
    assert!(!us.is_short_code("+12025550143"));
    let Ok(LinkAction::Sms { recipients, .. }) = classify_in("sms:24280", &us) else {
        panic!()
    };
    assert!(recipients[0].premium);
    // Without a region, any 3 to 6 digits are taken as a short code (and may cost).
    let Ok(LinkAction::Sms { recipients, .. }) = classify("sms:12345") else {
        panic!()
    };
    assert!(recipients[0].short_code);
}

/// Push origins are compared as the network writes them, separators aside (PUSH-6 buckets and
/// the trusted-origin whitelist key on this).
#[test]
fn push_6_origins_normalise_to_one_key_per_sender() {
    use mms_decisions::numbers::normalise_origin;
    for (raw, key) in [
        ("+447785016005", "+447785016005"),
        (" +447785016005 ", "+447785016005"),
        ("+44 7785-016.005", "+447785016005"),
        ("00447785016005", "+447785016005"),
        ("+00447785016005", "+447785016005"),
        ("07785016005", "07785016005"),
        ("(0)7785 016005", "07785016005"),
        ("+", "+"),
        ("Operator", "operator"),
        ("127.0.0.1", "127001"),
    ] {
        assert_eq!(normalise_origin(raw), key, "{raw:?}");
    }
}
