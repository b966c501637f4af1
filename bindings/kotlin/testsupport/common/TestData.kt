// Test data shared by the Kotlin suite (bindings/kotlin/src), the presentation tests of the
// Android project (android/presentation/src/test) and its emulator UI tests
// (android/app/src/androidTest): the test carrier profile and hostile or signed pushes.
package mmscore.testsupport

import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart

fun profile(mmscUrl: String, number: String) = """
    mmsc_url = "$mmscUrl"
    http_headers = ["X-Mms-Subscriber: ##LINE1##"]
    line1 = "$number"
    push_origins = ["127.0.0.1"]
    retry_base_ms = 20
    http_timeout_secs = 5
""".trimIndent()

fun hex(s: String): ByteArray = s.chunked(2).map { it.toInt(16).toByte() }.toByteArray()

/** A spoofed M-Notification.ind in a WSP push, naming a foreign host. */
const val SPOOFED_PUSH =
    "010603beaf848c82987831008d928915802b31353535303030392f545950453d504c4d4e008a808e0164" +
        "8805810301518083687474703a2f2f6576696c2e6578616d706c652f6100"

/** A provisioning document (WBXML) setting the MMSC to http://mmsc.kotlin.example/mms. */
const val CP_BODY =
    "030b6a00c54503312e310001c650034150504c49434154494f4e000187050341505049440006037734000187" +
        "050341444452000603687474703a2f2f6d6d73632e6b6f746c696e2e6578616d706c652f6d6d7300018705" +
        "03544f2d4e415049440006034e41505f4d4d53000101c650034e415044454600018705034e415049440006" +
        "034e41505f4d4d5300018705034e41502d414444524553530006036d6d732e6b6f746c696e2e6578616d70" +
        "6c6500018705034e41502d414444525459504500060341504e00010101"

/** A connectivity push of CP_BODY with SEC=USERPIN and the HMAC-SHA1 keyed with `pin`. */
fun provisioningPush(pin: String): ByteArray {
    val body = hex(CP_BODY)
    val mac = javax.crypto.Mac.getInstance("HmacSHA1")
    mac.init(javax.crypto.spec.SecretKeySpec(pin.toByteArray(), "HmacSHA1"))
    val macHex = mac.doFinal(body).joinToString("") { "%02X".format(it) }.toByteArray()
    // Content-Type: application/vnd.wap.connectivity-wbxml; SEC=1; MAC=<40 hex digits>
    val ct = byteArrayOf(0xb6.toByte(), 0x91.toByte(), 0x81.toByte(), 0x92.toByte()) + macHex + byteArrayOf(0)
    val headers = byteArrayOf(0x1f, ct.size.toByte()) + ct
    return byteArrayOf(0x01, 0x06, headers.size.toByte()) + headers + body
}

/**
 * An M-Notification.ind in a WSP push (as SPOOFED_PUSH, with its own fields): transaction id
 * [tid], sender [from], [size] octets, to be fetched from [location].
 */
fun notificationPush(tid: String, from: String, location: String, size: Int = 100): ByteArray {
    fun text(s: String) = s.toByteArray() + 0
    val fromValue = byteArrayOf(0x80.toByte()) + text("$from/TYPE=PLMN")
    val pdu = byteArrayOf(0x8c.toByte(), 0x82.toByte(), 0x98.toByte()) + text(tid) +
        byteArrayOf(0x8d.toByte(), 0x92.toByte(), 0x89.toByte(), fromValue.size.toByte()) + fromValue +
        byteArrayOf(0x8a.toByte(), 0x80.toByte(), 0x8e.toByte(), 0x02, (size shr 8).toByte(), size.toByte()) +
        byteArrayOf(0x88.toByte(), 0x05, 0x81.toByte(), 0x03, 0x01, 0x51, 0x80.toByte()) +
        byteArrayOf(0x83.toByte()) + text(location)
    return byteArrayOf(0x01, 0x06, 0x03, 0xbe.toByte(), 0xaf.toByte(), 0x84.toByte()) + pdu
}

/** A message of one text part (`t.txt`) to [to]. */
fun textMessage(
    to: String,
    body: String,
    subject: String? = null,
    deliveryReport: Boolean? = null,
    readReport: Boolean? = null,
) = OutgoingMessage(listOf(to), subject, listOf(OutgoingPart("text/plain", "t.txt", body.toByteArray())), deliveryReport, readReport)
