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
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import mmscore.events
import uniffi.mms_ffi.AsyncMm1Transport
import uniffi.mms_ffi.AuditArea
import uniffi.mms_ffi.AuditOutcome
import uniffi.mms_ffi.AuditRow
import uniffi.mms_ffi.DeleteOutcome
import uniffi.mms_ffi.Direction
import uniffi.mms_ffi.LinkAction
import uniffi.mms_ffi.LinkDecisionKind
import uniffi.mms_ffi.LogLevel
import uniffi.mms_ffi.MessageState
import uniffi.mms_ffi.PageRequest
import uniffi.mms_ffi.PartDecision
import uniffi.mms_ffi.PushKind
import uniffi.mms_ffi.Verdict
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
import mmscore.testsupport.notificationPush
import mmscore.testsupport.textMessage
import mmscore.testsupport.profile
import mmscore.testsupport.provisioningPush

/** Collects events from the library. */
class Events : EventListener {
    val seen = CopyOnWriteArrayList<MmsEvent>()
    override fun onEvent(event: MmsEvent) {
        seen.add(event)
    }
    /** The first event of type [T] (waiting up to [timeoutMs]). */
    inline fun <reified T : MmsEvent> waitFor(timeoutMs: Long = 10_000, ok: (T) -> Boolean = { true }): T {
        val end = System.currentTimeMillis() + timeoutMs
        while (System.currentTimeMillis() < end) {
            seen.filterIsInstance<T>().firstOrNull(ok)?.let { return it }
            Thread.sleep(20)
        }
        throw AssertionError("no ${T::class.simpleName} event; saw ${seen.map { it::class.simpleName }}")
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
    override fun log(level: LogLevel, target: String, message: String) {
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
            val result = aEvents.waitFor<MmsEvent.SendResult> { it.id == id }
            check(result.ok && result.messageId != null) { "$result" }
            check(aEvents.seen.any { it is MmsEvent.SendProgress && it.id == id && it.state == MessageState.SUBMITTING }) {
                "progress ${aEvents.seen}"
            }
            val sent = runBlocking { a.message(id) }.message
            check(sent.state == MessageState.SENT && sent.direction == Direction.OUTGOING) { "$sent" }
            val received = bEvents.waitFor<MmsEvent.MessageReceived>()
            check(received.from?.startsWith("+15557001") == true && received.subject == "from Kotlin") { "$received" }
            // One call for the message screen: the message, its people, its parts without bytes
            // and its render plan; then the text part's bytes alone.
            val screen = runBlocking { b.message(received.id) }
            check(screen.message.subject == "from Kotlin") { "subject ${screen.message.subject}" }
            check(screen.message.peers == listOf("+15557001")) { "peers ${screen.message.peers}" }
            check(screen.message.preview == "Hello from Kotlin") { "${screen.message.preview}" }
            val part = screen.parts.first { it.contentType.startsWith("text/plain") }
            check(part.size == 17uL) { "${part.size}" }
            val plan = screen.plan ?: throw AssertionError("no plan")
            check(plan.parts.any { it.decision == PartDecision.AUTO && it.contentType == "text/plain" }) { "$plan" }
            val text = runBlocking { b.partData(received.id, part.index) }.decodeToString()
            check(text == "Hello from Kotlin") { "text $text" }
            runBlocking { b.confirmDelivered(received.id) }
            check(runBlocking { b.message(received.id) }.message.state == MessageState.ACKNOWLEDGED) { "acknowledged" }
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
                d.send(textMessage("+15557005", "via Kotlin", subject = "loop"))
            }
            val got = events.waitFor<MmsEvent.MessageReceived>()
            val text = runBlocking { d.partData(got.id, 0u) }.decodeToString()
            check(text == "via Kotlin") { text }
            check(transport.calls.count { it.startsWith("POST") } == 1) { "${transport.calls}" }
            check(transport.calls.count { it.startsWith("GET") } == 1) { "${transport.calls}" }
            runBlocking { d.confirmDelivered(got.id) }
            check(transport.calls.count { it.startsWith("POST") } == 2) { "acknowledged: ${transport.calls}" }
            check(runBlocking { a.messages() }.isEmpty()) { "a untouched" }
        }

