/*
 * Memory-safety harness for the FFI library (the only code with `unsafe`: UniFFI's generated
 * scaffolding). Calls the C ABI exactly as the Kotlin and Swift bindings do -- buffers made by
 * the library, arguments serialised the UniFFI way, every returned buffer freed by the
 * library -- with many inputs, so that valgrind (memcheck.sh) can watch every lift, lower and
 * free. Usage: harness FILE...   (each file is handed to decodePdu and checkPush)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The generated header is written for clang; gcc has no nullability qualifiers. */
#ifndef __clang__
#define _Nullable
#define _Nonnull
#endif
#include "mms_ffiFFI.h"

static int failures = 0;

static void check(const char *what, RustCallStatus *st, int allow_error) {
    /* 0: success, 1: a declared error (CodecError), 2: a Rust panic caught by the scaffolding. */
    if (st->code == 0 || (allow_error && st->code == 1)) {
        if (st->code == 1) {
            RustCallStatus s2 = {0};
            ffi_mms_ffi_rustbuffer_free(st->errorBuf, &s2);
        }
        return;
    }
    fprintf(stderr, "%s: call status %d\n", what, st->code);
    failures++;
}

/* A RustBuffer owned by the library holding `n` raw bytes. */
static RustBuffer lib_buffer(const uint8_t *p, size_t n) {
    RustCallStatus st = {0};
    ForeignBytes fb = {(int32_t)n, p};
    RustBuffer b = ffi_mms_ffi_rustbuffer_from_bytes(fb, &st);
    check("rustbuffer_from_bytes", &st, 0);
    return b;
}

static void put_i32(uint8_t *out, uint32_t v) {
    out[0] = (uint8_t)(v >> 24);
    out[1] = (uint8_t)(v >> 16);
    out[2] = (uint8_t)(v >> 8);
    out[3] = (uint8_t)v;
}

/* Vec<u8>: a big-endian i32 length, then the bytes. */
static RustBuffer bytes_arg(const uint8_t *p, size_t n) {
    uint8_t *tmp = malloc(n + 4);
    put_i32(tmp, (uint32_t)n);
    if (n) memcpy(tmp + 4, p, n);
    RustBuffer b = lib_buffer(tmp, n + 4);
    free(tmp);
    return b;
}

/* A top-level String argument: the UTF-8 bytes alone. */
static RustBuffer string_arg(const char *s) { return lib_buffer((const uint8_t *)s, strlen(s)); }

/* Vec<String> with one element: count, then length and bytes. */
static RustBuffer one_string_list(const char *s) {
    size_t n = strlen(s);
    uint8_t *tmp = malloc(n + 8);
    put_i32(tmp, 1);
    put_i32(tmp + 4, (uint32_t)n);
    memcpy(tmp + 8, s, n);
    RustBuffer b = lib_buffer(tmp, n + 8);
    free(tmp);
    return b;
}

static void free_buffer(RustBuffer b) {
    RustCallStatus st = {0};
    ffi_mms_ffi_rustbuffer_free(b, &st);
    check("rustbuffer_free", &st, 0);
}

static void run(const uint8_t *data, size_t n) {
    RustCallStatus st = {0};
    RustBuffer out = uniffi_mms_ffi_fn_func_decode_pdu(bytes_arg(data, n), &st);
    check("decode_pdu", &st, 1);
    if (st.code == 0) {
        if (out.len < 4) { fprintf(stderr, "decode_pdu: short record\n"); failures++; }
        free_buffer(out);
    }
    RustCallStatus st3 = {0};
    RustBuffer seen = uniffi_mms_ffi_fn_func_inspect_provisioning(bytes_arg(data, n), &st3);
    check("inspect_provisioning", &st3, 1);
    if (st3.code == 0) free_buffer(seen);
    RustCallStatus st2 = {0};
    RustBuffer verdict = uniffi_mms_ffi_fn_func_check_push(
        string_arg("+15550100"), bytes_arg(data, n), string_arg("http://mmsc.example/mms"),
        one_string_list("+15550100"), &st2);
    check("check_push", &st2, 0);
    if (st2.code == 0) free_buffer(verdict);
}

int main(int argc, char **argv) {
    RustCallStatus st = {0};
    RustBuffer v = uniffi_mms_ffi_fn_func_library_version(&st);
    check("library_version", &st, 0);
    printf("mms-ffi %.*s\n", (int)v.len, (const char *)v.data);
    free_buffer(v);
    int files = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
        size_t got = fread(buf, 1, (size_t)n, f);
        fclose(f);
        run(buf, got);
        /* Every prefix of the first bytes too: truncations are what decoders get wrong. */
        for (size_t k = 0; k < got && k < 48; k += 7) run(buf, k);
        free(buf);
        files++;
    }
    printf("%d inputs through decodePdu, inspectProvisioning and checkPush, %d failures\n", files, failures);
    return failures ? 1 : 0;
}
