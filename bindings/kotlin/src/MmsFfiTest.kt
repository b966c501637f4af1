// The Kotlin suite: real Kotlin calling the real mms-ffi library (through the generated UniFFI
// bindings and JNA) against the real mock MMSC binary over loopback. Run by
// bindings/kotlin/run-tests.sh; prints "N passed, N failed" and exits 1 on any failure.
package mmscore.test

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import uniffi.mms_ffi.AuditRow
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.CodecException
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.HttpHeader
import uniffi.mms_ffi.LinkException
import uniffi.mms_ffi.Logger
import uniffi.mms_ffi.ProvisioningFailure
import uniffi.mms_ffi.setLogger
import uniffi.mms_ffi.HttpReply
import uniffi.mms_ffi.Mm1Transport
import uniffi.mms_ffi.TransportFailure
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart
import uniffi.mms_ffi.decodePdu

/** Collects events from the library. */
class Events : EventListener {
    val seen = CopyOnWriteArrayList<MmsEvent>()
    override fun onEvent(event: MmsEvent) {
        seen.add(event)
    }
    fun waitFor(kind: String, timeoutMs: Long = 10_000): MmsEvent {
        val end = System.currentTimeMillis() + timeoutMs
        while (System.currentTimeMillis() < end) {
            seen.firstOrNull { it.kind == kind }?.let { return it }
            Thread.sleep(20)
        }
        throw AssertionError("no $kind event; saw ${seen.map { it.kind }}")
    }
}

/** The mock MMSC binary, started for the suite. */
class Mmsc(binary: String) : AutoCloseable {
    private val process: Process =
        ProcessBuilder(binary, "--bind", "127.0.0.1:0").redirectErrorStream(true).start()
    val url: String
    val admin: String

    init {
        val line = process.inputStream.bufferedReader().readLine()
            ?: throw AssertionError("mock-mmsc printed nothing")
        // "mock-mmsc listening on 127.0.0.1:PORT (MMSC URL http://127.0.0.1:PORT/mms)"
        val addr = line.substringAfter("listening on ").substringBefore(" ")
        url = line.substringAfter("MMSC URL ").substringBefore(")")
        admin = "http://$addr/_admin"
    }

    fun register(number: String, push: String?) {
        val body = if (push == null) "{\"msisdn\":\"$number\"}"
        else "{\"msisdn\":\"$number\",\"push\":\"$push\"}"
        val req = HttpRequest.newBuilder(URI.create("$admin/subscribers"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build()
        val r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString())
        check(r.statusCode() == 204) { "register: ${r.statusCode()}" }
    }

    override fun close() {
        process.destroy()
        process.waitFor(5, TimeUnit.SECONDS)
    }
}

fun profile(mmscUrl: String, number: String) = """
    mmsc_url = "$mmscUrl"
    http_headers = ["X-Mms-Subscriber: ##LINE1##"]
    line1 = "$number"
    push_origins = ["127.0.0.1"]
    retry_base_ms = 20
    http_timeout_secs = 5
""".trimIndent()

/** The app's own MM1 transport, in Kotlin: java.net.http, counting what it carried. */
class KotlinTransport : Mm1Transport {
    private val http = HttpClient.newHttpClient()
    val calls = CopyOnWriteArrayList<String>()

    private fun exchange(b: HttpRequest.Builder, headers: List<HttpHeader>): HttpReply {
        for (h in headers) {
            if (h.name.equals("user-agent", ignoreCase = true)) b.setHeader("User-Agent", h.value)
            else b.header(h.name, h.value)
        }
        val r = try {
            http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        } catch (e: java.io.IOException) {
            throw TransportFailure.Connect(e.toString())
        }
        val retry = r.headers().firstValue("retry-after").map { it.toULongOrNull() }.orElse(null)
        return HttpReply(r.statusCode().toUShort(), r.body(), retry)
    }

    override fun post(url: String, headers: List<HttpHeader>, body: ByteArray): HttpReply {
        calls.add("POST $url")
        return exchange(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers)
    }

