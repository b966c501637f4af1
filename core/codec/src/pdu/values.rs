//! Open enums for the single-octet registries of OMA-MMS-ENC: known values by name, anything
//! else kept as `Unknown(octet)` so that it survives a decode -> encode round trip.

use serde::Serialize;

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as its wire octet.
            Unknown(u8),
        }

        impl $name {
            /// Maps a wire octet (with its high bit) to the enum.
            pub fn from_u8(b: u8) -> Self {
                match b {
                    $( $code => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }

            /// The wire octet.
            pub fn to_u8(self) -> u8 {
                match self {
                    $( Self::$variant => $code, )+
                    Self::Unknown(other) => other,
                }
            }

            /// A short label for display (`unknown` for unknown values).
            pub fn label(self) -> &'static str {
                match self {
                    $( Self::$variant => $label, )+
                    Self::Unknown(_) => "unknown",
                }
            }

            /// True when the value is one this version knows.
            pub fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Unknown(b) => write!(f, "unknown (0x{b:02x})"),
                    other => write!(f, "{} (0x{:02x})", other.label(), other.to_u8()),
                }
            }
        }
    };
}

wire_enum! {
    /// X-Mms-Message-Type.
    MessageType {
        /// m-send-req
        SendReq = 0x80 => "m-send-req",
        /// m-send-conf
        SendConf = 0x81 => "m-send-conf",
        /// m-notification-ind
        NotificationInd = 0x82 => "m-notification-ind",
        /// m-notifyresp-ind
        NotifyRespInd = 0x83 => "m-notifyresp-ind",
        /// m-retrieve-conf
        RetrieveConf = 0x84 => "m-retrieve-conf",
        /// m-acknowledge-ind
        AcknowledgeInd = 0x85 => "m-acknowledge-ind",
        /// m-delivery-ind
        DeliveryInd = 0x86 => "m-delivery-ind",
        /// m-read-rec-ind
        ReadRecInd = 0x87 => "m-read-rec-ind",
        /// m-read-orig-ind
        ReadOrigInd = 0x88 => "m-read-orig-ind",
        /// m-forward-req
        ForwardReq = 0x89 => "m-forward-req",
        /// m-forward-conf
        ForwardConf = 0x8a => "m-forward-conf",
        /// m-mbox-store-req
        MboxStoreReq = 0x8b => "m-mbox-store-req",
        /// m-mbox-store-conf
        MboxStoreConf = 0x8c => "m-mbox-store-conf",
        /// m-mbox-view-req
        MboxViewReq = 0x8d => "m-mbox-view-req",
        /// m-mbox-view-conf
        MboxViewConf = 0x8e => "m-mbox-view-conf",
        /// m-mbox-upload-req
        MboxUploadReq = 0x8f => "m-mbox-upload-req",
        /// m-mbox-upload-conf
        MboxUploadConf = 0x90 => "m-mbox-upload-conf",
        /// m-mbox-delete-req
        MboxDeleteReq = 0x91 => "m-mbox-delete-req",
        /// m-mbox-delete-conf
        MboxDeleteConf = 0x92 => "m-mbox-delete-conf",
        /// m-mbox-descr
        MboxDescr = 0x93 => "m-mbox-descr",
        /// m-delete-req
        DeleteReq = 0x94 => "m-delete-req",
        /// m-delete-conf
        DeleteConf = 0x95 => "m-delete-conf",
        /// m-cancel-req
        CancelReq = 0x96 => "m-cancel-req",
        /// m-cancel-conf
        CancelConf = 0x97 => "m-cancel-conf",
    }
}

impl MessageType {
    /// Every message type of MMS 1.3, in code order.
    pub const ALL: [MessageType; 24] = [
        Self::SendReq,
        Self::SendConf,
        Self::NotificationInd,
        Self::NotifyRespInd,
        Self::RetrieveConf,
        Self::AcknowledgeInd,
        Self::DeliveryInd,
        Self::ReadRecInd,
        Self::ReadOrigInd,
        Self::ForwardReq,
        Self::ForwardConf,
        Self::MboxStoreReq,
        Self::MboxStoreConf,
        Self::MboxViewReq,
        Self::MboxViewConf,
        Self::MboxUploadReq,
        Self::MboxUploadConf,
        Self::MboxDeleteReq,
        Self::MboxDeleteConf,
        Self::MboxDescr,
        Self::DeleteReq,
        Self::DeleteConf,
        Self::CancelReq,
        Self::CancelConf,
    ];

