//! The OMA Client Provisioning document (OMA ProvCont 1.1): its model, the WBXML form with
//! both code pages and the XML form, and the SEC/MAC parameters a provisioning push carries
//! in its content type. Authentication and the settings taken from a document are decisions
//! (`mms-decisions`); this module only reads and writes the bytes.

pub mod document;
mod from_wbxml;
pub mod pages;
pub mod sec;

pub use document::{
    Characteristic, Parm, ParmValue, ProvisioningDoc, SECRET_PARMS, decode_wbxml, encode_wbxml,
    parse_xml,
};
pub use sec::{SecParams, sec_params};