    override fun get(url: String, headers: List<HttpHeader>): HttpReply {
        calls.add("GET $url")
        return exchange(HttpRequest.newBuilder(URI.create(url)).GET(), headers)
    }
}

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

class KotlinLogger : Logger {
    val lines = CopyOnWriteArrayList<String>()
    override fun log(level: String, target: String, message: String) {
        lines.add("$level $target $message")
    }
}

val work: File = File(System.getProperty("java.io.tmpdir"), "mms-kotlin-${ProcessHandle.current().pid()}")

fun open(mmsc: Mmsc, number: String, events: Events): Client {
    work.mkdirs()
    return Client.open(File(work, "$number.db").path, profile(mmsc.url, number), events)
}

fun check(cond: Boolean, what: () -> String) {
    if (!cond) throw AssertionError(what())
}

fun main() {
    val binary = System.getenv("MOCK_MMSC") ?: "target/debug/mock-mmsc"
    val results = mutableListOf<Pair<String, Throwable?>>()
    fun test(name: String, body: () -> Unit) {
        val failure = try { body(); null } catch (t: Throwable) { t }
        results.add(name to failure)
        println((if (failure == null) "ok    " else "FAIL  ") + name + (failure?.let { ": $it" } ?: ""))
    }

    Mmsc(binary).use { mmsc ->
        test("send and receive an MMS between two clients, with events") {
            val aEvents = Events()
            val bEvents = Events()
            val a = open(mmsc, "+15557001", aEvents)
            val b = open(mmsc, "+15557002", bEvents)
            mmsc.register("+15557001", null)
            val pushAddr = runBlocking { b.startPushReceiver("127.0.0.1:0") }
            mmsc.register("+15557002", pushAddr)
            val id = runBlocking {
                a.send(
                    OutgoingMessage(
                        to = listOf("+15557002"),
                        subject = "from Kotlin",
                        parts = listOf(OutgoingPart("text/plain", "t.txt", "Hello from Kotlin".toByteArray())),
                        deliveryReport = null,
                        readReport = null,
                    )
                )
            }
            check(aEvents.waitFor("send_result").json.contains("\"ok\":true")) { "send_result" }
            check(a.messages().first { it.id == id }.state == "SENT") { "sent state" }
            val received = bEvents.waitFor("message_received")
            val msg = b.messages().first { it.id == received.messageId }
            check(msg.subject == "from Kotlin") { "subject ${msg.subject}" }
            val text = b.parts(msg.id).first { it.contentType == "text/plain" }.data.decodeToString()
            check(text == "Hello from Kotlin") { "text $text" }
            // The render plan of the received message.
            val plan = b.renderPlanJson(msg.id)
            check(plan.contains("\"slides\"") && plan.contains("text/plain")) { plan }
            runBlocking { b.confirmDelivered(msg.id) }
            check(b.messages().first { it.id == msg.id }.state == "ACKNOWLEDGED") { "acknowledged" }
        }

        test("a Kotlin Mm1Transport carries a message both ways") {
            val transport = KotlinTransport()
            val events = Events()
            work.mkdirs()
            val d = Client.openWithTransport(
                File(work, "d.db").path, profile(mmsc.url, "+15557005"), transport, events)
            mmsc.register("+15557005", runBlocking { d.startPushReceiver("127.0.0.1:0") })
            val a = open(mmsc, "+15557006", Events())
            mmsc.register("+15557006", null)
            runBlocking {
                d.send(OutgoingMessage(listOf("+15557005"), "loop",
                    listOf(OutgoingPart("text/plain", "t.txt", "via Kotlin".toByteArray())), null, null))
            }
            val got = events.waitFor("message_received")
            val text = d.parts(got.messageId).first().data.decodeToString()
            check(text == "via Kotlin") { text }
            check(transport.calls.count { it.startsWith("POST") } == 1) { "${transport.calls}" }
            check(transport.calls.count { it.startsWith("GET") } == 1) { "${transport.calls}" }
            runBlocking { d.confirmDelivered(got.messageId) }
            check(transport.calls.count { it.startsWith("POST") } == 2) { "acknowledged: ${transport.calls}" }
            check(a.messages().isEmpty()) { "a untouched" }
        }

        test("a spoofed push is rejected with its reason and audited") {
            val events = Events()
            val c = open(mmsc, "+15557003", events)
            val v = runBlocking { c.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
            check(v.verdict == "reject") { "verdict ${v.verdict}" }
            check(v.reason == "spoofed_content_location") { "reason ${v.reason}" }
            check(v.threat == "PUSH-1") { "threat ${v.threat}" }
            check(!v.autoDownload) { "auto download" }
            val audit: List<AuditRow> = c.auditLog("spoofed_content_location", 5)
            check(audit.isNotEmpty() && audit[0].threat == "PUSH-1") { "audit $audit" }
            check(c.messages().isEmpty()) { "nothing stored" }
            events.waitFor("security")
        }

        test("a chargeable link needs confirmation, once; a forwarding code is blocked") {
            val c = open(mmsc, "+15557007", Events())
            val premium = "tel:+19005550100"
            val r = c.requestLink(premium, "m1")
            check(r.decision == "needs_confirmation" && r.token != null) { "${r.decision}" }
            check(r.description.contains("premium")) { r.description }
            val released = c.confirmLink(r.token!!, "m1", premium)
            check(released.contains("19005550100")) { released }
            try {
                c.confirmLink(r.token!!, "m1", premium)
                throw AssertionError("token reused")
            } catch (e: LinkException.NotConfirmed) {
                check(e.reason.contains("already used")) { e.reason }
            }
            val fwd = c.requestLink("tel:**21*+15550000%23", "m1")
            check(fwd.decision == "blocked" && fwd.reason == "supplementary_service_code") { "${fwd.reason}" }
            check(fwd.token == null) { "no token" }
        }

        test("a provisioning push is verified with the PIN, then confirmed") {
            val c = open(mmsc, "+15557008", Events())
            try {
                runBlocking { c.verifyProvisioning("127.0.0.1", provisioningPush("9999"), "1234", null) }
                throw AssertionError("wrong PIN accepted")
            } catch (e: ProvisioningFailure.Refused) {
                check(e.threat.startsWith("OTA-")) { "${e.code} ${e.threat}" }
            }
            val pending = runBlocking {
                c.verifyProvisioning("127.0.0.1", provisioningPush("1234"), "1234", null)
            }
            check(pending.mmscUrl == "http://mmsc.kotlin.example/mms") { pending.mmscUrl }
            check(!c.profileToml().contains("mmsc.kotlin.example")) { "applied before confirmation" }
            check(c.confirmProvisioning(pending.token) == "http://mmsc.kotlin.example/mms") { "confirm" }
            check(c.profileToml().contains("mmsc.kotlin.example")) { "not applied" }
        }

        test("library log events reach a Kotlin logger") {
            val logger = KotlinLogger()
            check(setLogger(logger, "info")) { "logger already set" }
            val a = open(mmsc, "+15557009", Events())
            mmsc.register("+15557009", null)
            runBlocking {
                a.send(OutgoingMessage(listOf("+15557001"), null,
                    listOf(OutgoingPart("text/plain", "t.txt", "log me".toByteArray())), null, null))
            }
            check(logger.lines.any { it.startsWith("info") && it.contains("sent") }) { "${logger.lines}" }
        }

        test("errors surface as Kotlin exceptions") {
            try {
                Client.open(File(work, "bad.db").path, "mmsc_url = 42", Events())
                throw AssertionError("no exception")
            } catch (e: ClientException.Profile) {
                check(e.reason.isNotEmpty()) { e.reason }
            }
            val c = open(mmsc, "+15557004", Events())
            try {
                runBlocking { c.send(OutgoingMessage(listOf(), null, listOf(), null, null)) }
                throw AssertionError("no exception")
            } catch (e: ClientException.InvalidMessage) {
                check(e.reason.isNotEmpty()) { "reason" }
            }
            try {
                decodePdu(byteArrayOf(0x8c.toByte(), 0x80.toByte(), 0x98.toByte()))
                throw AssertionError("no exception")
            } catch (e: CodecException.Malformed) {
                check(e.offset >= 0uL) { "offset" }
            }
        }

        test("stateless decode of a PDU") {
            val body = hex(SPOOFED_PUSH).drop(6).toByteArray()
            val s = decodePdu(body)
            check(s.messageType == "m-notification-ind") { s.messageType }
            check(s.contentLocation == "http://evil.example/a") { "${s.contentLocation}" }
            check(s.transactionId == "x1") { "${s.transactionId}" }
        }
    }
    work.deleteRecursively()
    val failed = results.count { it.second != null }
    println("${results.size - failed} passed, $failed failed")
    if (failed > 0) System.exit(1)
}
