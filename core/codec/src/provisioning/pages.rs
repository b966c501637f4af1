//! The WBXML code pages of OMA Client Provisioning (ProvCont 1.1 section 8): tag and
//! attribute tokens of pages 0 and 1.

use crate::wbxml::CodePages;

/// Provisioning code pages (`application/vnd.wap.connectivity-wbxml`, public id 0x0B).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProvPages;

const PAGE0_ATTR: &[(u8, &str, &str)] = &[
    (0x05, "name", ""),
    (0x06, "value", ""),
    (0x07, "name", "NAME"),
    (0x08, "name", "NAP-ADDRESS"),
    (0x09, "name", "NAP-ADDRTYPE"),
    (0x0a, "name", "CALLTYPE"),
    (0x0b, "name", "VALIDUNTIL"),
    (0x0c, "name", "AUTHTYPE"),
    (0x0d, "name", "AUTHNAME"),
    (0x0e, "name", "AUTHSECRET"),
    (0x0f, "name", "LINGER"),
    (0x10, "name", "BEARER"),
    (0x11, "name", "NAPID"),
    (0x12, "name", "COUNTRY"),
    (0x13, "name", "NETWORK"),
    (0x14, "name", "INTERNET"),
    (0x15, "name", "PROXY-ID"),
    (0x16, "name", "PROXY-PROVIDER-ID"),
    (0x17, "name", "DOMAIN"),
    (0x18, "name", "PROVURL"),
    (0x19, "name", "PXAUTH-TYPE"),
    (0x1a, "name", "PXAUTH-ID"),
    (0x1b, "name", "PXAUTH-PW"),
    (0x1c, "name", "STARTPAGE"),
    (0x1d, "name", "BASAUTH-ID"),
    (0x1e, "name", "BASAUTH-PW"),
    (0x1f, "name", "PUSHENABLED"),
    (0x20, "name", "PXADDR"),
    (0x21, "name", "PXADDRTYPE"),
    (0x22, "name", "TO-NAPID"),
    (0x23, "name", "PORTNBR"),
    (0x24, "name", "SERVICE"),
    (0x25, "name", "LINKSPEED"),
    (0x26, "name", "DNLINKSPEED"),
    (0x27, "name", "LOCAL-ADDR"),
    (0x28, "name", "LOCAL-ADDRTYPE"),
    (0x29, "name", "CONTEXT-ALLOW"),
    (0x2a, "name", "TRUST"),
    (0x2b, "name", "MASTER"),
    (0x2c, "name", "SID"),
    (0x2d, "name", "SOC"),
    (0x2e, "name", "WSP-VERSION"),
    (0x2f, "name", "PHYSICAL-PROXY-ID"),
    (0x30, "name", "CLIENT-ID"),
    (0x31, "name", "DELIVERY-ERR-SDU"),
    (0x32, "name", "DELIVERY-ORDER"),
    (0x33, "name", "TRAFFIC-CLASS"),
    (0x34, "name", "MAX-SDU-SIZE"),
    (0x35, "name", "MAX-BITRATE-UPLINK"),
    (0x36, "name", "MAX-BITRATE-DNLINK"),
    (0x37, "name", "RESIDUAL-BER"),
    (0x38, "name", "SDU-ERROR-RATIO"),
    (0x39, "name", "TRAFFIC-HANDL-PRIO"),
    (0x3a, "name", "TRANSFER-DELAY"),
    (0x3b, "name", "GUARANTEED-BITRATE-UPLINK"),
    (0x3c, "name", "GUARANTEED-BITRATE-DNLINK"),
    (0x3d, "name", "PXADDR-FQDN"),
    (0x3e, "name", "PROXY-PW"),
    (0x3f, "name", "PPGAUTH-TYPE"),
    (0x45, "version", ""),
    (0x46, "version", "1.0"),
    (0x47, "name", "PULLENABLED"),
    (0x48, "name", "DNS-ADDR"),
    (0x49, "name", "MAX-NUM-RETRY"),
    (0x4a, "name", "FIRST-RETRY-TIMEOUT"),
    (0x4b, "name", "REREG-THRESHOLD"),
    (0x4c, "name", "T-BIT"),
    (0x4e, "name", "AUTH-ENTITY"),
    (0x4f, "name", "SPI"),
    (0x50, "type", ""),
    (0x51, "type", "PXLOGICAL"),
    (0x52, "type", "PXPHYSICAL"),
    (0x53, "type", "PORT"),
    (0x54, "type", "VALIDITY"),
    (0x55, "type", "NAPDEF"),
    (0x56, "type", "BOOTSTRAP"),
    (0x57, "type", "VENDORCONFIG"),
    (0x58, "type", "CLIENTIDENTITY"),
    (0x59, "type", "PXAUTHINFO"),
    (0x5a, "type", "NAPAUTHINFO"),
    (0x5b, "type", "ACCESS"),
];

