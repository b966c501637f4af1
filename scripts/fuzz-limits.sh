# The limits a phone lives under, shared by scripts/fuzz.sh, scripts/fuzz-campaign.sh and
# scripts/fuzz-minimise.sh (sourced, not run).
#  * memory: 256 MB of resident set (-rss_limit_mb); the per-decode heap is held to its budget
#    by the counting allocator inside the targets (mms_fuzzing::heap);
#  * a per-input timeout of 1 s;
#  * inputs as large as what arrives: 64 KiB covers a 32 KiB push (255 SMS segments), a 64 KiB
#    provisioning document and the PDUs and parts fuzzed raw; the structure-aware targets grow
#    their inputs (a storm of up to 1 MiB of markup) from at most 4 KiB of fuzzer bytes.
# The targets are built without a sanitizer (`-s none`): the code under test forbids `unsafe`,
# and AddressSanitizer's own quarantine (256 MB) would not fit in the memory limit.
FUZZ_FLAGS=(-rss_limit_mb=256 -timeout=1)
fuzz_max_len() {
  case "$1" in
    pdu_structured|storms) echo 4096 ;;
    *) echo 65536 ;;
  esac
}
# Extra flags per target: the structure-aware storm target reads its whole input as choices,
# so it gets full-length inputs from the start (libFuzzer otherwise grows them from a few
# octets).
fuzz_extra_flags() {
  case "$1" in
    storms) echo "-len_control=0" ;;
    *) echo "" ;;
  esac
}
FUZZ_BIN=fuzz/target/x86_64-unknown-linux-gnu/release
fuzz_build() {
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -O "$@")
}