    /// True for the types an MMSC sends to a client over WAP push (notification, delivery
    /// report, read report). Anything else arriving by push is not legitimate.
    pub fn is_push_deliverable(self) -> bool {
        matches!(
            self,
            Self::NotificationInd | Self::DeliveryInd | Self::ReadOrigInd
        )
    }
}

wire_enum! {
    /// X-Mms-Priority.
    Priority {
        /// Low
        Low = 0x80 => "low",
        /// Normal
        Normal = 0x81 => "normal",
        /// High
        High = 0x82 => "high",
    }
}

wire_enum! {
    /// Yes/No values (Delivery-Report, Read-Report, Report-Allowed, Store, Stored, ...).
    YesNo {
        /// Yes
        Yes = 0x80 => "yes",
        /// No
        No = 0x81 => "no",
    }
}

impl YesNo {
    /// `Some(true)` for Yes, `Some(false)` for No, `None` for unknown octets.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Self::Yes => Some(true),
            Self::No => Some(false),
            Self::Unknown(_) => None,
        }
    }

    /// Yes for true.
    pub fn from_bool(b: bool) -> Self {
        if b { Self::Yes } else { Self::No }
    }
}

wire_enum! {
    /// X-Mms-Message-Class as a token (the text form is [`super::MessageClass::Text`]).
    ClassToken {
        /// Personal
        Personal = 0x80 => "personal",
        /// Advertisement
        Advertisement = 0x81 => "advertisement",
        /// Informational
        Informational = 0x82 => "informational",
        /// Auto
        Auto = 0x83 => "auto",
    }
}

wire_enum! {
    /// X-Mms-Response-Status (send-conf, forward-conf, mbox confs, delete-conf).
    ResponseStatus {
        /// Ok
        Ok = 0x80 => "ok",
        /// Error-unspecified (MMS 1.0, obsolete)
        ErrorUnspecified = 0x81 => "error-unspecified",
        /// Error-service-denied (MMS 1.0, obsolete)
        ErrorServiceDenied = 0x82 => "error-service-denied",
        /// Error-message-format-corrupt (MMS 1.0, obsolete)
        ErrorMessageFormatCorrupt = 0x83 => "error-message-format-corrupt",
        /// Error-sending-address-unresolved (MMS 1.0, obsolete)
        ErrorSendingAddressUnresolved = 0x84 => "error-sending-address-unresolved",
        /// Error-message-not-found (MMS 1.0, obsolete)
        ErrorMessageNotFound = 0x85 => "error-message-not-found",
        /// Error-network-problem (MMS 1.0, obsolete)
        ErrorNetworkProblem = 0x86 => "error-network-problem",
        /// Error-content-not-accepted (MMS 1.0, obsolete)
        ErrorContentNotAccepted = 0x87 => "error-content-not-accepted",
        /// Error-unsupported-message (MMS 1.0, obsolete)
        ErrorUnsupportedMessage = 0x88 => "error-unsupported-message",
        /// Error-transient-failure
        TransientFailure = 0xc0 => "error-transient-failure",
        /// Error-transient-sending-address-unresolved
        TransientSendingAddressUnresolved = 0xc1 => "error-transient-sending-address-unresolved",
        /// Error-transient-message-not-found
        TransientMessageNotFound = 0xc2 => "error-transient-message-not-found",
        /// Error-transient-network-problem
        TransientNetworkProblem = 0xc3 => "error-transient-network-problem",
        /// Error-transient-partial-success
        TransientPartialSuccess = 0xc4 => "error-transient-partial-success",
        /// Error-permanent-failure
        PermanentFailure = 0xe0 => "error-permanent-failure",
        /// Error-permanent-service-denied
        PermanentServiceDenied = 0xe1 => "error-permanent-service-denied",
        /// Error-permanent-message-format-corrupt
        PermanentMessageFormatCorrupt = 0xe2 => "error-permanent-message-format-corrupt",
        /// Error-permanent-sending-address-unresolved
        PermanentSendingAddressUnresolved = 0xe3 => "error-permanent-sending-address-unresolved",
        /// Error-permanent-message-not-found
        PermanentMessageNotFound = 0xe4 => "error-permanent-message-not-found",
        /// Error-permanent-content-not-accepted
        PermanentContentNotAccepted = 0xe5 => "error-permanent-content-not-accepted",
        /// Error-permanent-reply-charging-limitations-not-met
        PermanentReplyChargingLimitationsNotMet = 0xe6 => "error-permanent-reply-charging-limitations-not-met",
        /// Error-permanent-reply-charging-request-not-accepted
        PermanentReplyChargingRequestNotAccepted = 0xe7 => "error-permanent-reply-charging-request-not-accepted",
        /// Error-permanent-reply-charging-forwarding-denied
        PermanentReplyChargingForwardingDenied = 0xe8 => "error-permanent-reply-charging-forwarding-denied",
        /// Error-permanent-reply-charging-not-supported
        PermanentReplyChargingNotSupported = 0xe9 => "error-permanent-reply-charging-not-supported",
        /// Error-permanent-address-hiding-not-supported
        PermanentAddressHidingNotSupported = 0xea => "error-permanent-address-hiding-not-supported",
        /// Error-permanent-lack-of-prepaid
        PermanentLackOfPrepaid = 0xeb => "error-permanent-lack-of-prepaid",
    }
}