const PAGE1_ATTR: &[(u8, &str, &str)] = &[
    (0x05, "name", ""),
    (0x06, "value", ""),
    (0x07, "name", "NAME"),
    (0x14, "name", "INTERNET"),
    (0x1c, "name", "STARTPAGE"),
    (0x22, "name", "TO-NAPID"),
    (0x23, "name", "PORTNBR"),
    (0x24, "name", "SERVICE"),
    (0x2e, "name", "AACCEPT"),
    (0x2f, "name", "AAUTHDATA"),
    (0x30, "name", "AAUTHLEVEL"),
    (0x31, "name", "AAUTHNAME"),
    (0x32, "name", "AAUTHSECRET"),
    (0x33, "name", "AAUTHTYPE"),
    (0x34, "name", "ADDR"),
    (0x35, "name", "ADDRTYPE"),
    (0x36, "name", "APPID"),
    (0x37, "name", "APROTOCOL"),
    (0x38, "name", "PROVIDER-ID"),
    (0x39, "name", "TO-PROXY"),
    (0x3a, "name", "URI"),
    (0x3b, "name", "RULE"),
    (0x50, "type", ""),
    (0x53, "type", "PORT"),
    (0x55, "type", "APPLICATION"),
    (0x56, "type", "APPADDR"),
    (0x57, "type", "APPAUTH"),
    (0x58, "type", "CLIENTIDENTITY"),
    (0x59, "type", "RESOURCE"),
];

const PAGE0_VALUE: &[(u8, &str)] = &[
    (0x85, "IPV4"),
    (0x86, "IPV6"),
    (0x87, "E164"),
    (0x88, "ALPHA"),
    (0x89, "APN"),
    (0x8a, "SCODE"),
    (0x8b, "TETRA-ITSI"),
    (0x8c, "MAN"),
    (0x90, "ANALOG-MODEM"),
    (0x91, "V.120"),
    (0x92, "V.110"),
    (0x93, "X.31"),
    (0x94, "BIT-TRANSPARENT"),
    (0x95, "DIRECT-ASYNCHRONOUS-DATA-SERVICE"),
    (0x9a, "PAP"),
    (0x9b, "CHAP"),
    (0x9c, "HTTP-BASIC"),
    (0x9d, "HTTP-DIGEST"),
    (0x9e, "WTLS-SS"),
    (0x9f, "MD5"),
    (0xa2, "GSM-USSD"),
    (0xa3, "GSM-SMS"),
    (0xa4, "ANSI-136-GUTS"),
    (0xa5, "IS-95-CDMA-SMS"),
    (0xa6, "IS-95-CDMA-CSD"),
    (0xa7, "IS-95-CDMA-PACKET"),
    (0xa8, "ANSI-136-CSD"),
    (0xa9, "ANSI-136-GPRS"),
    (0xaa, "GSM-CSD"),
    (0xab, "GSM-GPRS"),
    (0xac, "AMPS-CDPD"),
    (0xad, "PDC-CSD"),
    (0xae, "PDC-PACKET"),
    (0xaf, "IDEN-SMS"),
    (0xb0, "IDEN-CSD"),
    (0xb1, "IDEN-PACKET"),
    (0xb2, "FLEX/REFLEX"),
    (0xb3, "PHS-SMS"),
    (0xb4, "PHS-CSD"),
    (0xb5, "TETRA-SDS"),
    (0xb6, "TETRA-PACKET"),
    (0xb7, "ANSI-136-GHOST"),
    (0xb8, "MOBITEX-MPAK"),
    (0xb9, "CDMA2000-1X-SIMPLE-IP"),
    (0xba, "CDMA2000-1X-MOBILE-IP"),
    (0xc5, "AUTOBAUDING"),
    (0xca, "CL-WSP"),
    (0xcb, "CO-WSP"),
    (0xcc, "CL-SEC-WSP"),
    (0xcd, "CO-SEC-WSP"),
    (0xce, "CL-SEC-WTA"),
    (0xcf, "CO-SEC-WTA"),
    (0xd0, "OTA-HTTP-TO"),
    (0xd1, "OTA-HTTP-TLS-TO"),
    (0xd2, "OTA-HTTP-PO"),
    (0xd3, "OTA-HTTP-TLS-PO"),
    (0xe0, "AAA"),
    (0xe1, "HA"),
];

