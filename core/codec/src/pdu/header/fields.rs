//! The MMS header field table (OMA-MMS-ENC 1.3 table 12): every field's code and name, written
//! once. [`field`] holds the codes as constants and [`field_name`] answers the name of a code,
//! both generated from the one table below.

/// Defines the field constants and the name lookup from one table of `CONST = code => "Name"`.
macro_rules! field_table {
    ($($konst:ident = $code:literal => $name:literal,)*) => {
        /// Header field codes (without the high bit).
        pub mod field {
            $(
                #[doc = $name]
                pub const $konst: u8 = $code;
            )*
        }

        /// The header name for a field code, as OMA-MMS-ENC spells it.
        pub fn field_name(code: u8) -> &'static str {
            match code {
                $($code => $name,)*
                _ => "(unknown)",
            }
        }
    };
}

field_table! {
    BCC = 0x01 => "Bcc",
    CC = 0x02 => "Cc",
    CONTENT_LOCATION = 0x03 => "X-Mms-Content-Location",
    CONTENT_TYPE = 0x04 => "Content-Type",
    DATE = 0x05 => "Date",
    DELIVERY_REPORT = 0x06 => "X-Mms-Delivery-Report",
    DELIVERY_TIME = 0x07 => "X-Mms-Delivery-Time",
    EXPIRY = 0x08 => "X-Mms-Expiry",
    FROM = 0x09 => "From",
    MESSAGE_CLASS = 0x0a => "X-Mms-Message-Class",
    MESSAGE_ID = 0x0b => "Message-ID",
    MESSAGE_TYPE = 0x0c => "X-Mms-Message-Type",
    MMS_VERSION = 0x0d => "X-Mms-MMS-Version",
    MESSAGE_SIZE = 0x0e => "X-Mms-Message-Size",
    PRIORITY = 0x0f => "X-Mms-Priority",
    READ_REPORT = 0x10 => "X-Mms-Read-Report",
    REPORT_ALLOWED = 0x11 => "X-Mms-Report-Allowed",
    RESPONSE_STATUS = 0x12 => "X-Mms-Response-Status",
    RESPONSE_TEXT = 0x13 => "X-Mms-Response-Text",
    SENDER_VISIBILITY = 0x14 => "X-Mms-Sender-Visibility",
    STATUS = 0x15 => "X-Mms-Status",
    SUBJECT = 0x16 => "Subject",
    TO = 0x17 => "To",
    TRANSACTION_ID = 0x18 => "X-Mms-Transaction-Id",
    RETRIEVE_STATUS = 0x19 => "X-Mms-Retrieve-Status",
    RETRIEVE_TEXT = 0x1a => "X-Mms-Retrieve-Text",
    READ_STATUS = 0x1b => "X-Mms-Read-Status",
    REPLY_CHARGING = 0x1c => "X-Mms-Reply-Charging",
    REPLY_CHARGING_DEADLINE = 0x1d => "X-Mms-Reply-Charging-Deadline",
    REPLY_CHARGING_ID = 0x1e => "X-Mms-Reply-Charging-ID",
    REPLY_CHARGING_SIZE = 0x1f => "X-Mms-Reply-Charging-Size",
    PREVIOUSLY_SENT_BY = 0x20 => "X-Mms-Previously-Sent-By",
    PREVIOUSLY_SENT_DATE = 0x21 => "X-Mms-Previously-Sent-Date",
    STORE = 0x22 => "X-Mms-Store",
    MM_STATE = 0x23 => "X-Mms-MM-State",
    MM_FLAGS = 0x24 => "X-Mms-MM-Flags",
    STORE_STATUS = 0x25 => "X-Mms-Store-Status",
    STORE_STATUS_TEXT = 0x26 => "X-Mms-Store-Status-Text",
    STORED = 0x27 => "X-Mms-Stored",
    ATTRIBUTES = 0x28 => "X-Mms-Attributes",
    TOTALS = 0x29 => "X-Mms-Totals",
    MBOX_TOTALS = 0x2a => "X-Mms-Mbox-Totals",
    QUOTAS = 0x2b => "X-Mms-Quotas",
    MBOX_QUOTAS = 0x2c => "X-Mms-Mbox-Quotas",
    MESSAGE_COUNT = 0x2d => "X-Mms-Message-Count",
    CONTENT = 0x2e => "Content",
    START = 0x2f => "X-Mms-Start",
    ADDITIONAL_HEADERS = 0x30 => "Additional-headers",
    DISTRIBUTION_INDICATOR = 0x31 => "X-Mms-Distribution-Indicator",
    ELEMENT_DESCRIPTOR = 0x32 => "X-Mms-Element-Descriptor",
    LIMIT = 0x33 => "X-Mms-Limit",
    RECOMMENDED_RETRIEVAL_MODE = 0x34 => "X-Mms-Recommended-Retrieval-Mode",
    RECOMMENDED_RETRIEVAL_MODE_TEXT = 0x35 => "X-Mms-Recommended-Retrieval-Mode-Text",
    STATUS_TEXT = 0x36 => "X-Mms-Status-Text",
    APPLIC_ID = 0x37 => "X-Mms-Applic-ID",
    REPLY_APPLIC_ID = 0x38 => "X-Mms-Reply-Applic-ID",
    AUX_APPLIC_INFO = 0x39 => "X-Mms-Aux-Applic-Info",
    CONTENT_CLASS = 0x3a => "X-Mms-Content-Class",
    DRM_CONTENT = 0x3b => "X-Mms-DRM-Content",
    ADAPTATION_ALLOWED = 0x3c => "X-Mms-Adaptation-Allowed",
    REPLACE_ID = 0x3d => "X-Mms-Replace-ID",
    CANCEL_ID = 0x3e => "X-Mms-Cancel-ID",
    CANCEL_STATUS = 0x3f => "X-Mms-Cancel-Status",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_agree() {
        assert_eq!(field::BCC, 0x01);
        assert_eq!(field_name(field::BCC), "Bcc");
        assert_eq!(field_name(field::CANCEL_STATUS), "X-Mms-Cancel-Status");
        assert_eq!(field_name(field::TRANSACTION_ID), "X-Mms-Transaction-Id");
        assert_eq!(field_name(0x00), "(unknown)");
        assert_eq!(field_name(0x40), "(unknown)");
    }
}