/// How a client must treat a response status (OMA-MMS-ENC 7.3.48 and DESIGN.md 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StatusClass {
    /// Success.
    Ok,
    /// Partial success (0xC4): accepted, never resent.
    PartialSuccess,
    /// Transient failure: retry later with the same transaction id.
    Transient,
    /// Permanent failure: do not retry.
    Permanent,
}

impl ResponseStatus {
    /// The class of this status. Reserved values in a class range take that class; anything
    /// else unknown (and the obsolete MMS 1.0 codes) is permanent.
    pub fn class(self) -> StatusClass {
        match self.to_u8() {
            0x80 => StatusClass::Ok,
            0xc4 => StatusClass::PartialSuccess,
            0xc0..=0xdf => StatusClass::Transient,
            _ => StatusClass::Permanent,
        }
    }
}

wire_enum! {
    /// X-Mms-Retrieve-Status (retrieve-conf).
    RetrieveStatus {
        /// Ok
        Ok = 0x80 => "ok",
        /// Error-transient-failure
        TransientFailure = 0xc0 => "error-transient-failure",
        /// Error-transient-message-not-found
        TransientMessageNotFound = 0xc1 => "error-transient-message-not-found",
        /// Error-transient-network-problem
        TransientNetworkProblem = 0xc2 => "error-transient-network-problem",
        /// Error-permanent-failure
        PermanentFailure = 0xe0 => "error-permanent-failure",
        /// Error-permanent-service-denied
        PermanentServiceDenied = 0xe1 => "error-permanent-service-denied",
        /// Error-permanent-message-not-found
        PermanentMessageNotFound = 0xe2 => "error-permanent-message-not-found",
        /// Error-permanent-content-unsupported
        PermanentContentUnsupported = 0xe3 => "error-permanent-content-unsupported",
    }
}

impl RetrieveStatus {
    /// The class of this status: reserved values in 0xC0..0xDF are transient, anything else
    /// that is not Ok is permanent (the spec maps reserved values to permanent-failure).
    pub fn class(self) -> StatusClass {
        match self.to_u8() {
            0x80 => StatusClass::Ok,
            0xc0..=0xdf => StatusClass::Transient,
            _ => StatusClass::Permanent,
        }
    }
}

wire_enum! {
    /// X-Mms-Status (notifyresp-ind, delivery-ind).
    Status {
        /// Expired
        Expired = 0x80 => "expired",
        /// Retrieved
        Retrieved = 0x81 => "retrieved",
        /// Rejected
        Rejected = 0x82 => "rejected",
        /// Deferred
        Deferred = 0x83 => "deferred",
        /// Unrecognised
        Unrecognised = 0x84 => "unrecognised",
        /// Indeterminate
        Indeterminate = 0x85 => "indeterminate",
        /// Forwarded
        Forwarded = 0x86 => "forwarded",
        /// Unreachable
        Unreachable = 0x87 => "unreachable",
    }
}

wire_enum! {
    /// X-Mms-Read-Status.
    ReadStatus {
        /// Read
        Read = 0x80 => "read",
        /// Deleted without being read
        DeletedWithoutBeingRead = 0x81 => "deleted-without-being-read",
    }
}

wire_enum! {
    /// X-Mms-Sender-Visibility.
    SenderVisibility {
        /// Hide
        Hide = 0x80 => "hide",
        /// Show
        Show = 0x81 => "show",
    }
}