const PAGE1_VALUE: &[(u8, &str)] = &[
    (0x80, ","),
    (0x81, "HTTP-"),
    (0x82, "BASIC"),
    (0x83, "DIGEST"),
    (0x86, "IPV6"),
    (0x87, "E164"),
    (0x88, "ALPHA"),
    (0x8d, "APPSRV"),
    (0x8e, "OBEX"),
    (0x90, ","),
    (0x91, "HTTP-"),
    (0x92, "BASIC"),
    (0x93, "DIGEST"),
];

/// An attribute-start table indexed by token (all below 0x80); the first entry of a token wins.
type AttrIndex = [Option<(&'static str, &'static str)>; 0x80];
/// An attribute-value table indexed by token less 0x80.
type ValueIndex = [Option<&'static str>; 0x80];

// Only ever evaluated by the compiler, over the constant lists above: an index out of range
// would fail the build, never a decode.
#[allow(clippy::indexing_slicing)]
const fn index_attrs(list: &[(u8, &'static str, &'static str)]) -> AttrIndex {
    let mut table: AttrIndex = [None; 0x80];
    let mut i = 0;
    while i < list.len() {
        let (token, name, prefix) = list[i];
        let slot = (token & 0x7f) as usize;
        if table[slot].is_none() {
            table[slot] = Some((name, prefix));
        }
        i += 1;
    }
    table
}

// Only ever evaluated by the compiler, over the constant lists above: an index out of range
// would fail the build, never a decode.
#[allow(clippy::indexing_slicing)]
const fn index_values(list: &[(u8, &'static str)]) -> ValueIndex {
    let mut table: ValueIndex = [None; 0x80];
    let mut i = 0;
    while i < list.len() {
        let (token, text) = list[i];
        let slot = (token & 0x7f) as usize;
        if table[slot].is_none() {
            table[slot] = Some(text);
        }
        i += 1;
    }
    table
}

// The tables are indexed once, when compiled: a lookup is one load, not a search.
const PAGE0_ATTR_INDEX: AttrIndex = index_attrs(PAGE0_ATTR);
const PAGE1_ATTR_INDEX: AttrIndex = index_attrs(PAGE1_ATTR);
const PAGE0_VALUE_INDEX: ValueIndex = index_values(PAGE0_VALUE);
const PAGE1_VALUE_INDEX: ValueIndex = index_values(PAGE1_VALUE);

impl CodePages for ProvPages {
    fn tag(&self, page: u8, token: u8) -> Option<&'static str> {
        match (page, token) {
            (0, 0x05) => Some("wap-provisioningdoc"),
            (0 | 1, 0x06) => Some("characteristic"),
            (0 | 1, 0x07) => Some("parm"),
            _ => None,
        }
    }
    fn attr_start(&self, page: u8, token: u8) -> Option<(&'static str, &'static str)> {
        let table = match page {
            0 => &PAGE0_ATTR_INDEX,
            1 => &PAGE1_ATTR_INDEX,
            _ => return None,
        };
        if token >= 0x80 {
            return None;
        }
        table.get(usize::from(token)).copied().flatten()
    }
    fn attr_value(&self, page: u8, token: u8) -> Option<&'static str> {
        let table = match page {
            0 => &PAGE0_VALUE_INDEX,
            1 => &PAGE1_VALUE_INDEX,
            _ => return None,
        };
        let index = token.checked_sub(0x80)?;
        table.get(usize::from(index)).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed tables answer exactly what a search of the lists answers, for every token.
    #[test]
    fn indexed_tables_match_the_lists() {
        let search_attr = |list: &[(u8, &'static str, &'static str)], t: u8| {
            list.iter()
                .find(|(k, _, _)| *k == t)
                .map(|(_, n, v)| (*n, *v))
        };
        let search_value = |list: &[(u8, &'static str)], t: u8| {
            list.iter().find(|(k, _)| *k == t).map(|(_, v)| *v)
        };
        let mut found = 0;
        for t in 0..=u8::MAX {
            for (page, attrs, values) in
                [(0, PAGE0_ATTR, PAGE0_VALUE), (1, PAGE1_ATTR, PAGE1_VALUE)]
            {
                assert_eq!(
                    ProvPages.attr_start(page, t),
                    search_attr(attrs, t),
                    "{page}/{t:02x}"
                );
                assert_eq!(
                    ProvPages.attr_value(page, t),
                    search_value(values, t),
                    "{page}/{t:02x}"
                );
                found += usize::from(ProvPages.attr_start(page, t).is_some());
            }
            assert_eq!(ProvPages.attr_start(2, t), None);
            assert_eq!(ProvPages.attr_value(2, t), None);
        }
        assert_eq!(found, PAGE0_ATTR.len() + PAGE1_ATTR.len());
    }
}