        test("a spoofed push is rejected with its reason and audited") {
            val events = Events()
            val c = open(mmsc, "+15557003", events)
            val v = runBlocking { c.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
            check(v.verdict == Verdict.REJECT && v.kind == PushKind.MMS) { "verdict ${v.verdict}" }
            check(v.reason == "spoofed_content_location") { "reason ${v.reason}" }
            check(v.threat == "PUSH-1") { "threat ${v.threat}" }
            check(!v.autoDownload) { "auto download" }
            val audit: List<AuditRow> = runBlocking { c.auditLog("spoofed_content_location", 5) }
            check(audit.isNotEmpty() && audit[0].threat == "PUSH-1") { "audit $audit" }
            check(audit[0].area == AuditArea.PUSH && audit[0].outcome == AuditOutcome.REJECTED) { "${audit[0]}" }
            // Milliseconds, like every timestamp of the API.
            check(Math.abs(audit[0].atMs.toLong() - System.currentTimeMillis()) < 60_000) { "at ${audit[0].atMs}" }
            check(runBlocking { c.messages() }.isEmpty()) { "nothing stored" }
            val alert = events.waitFor<MmsEvent.Security>()
            check(alert.row.threat == "PUSH-1") { "$alert" }
        }

        test("a chargeable link needs confirmation, once; a forwarding code is blocked") {
            val c = open(mmsc, "+15557007", Events())
            // A message to tap links in, keyed by its row id.
            mmsc.register("+15557007", null)
            val id = runBlocking {
                c.send(textMessage("+15557001", "call tel:+19005550100"))
            }
            val premium = "tel:+19005550100"
            val r = runBlocking { c.requestLink(premium, id) }
            check(r.decision == LinkDecisionKind.NEEDS_CONFIRMATION && r.token != null) { "${r.decision}" }
            check(r.description.contains("premium")) { r.description }
            val released = runBlocking { c.confirmLink(r.token!!, id, premium) }
            check(released is LinkAction.Call && released.number == "+19005550100" && released.premium) { "$released" }
            try {
                runBlocking { c.confirmLink(r.token!!, id, premium) }
                throw AssertionError("token reused")
            } catch (e: LinkException.AlreadyUsed) {
            }
            try {
                runBlocking { c.confirmLink("no-such-token", id, premium) }
                throw AssertionError("unknown token released")
            } catch (e: LinkException.UnknownToken) {
            }
            val again = runBlocking { c.requestLink(premium, id) }
            try {
                runBlocking { c.confirmLink(again.token!!, id, "tel:+19005550199") }
                throw AssertionError("a token released another link")
            } catch (e: LinkException.Mismatch) {
            }
            val fwd = runBlocking { c.requestLink("tel:**21*+15550000%23", id) }
            check(fwd.decision == LinkDecisionKind.BLOCKED && fwd.reason == "supplementary_service_code") { "${fwd.reason}" }
            check(fwd.token == null) { "no token" }
            try {
                runBlocking { c.requestLink(premium, id + 1000) }
                throw AssertionError("a link in no message")
            } catch (e: ClientException.NotFound) {
            }
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
            check(pending.changes.any { it.field == "mmsc_url" && it.new == "http://mmsc.kotlin.example/mms" }) {
                "${pending.changes}"
            }
            // A change the user declines is dropped and audited (OTA-5), off the caller's thread;
            // its token no longer applies anything.
            runBlocking { c.rejectProvisioning(pending.token) }
            check(runBlocking { c.auditLog("user_rejected", 5) }.any { it.threat == "OTA-5" }) { "no OTA-5 row" }
            try {
                runBlocking { c.confirmProvisioning(pending.token) }
                throw AssertionError("a declined change was applied")
            } catch (e: ProvisioningFailure) {
            }
            check(!c.profileToml().contains("mmsc.kotlin.example")) { "applied after rejection" }
            val again = runBlocking {
                c.verifyProvisioning("127.0.0.1", provisioningPush("1234"), "1234", null)
            }
            check(runBlocking { c.confirmProvisioning(again.token) } == "http://mmsc.kotlin.example/mms") { "confirm" }
            check(c.profileToml().contains("mmsc.kotlin.example")) { "not applied" }
        }

        test("library log events reach a Kotlin logger") {
            val logger = KotlinLogger()
            check(setLogger(logger, LogLevel.INFO)) { "logger already set" }
            val a = open(mmsc, "+15557009", Events())
            mmsc.register("+15557009", null)
            runBlocking {
                a.send(textMessage("+15557001", "log me"))
            }
            check(logger.lines.any { it.startsWith("INFO") && it.contains("sent") }) { "${logger.lines}" }
            check(logger.lines.none { it.startsWith("DEBUG") || it.startsWith("TRACE") }) { "below INFO" }
        }

        test("errors surface as Kotlin exceptions") {
            try {
                Client.open(File(work, "bad.db").path, "mmsc_url = 42", Events())
                throw AssertionError("no exception")
            } catch (e: ClientException.Profile) {
                check(e.reason.isNotEmpty()) { e.reason }
            }
            val c = open(mmsc, "+15557004", Events())
            mmsc.register("+15557004", null)
            try {
                runBlocking { c.send(OutgoingMessage(listOf(), null, listOf(), null, null)) }
                throw AssertionError("no exception")
            } catch (e: ClientException.InvalidInput) {
                check(e.reason.isNotEmpty()) { "reason" }
            }
            // Larger than the carrier allows, with the figures to show.
            try {
                runBlocking {
                    c.send(OutgoingMessage(listOf("+15557001"), null,
                        listOf(OutgoingPart("application/octet-stream", "big.bin", ByteArray(2 * 1024 * 1024))), null, null))
                }
                throw AssertionError("no exception")
            } catch (e: ClientException.TooLarge) {
                check(e.size > e.max && e.max > 0uL) { "${e.size} ${e.max}" }
            }
            // No such message, no such part.
            try {
                runBlocking { c.message(987654) }
                throw AssertionError("no exception")
            } catch (e: ClientException.NotFound) {
            }
            // A state that does not allow it.
            val id = runBlocking {
                c.send(textMessage("+15557001", "x"))
            }
            try {
                runBlocking { c.download(id) }
                throw AssertionError("downloaded a sent message")
            } catch (e: ClientException.State) {
            }
            try {
                runBlocking { c.partData(id, 42u) }
                throw AssertionError("no exception")
            } catch (e: ClientException.NotFound) {
            }
            // Storage: a part written where no file can be.
            try {
                runBlocking { c.writePart(id, 0u, "/proc/no/such/dir/part.bin") }
                throw AssertionError("no exception")
            } catch (e: ClientException.Storage) {
            }
            // Not provisioned: a SIM whose carrier settings have not arrived yet.
            val waiting = Client.open(File(work, "unprovisioned.db").path, "mcc_mnc = \"310-260\"", Events())
            try {
                runBlocking { waiting.send(textMessage("+15557001", "x")) }
                throw AssertionError("sent without an MMSC")
            } catch (e: ClientException.NotProvisioned) {
            }
            // Network: an MMSC that is not there (not transient: connection refused is retried
            // by the library, so the call ends when retries are spent or scheduled).
            val nowhere = Client.open(File(work, "nowhere.db").path,
                "mmsc_url = \"http://127.0.0.1:9/mms\"\nretry_base_ms = 10\nmax_send_attempts = 1", Events())
            try {
                runBlocking { nowhere.send(textMessage("+15557001", "x")) }
                throw AssertionError("sent to nowhere")
            } catch (e: ClientException.Network) {
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
                a.send(textMessage("+15557011", "gone", subject = "to delete"))
            }
            val stored = events.waitFor<MmsEvent.NotificationStored>()
            check(!stored.autoDownload) { "$stored" }
            val id = stored.id
            val outcome = runBlocking { b.delete(id) }
            check(outcome == DeleteOutcome.REJECTED_AT_MMSC) { "$outcome" }
            check(runBlocking { b.messages() }.isEmpty()) { "still listed" }
            try {
                runBlocking { b.cancelSend(id) }
                throw AssertionError("cancelled a deleted message")
            } catch (e: ClientException) {
                check(e.message!!.isNotEmpty()) { "message" }
            }
            val v = checkPush("127.0.0.1", hex(SPOOFED_PUSH), mmsc.url, listOf("127.0.0.1"))
            check(v.verdict == Verdict.REJECT && v.threat == "PUSH-1") { "${v.verdict} ${v.threat}" }
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
                    s.send(textMessage("+15557013", subject, subject = subject))
                }
            }
            events.waitFor<MmsEvent.MessageReceived>()
            val end = System.currentTimeMillis() + 10_000
            while (runBlocking { c.messages() }.size < 2 && System.currentTimeMillis() < end) Thread.sleep(20)
            val bySubject = runBlocking { c.messages() }.associateBy { it.subject }
            check(bySubject["friend"]?.state == MessageState.DOWNLOADED) { "friend: ${bySubject["friend"]?.state}" }
            check(bySubject["stranger"]?.state == MessageState.NOTIFIED) { "stranger: ${bySubject["stranger"]?.state}" }
            check("spam" !in bySubject) { "spam kept" }
            check(platform.asked.any { it.contains("5557012") }) { "${platform.asked}" }
            check(runBlocking { c.auditLog(null, 20) }.any { it.threat == "FILTER-1" }) { "no FILTER-1 audit row" }
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

