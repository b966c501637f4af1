// Per-call overhead of the bindings, measured from Kotlin (run by bindings/kotlin/bench.sh, not
// by CI): a trivial call (libraryVersion) and decoding a 30 KB M-Send.req (decodePdu), then the
// old API against the new for an inbox and a message screen (InboxBench.kt). The Rust side of
// the per-call work is `cargo bench -p mms-ffi --bench ffi_calls`.
package mmscore.bench

import uniffi.mms_ffi.decodePdu
import uniffi.mms_ffi.libraryVersion

/** An M-Send.req with one 30 KB image/jpeg part, assembled by hand. */
fun sendReq30k(): ByteArray {
    val head = mutableListOf<Byte>()
    fun add(vararg b: Int) = b.forEach { head.add(it.toByte()) }
    fun text(s: String) { s.toByteArray().forEach { head.add(it) }; head.add(0) }
    add(0x8c, 0x80); add(0x98); text("T-bench"); add(0x8d, 0x92)
    add(0x97); text("+15550002/TYPE=PLMN")
    add(0x84, 0xa3) // Content-Type: application/vnd.wap.multipart.mixed
    val data = ByteArray(30 * 1024) { 0x5a }
    data[0] = 0xff.toByte(); data[1] = 0xd8.toByte(); data[2] = 0xff.toByte()
    add(0x01) // one entry
    add(0x01) // headers length: content type only
    // data length as uintvar
    var n = data.size
    val uv = mutableListOf(n and 0x7f); n = n shr 7
    while (n > 0) { uv.add(0, (n and 0x7f) or 0x80); n = n shr 7 }
    uv.forEach { add(it) }
    add(0x9e) // image/jpeg
    return head.toByteArray() + data
}

fun measure(name: String, iterations: Int, body: () -> Unit): Double {
    repeat(iterations / 10) { body() } // warm-up (JIT, JNA)
    val start = System.nanoTime()
    repeat(iterations) { body() }
    val ns = (System.nanoTime() - start).toDouble() / iterations
    println("%-40s %10.0f ns/call".format(name, ns))
    return ns
}

fun main() {
    val pdu = sendReq30k()
    check(decodePdu(pdu).parts.size == 1)
    measure("kotlin: libraryVersion()", 200_000) { libraryVersion() }
    measure("kotlin: decodePdu(30 KB M-Send.req)", 20_000) { decodePdu(pdu) }
    inboxBench(System.getenv("MOCK_MMSC") ?: "target/release/mock-mmsc")
}
