//! `uniffi-bindgen`: generates the Kotlin and Swift bindings from the built `mms-ffi` library
//! (`uniffi-bindgen generate --library target/debug/libmms_ffi.so --language kotlin ...`).
fn main() {
    uniffi::uniffi_bindgen_main()
}