        test("every event kind arrives typed") {
            val aEvents = Events()
            val bEvents = Events()
            val cEvents = Events()
            val a = open(mmsc, "+15557020", aEvents)
            mmsc.register("+15557020", runBlocking { a.startPushReceiver("127.0.0.1:0") })
            val b = open(mmsc, "+15557021", bEvents)
            mmsc.register("+15557021", runBlocking { b.startPushReceiver("127.0.0.1:0") })
            work.mkdirs()
            val c = Client.open(File(work, "c-events.db").path,
                profile(mmsc.url, "+15557022") + "\nauto_download = \"never\"", cEvents)
            mmsc.register("+15557022", runBlocking { c.startPushReceiver("127.0.0.1:0") })
            // A -> B with both reports asked for: SendProgress, SendResult, MessageReceived, then
            // DeliveryReport and ReadReport back at A.
            val id = runBlocking {
                a.send(textMessage("+15557021", "hi", subject = "reports", deliveryReport = true, readReport = true))
            }
            check(aEvents.waitFor<MmsEvent.SendProgress> { it.id == id }.state == MessageState.SUBMITTING) { "progress" }
            check(aEvents.waitFor<MmsEvent.SendResult> { it.id == id }.ok) { "result" }
            val got = bEvents.waitFor<MmsEvent.MessageReceived>()
            runBlocking { b.confirmDelivered(got.id) }
            val delivery = aEvents.waitFor<MmsEvent.DeliveryReport>()
            check(delivery.id == id && delivery.recipient.startsWith("+15557021") && delivery.status == "retrieved") { "$delivery" }
            check(runBlocking { b.markRead(got.id, true) }) { "no read report sent" }
            val read = aEvents.waitFor<MmsEvent.ReadReport>()
            check(read.id == id && read.status == "read") { "$read" }
            // A -> C, who does not download: NotificationStored, then the MMSC withdraws it:
            // MessageCancelled.
            val second = runBlocking {
                a.send(textMessage("+15557022", "bye", subject = "withdrawn"))
            }
            val mid = aEvents.waitFor<MmsEvent.SendResult> { it.id == second }.messageId!!
            val stored = cEvents.waitFor<MmsEvent.NotificationStored>()
            check(!stored.autoDownload) { "$stored" }
            mmsc.cancel(mid)
            val cancelled = cEvents.waitFor<MmsEvent.MessageCancelled>()
            check(cancelled.id == stored.id && !cancelled.retrieved) { "$cancelled" }
            // A notification for a message the MMSC does not have: DownloadFailed.
            runBlocking { b.handlePush("127.0.0.1", notificationPush("gone1", "+15557020", "${mmsc.url}/nope")) }
            val failed = bEvents.waitFor<MmsEvent.DownloadFailed>()
            check(failed.error.isNotEmpty()) { "$failed" }
            // A spoofed push: Security, with its audit row.
            runBlocking { b.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
            check(bEvents.waitFor<MmsEvent.Security>().row.threat == "PUSH-1") { "security" }
            // Exhaustive over the sealed class: a new kind fails to compile here.
            val kinds = (aEvents.seen + bEvents.seen + cEvents.seen).map { e ->
                when (e) {
                    is MmsEvent.NotificationStored -> "notification"
                    is MmsEvent.MessageReceived -> "received"
                    is MmsEvent.DownloadFailed -> "download failed"
                    is MmsEvent.SendProgress -> "progress"
                    is MmsEvent.SendResult -> "result"
                    is MmsEvent.DeliveryReport -> "delivery"
                    is MmsEvent.ReadReport -> "read"
                    is MmsEvent.MessageCancelled -> "cancelled"
                    is MmsEvent.Security -> "security"
                }
            }.toSet()
            check(kinds.size == 9) { "kinds $kinds" }
        }

        test("a listener unregisters; the events() Flow unregisters when its collector stops") {
            val c = open(mmsc, "+15557030", Events())
            check(c.listenerCount() == 1u) { "${c.listenerCount()}" }
            val extra = Events()
            val handle = c.addListener(extra)
            check(c.listenerCount() == 2u) { "${c.listenerCount()}" }
            runBlocking { c.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
            extra.waitFor<MmsEvent.Security>()
            check(handle.unregister()) { "first unregister" }
            check(!handle.unregister()) { "second unregister" }
            val before = extra.seen.size
            runBlocking { c.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
            Thread.sleep(200)
            check(extra.seen.size == before) { "events after unregister: ${extra.seen.drop(before)}" }
            // The Flow adapter of the Android library module.
            val alert = runBlocking {
                withTimeout(10_000) {
                    val first = async { c.events().first { it is MmsEvent.Security } }
                    while (c.listenerCount() < 2u) kotlinx.coroutines.delay(5)
                    c.handlePush("127.0.0.1", hex(SPOOFED_PUSH))
                    first.await()
                }
            }
            check(alert is MmsEvent.Security) { "$alert" }
            val end = System.currentTimeMillis() + 5_000
            while (c.listenerCount() != 1u && System.currentTimeMillis() < end) Thread.sleep(10)
            check(c.listenerCount() == 1u) { "flow did not unregister: ${c.listenerCount()}" }
        }

        test("an inbox of 1,000 conversations in at most 3 calls, and calls off the caller's thread") {
            work.mkdirs()
            val c = Client.open(File(work, "inbox1000.db").path,
                profile(mmsc.url, "+15557040") +
                    "\nauto_download = \"never\"\ntrusted_push_burst = 5000\ntrusted_push_per_hour = 100000",
                Events())
            for (i in 0 until 1000) {
                val v = runBlocking {
                    c.handlePush("127.0.0.1",
                        notificationPush("t$i", "+1555800%04d".format(i), "${mmsc.url}/m$i"))
                }
                check(v.verdict != Verdict.REJECT) { "push $i: ${v.reason}" }
            }
            var calls = 0
            var before: Long? = null
            val seen = mutableListOf<String>()
            do {
                val page = runBlocking { c.conversations(PageRequest(before, 500u)) }
                calls++
                seen += page.items.map { it.key }
                before = page.next
            } while (before != null)
            check(calls <= 3) { "$calls calls" }
            check(seen.size == 1000 && seen.toSet().size == 1000) { "${seen.size}" }
            val newest = runBlocking { c.conversations(PageRequest(null, 1u)) }.items.single()
            check(newest.peers == listOf("+15558000999") && newest.unread == 1u) { "$newest" }
            check(newest.last.state == MessageState.NOTIFIED && newest.last.size == 100uL) { "${newest.last}" }
            // One conversation's messages.
            val msgs = runBlocking { c.conversationMessages(newest.key, PageRequest(null, 10u)) }
            check(msgs.items.size == 1 && msgs.next == null) { "$msgs" }
            // A suspend call made on one thread runs on the library's: the caller only waits.
            val caller = Thread.currentThread().name
            val libraryThread = java.util.concurrent.atomic.AtomicReference<String>()
            c.addListener(object : EventListener {
                override fun onEvent(event: MmsEvent) { libraryThread.set(Thread.currentThread().name) }
            })
            runBlocking { c.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
            check(libraryThread.get() != null && libraryThread.get() != caller) { "ran on ${libraryThread.get()}" }
        }

        test("an app transport in suspend functions carries a message both ways") {
            class SuspendTransport : AsyncMm1Transport {
                val blocking = KotlinTransport()
                val threads = CopyOnWriteArrayList<String>()
                override suspend fun post(url: String, headers: List<HttpHeader>, body: ByteArray): HttpReply {
                    threads.add(Thread.currentThread().name)
                    return withContext(Dispatchers.IO) { blocking.post(url, headers, body) }
                }
                override suspend fun get(url: String, headers: List<HttpHeader>): HttpReply =
                    withContext(Dispatchers.IO) { blocking.get(url, headers) }
            }
            val transport = SuspendTransport()
            val events = Events()
            work.mkdirs()
            val d = Client.openWithAsyncTransport(
                File(work, "async.db").path, profile(mmsc.url, "+15557050"), transport, events)
            mmsc.register("+15557050", runBlocking { d.startPushReceiver("127.0.0.1:0") })
            runBlocking {
                d.send(textMessage("+15557050", "via suspend", subject = "loop"))
            }
            val got = events.waitFor<MmsEvent.MessageReceived>()
            val file = File(work, "async-part.txt")
            val written = runBlocking { d.writePart(got.id, 0u, file.path) }
            check(written == 11uL && file.readText() == "via suspend") { "${file.readText()}" }
            check(transport.blocking.calls.count { it.startsWith("POST") } == 1) { "${transport.blocking.calls}" }
            check(transport.blocking.calls.count { it.startsWith("GET") } == 1) { "${transport.blocking.calls}" }
        }
    }
    work.deleteRecursively()
    val failed = results.count { it.second != null }
    println("${results.size - failed} passed, $failed failed")
    if (failed > 0) System.exit(1)
}
