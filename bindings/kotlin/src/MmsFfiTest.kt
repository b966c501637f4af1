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
import uniffi.mms_ffi.Platform
import uniffi.mms_ffi.checkPush
import uniffi.mms_ffi.inspectProvisioning
import uniffi.mms_ffi.decodePdu
import uniffi.mms_ffi.carrierSettings
import uniffi.mms_ffi.profileForSim
import mmscore.testsupport.Mmsc
import mmscore.testsupport.SPOOFED_PUSH
import mmscore.testsupport.hex
import mmscore.testsupport.profile
import mmscore.testsupport.provisioningPush

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
            // B's conversation is with A alone (B's own number left out).
            check(b.participants(msg.id) == listOf("+15557001")) { "participants ${b.participants(msg.id)}" }
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
            // Before any PIN: what the document says, and that it needs one.
            val seen = inspectProvisioning(provisioningPush("1234"))
            check(seen.method == "USERPIN" && seen.needsPin) { "${seen.method}" }
            check(seen.mmscUrl == "http://mmsc.kotlin.example/mms") { "${seen.mmscUrl}" }
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

        test("delete a notified message, withdraw a queued send; stateless push check") {
            val events = Events()
            val a = open(mmsc, "+15557010", Events())
            mmsc.register("+15557010", null)
            // B downloads nothing by itself: its notification stays on the MMSC.
            work.mkdirs()
            val b = Client.open(File(work, "del.db").path,
                profile(mmsc.url, "+15557011") + "\nauto_download = \"never\"", events)
            mmsc.register("+15557011", runBlocking { b.startPushReceiver("127.0.0.1:0") })
            runBlocking {
                a.send(OutgoingMessage(listOf("+15557011"), "to delete",
                    listOf(OutgoingPart("text/plain", "t.txt", "gone".toByteArray())), null, null))
            }
            events.waitFor("notification_stored")
            val id = b.messages().first().id
            val outcome = runBlocking { b.delete(id) }
            check(outcome == "rejected_at_mmsc") { outcome }
            check(b.messages().isEmpty()) { "still listed" }
            try {
                runBlocking { b.cancelSend(id) }
                throw AssertionError("cancelled a deleted message")
            } catch (e: ClientException) {
                check(e.message!!.isNotEmpty()) { "message" }
            }
            val v = checkPush("127.0.0.1", hex(SPOOFED_PUSH), mmsc.url, listOf("127.0.0.1"))
            check(v.verdict == "reject" && v.threat == "PUSH-1") { "${v.verdict} ${v.threat}" }
        }

        test("a Kotlin Platform decides auto-download and filters notifications") {
            class Phone : Platform {
                val asked = CopyOnWriteArrayList<String>()
                override fun isRoaming() = false
                override fun isKnownContact(address: String): Boolean {
                    asked.add(address)
                    return address.contains("5557012")
                }
                override fun keepNotification(from: String?, subject: String?, size: ULong?) =
                    subject != "spam"
            }
            val platform = Phone()
            val events = Events()
            work.mkdirs()
            val c = Client.openWithPlatform(File(work, "platform.db").path,
                profile(mmsc.url, "+15557013") + "\nauto_download = \"known_contacts_only\"",
                null, platform, events)
            mmsc.register("+15557013", runBlocking { c.startPushReceiver("127.0.0.1:0") })
            for ((from, subject) in listOf("+15557012" to "friend", "+15557014" to "stranger", "+15557012" to "spam")) {
                val s = open(mmsc, from, Events())
                mmsc.register(from, null)
                runBlocking {
                    s.send(OutgoingMessage(listOf("+15557013"), subject,
                        listOf(OutgoingPart("text/plain", "t.txt", subject.toByteArray())), null, null))
                }
            }
            events.waitFor("message_received")
            val end = System.currentTimeMillis() + 10_000
            while (c.messages().size < 2 && System.currentTimeMillis() < end) Thread.sleep(20)
            val bySubject = c.messages().associateBy { it.subject }
            check(bySubject["friend"]?.state == "DOWNLOADED") { "friend: ${bySubject["friend"]?.state}" }
            check(bySubject["stranger"]?.state == "NOTIFIED") { "stranger: ${bySubject["stranger"]?.state}" }
            check("spam" !in bySubject) { "spam kept" }
            check(platform.asked.any { it.contains("5557012") }) { "${platform.asked}" }
            check(c.auditLog(null, 20).any { it.threat == "FILTER-1" }) { "no FILTER-1 audit row" }
        }

        test("stateless decode of a PDU") {
            val body = hex(SPOOFED_PUSH).drop(6).toByteArray()
            val s = decodePdu(body)
            check(s.messageType == "m-notification-ind") { s.messageType }
            check(s.contentLocation == "http://evil.example/a") { "${s.contentLocation}" }
            check(s.transactionId == "x1") { "${s.transactionId}" }
        }

        test("carrier settings of a SIM's network, and a profile for it") {
            val all = carrierSettings("310260", null)
            check(all.size > 2) { "${all.size}" }
            check(all[0].suggested && all[0].provider == "T-Mobile") { all[0].toString() }
            check(all[0].mmscUrl == "http://mms.msg.eng.t-mobile.com/mms/wapenc") { all[0].mmscUrl }
            val mint = carrierSettings("310-260", "Mint Mobile")
            check(mint[0].provider == "Mint Mobile") { mint[0].provider }
            check(carrierSettings("00101", null).isEmpty())
            val toml = profileForSim("26201", null, "+491701234567")
            check(toml.contains("mmsc_url = \"http://mms.t-mobile.de/servlets/mms\"")) { toml }
            check(toml.contains("settings_source = \"carrier_data\"")) { toml }
        }
    }
    work.deleteRecursively()
    val failed = results.count { it.second != null }
    println("${results.size - failed} passed, $failed failed")
    if (failed > 0) System.exit(1)
}