wire_enum! {
    /// X-Mms-Reply-Charging.
    ReplyCharging {
        /// Requested
        Requested = 0x80 => "requested",
        /// Requested text only
        RequestedTextOnly = 0x81 => "requested-text-only",
        /// Accepted
        Accepted = 0x82 => "accepted",
        /// Accepted text only
        AcceptedTextOnly = 0x83 => "accepted-text-only",
    }
}

wire_enum! {
    /// X-Mms-MM-State.
    MmState {
        /// Draft
        Draft = 0x80 => "draft",
        /// Sent
        Sent = 0x81 => "sent",
        /// New
        New = 0x82 => "new",
        /// Retrieved
        Retrieved = 0x83 => "retrieved",
        /// Forwarded
        Forwarded = 0x84 => "forwarded",
    }
}

wire_enum! {
    /// X-Mms-Store-Status.
    StoreStatus {
        /// Success
        Success = 0x80 => "success",
        /// Error-transient-failure
        TransientFailure = 0xc0 => "error-transient-failure",
        /// Error-transient-network-problem
        TransientNetworkProblem = 0xc1 => "error-transient-network-problem",
        /// Error-permanent-failure
        PermanentFailure = 0xe0 => "error-permanent-failure",
        /// Error-permanent-service-denied
        PermanentServiceDenied = 0xe1 => "error-permanent-service-denied",
        /// Error-permanent-message-format-corrupt
        PermanentMessageFormatCorrupt = 0xe2 => "error-permanent-message-format-corrupt",
        /// Error-permanent-message-not-found
        PermanentMessageNotFound = 0xe3 => "error-permanent-message-not-found",
        /// Error-permanent-mmbox-full
        PermanentMmboxFull = 0xe4 => "error-permanent-mmbox-full",
    }
}

wire_enum! {
    /// X-Mms-Content-Class.
    ContentClass {
        /// text
        Text = 0x80 => "text",
        /// image-basic
        ImageBasic = 0x81 => "image-basic",
        /// image-rich
        ImageRich = 0x82 => "image-rich",
        /// video-basic
        VideoBasic = 0x83 => "video-basic",
        /// video-rich
        VideoRich = 0x84 => "video-rich",
        /// megapixel
        Megapixel = 0x85 => "megapixel",
        /// content-basic
        ContentBasic = 0x86 => "content-basic",
        /// content-rich
        ContentRich = 0x87 => "content-rich",
    }
}

wire_enum! {
    /// X-Mms-Cancel-Status.
    CancelStatus {
        /// Cancel request successfully received
        Received = 0x80 => "cancel-request-received",
        /// Cancel request corrupted
        Corrupted = 0x81 => "cancel-request-corrupted",
    }
}

wire_enum! {
    /// X-Mms-Recommended-Retrieval-Mode.
    RetrievalMode {
        /// Manual
        Manual = 0x80 => "manual",
    }
}

wire_enum! {
    /// The operation of an X-Mms-MM-Flags value.
    FlagOp {
        /// Add the flag
        Add = 0x80 => "add",
        /// Remove the flag
        Remove = 0x81 => "remove",
        /// Filter on the flag
        Filter = 0x82 => "filter",
    }
}

wire_enum! {
    /// The kind of quantity in X-Mms-Mbox-Totals / X-Mms-Mbox-Quotas.
    QuantityKind {
        /// A number of messages
        Messages = 0x80 => "messages",
        /// A size in octets
        Bytes = 0x81 => "bytes",
    }
}

wire_enum! {
    /// Absolute or relative token of time values (Expiry, Delivery-Time, Reply-Charging-Deadline).
    TimeToken {
        /// Absolute date (seconds since the epoch)
        Absolute = 0x80 => "absolute",
        /// Relative delta in seconds
        Relative = 0x81 => "relative",
    }
}

/// X-Mms-MMS-Version: a Short-integer with the major version in bits 4..6 and the minor in
/// bits 0..3 (`0x12` is 1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Version(pub u8);

impl Version {
    /// MMS 1.0.
    pub const V1_0: Version = Version(0x10);
    /// MMS 1.1.
    pub const V1_1: Version = Version(0x11);
    /// MMS 1.2.
    pub const V1_2: Version = Version(0x12);
    /// MMS 1.3.
    pub const V1_3: Version = Version(0x13);

    /// The major version.
    pub fn major(self) -> u8 {
        (self.0 >> 4) & 0x07
    }

    /// The minor version (15 means "unspecified").
    pub fn minor(self) -> u8 {
        self.0 & 0x0f
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major(), self.minor())
    }
}
