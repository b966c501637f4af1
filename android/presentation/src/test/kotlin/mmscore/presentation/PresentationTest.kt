// The screens' logic against the real library and the real mock MMSC, on the JVM: the same
// scenario the Kotlin suite (bindings/kotlin) drives through the raw bindings and the
// emulator UI tests (app/src/androidTest) drive through the Compose screens.
package mmscore.presentation

import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import mmscore.testsupport.MockMmscRule
import mmscore.testsupport.SPOOFED_PUSH
import mmscore.testsupport.hex
import mmscore.testsupport.profile
import mmscore.testsupport.provisioningPush
import org.junit.After
import org.junit.ClassRule
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MessageState
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.Verdict

class PresentationTest {
    companion object {
        @ClassRule @JvmField
        val env = MockMmscRule("presentation")
        private val mmsc get() = env.mmsc
        private val work get() = env.work
    }

    private lateinit var scope: CoroutineScope

    @Before fun setUp() { scope = CoroutineScope(SupervisorJob() + Dispatchers.Default) }
    @After fun tearDown() { scope.cancel() }

    /** A phone: a client on its own database with its push receiver registered. */
    private class Phone(val number: String, val client: Client, val hub: EventHub)

    private object Ignore : EventListener {
        override fun onEvent(event: MmsEvent) {}
    }

    private fun phone(extraProfile: String = ""): Phone {
        val number = env.number("+1555720")
        val client = Client.open(File(work, "$number.db").path, profile(mmsc.url, number) + extraProfile, Ignore)
        val hub = EventHub(client, scope)
        mmsc.register(number, runBlocking { client.startPushReceiver("127.0.0.1:0") })
        return Phone(number, client, hub)
    }

    private fun <T> StateFlow<T>.await(what: String, ok: (T) -> Boolean): T = runBlocking {
        try {
            withTimeout(10_000) { first(ok) }
        } catch (e: Exception) {
            throw AssertionError("$what: last state $value")
        }
    }

    private fun eventually(what: String, ok: () -> Boolean) {
        val end = System.currentTimeMillis() + 10_000
        while (!ok()) {
            if (System.currentTimeMillis() > end) throw AssertionError("timed out: $what")
            Thread.sleep(20)
        }
    }

    @Test fun composeSendsAndTheInboxAndConversationShowIt() {
        val a = phone()
        val b = phone()
        val inbox = InboxViewModel(b.client, scope, b.hub)
        val compose = ComposeViewModel(a.client, scope)
        compose.setRecipients(b.number)
        compose.setSubject("from the screens")
        compose.setText("Call tel:+19005550100 now")
        assertTrue(compose.ui.value.canSend)
        compose.send()
        compose.ui.await("sent") { it.status is SendStatus.Sent }
        compose.sentHandled()
        assertEquals(ComposeState(), compose.ui.value)

        val item = inbox.ui.await("listed and acknowledged") { s ->
            s.items.any { it.subject == "from the screens" && it.status == "" }
        }.items.first { it.subject == "from the screens" }
        assertTrue(item.incoming && item.unread == 1)
        // The inbox confirmed it, so the library acknowledged it to the MMSC.
        eventually("acknowledged") {
            runBlocking { b.client.message(item.id) }.message.state == MessageState.ACKNOWLEDGED
        }
        assertEquals("Call tel:+19005550100 now", item.preview)

        val conversation = ConversationViewModel(b.client, scope)
        runBlocking { conversation.open(item.id, sendReadReport = false).join() }
        val shown = conversation.ui.value
        assertEquals("from the screens", shown.subject)
        val texts = shown.slides.flatMap { it.content }.filterIsInstance<SlideContent.Text>()
        assertEquals("Call tel:+19005550100 now", texts.single().text)
        assertEquals(listOf("tel:+19005550100"), shown.links)
        assertFalse(shown.from.contains("TYPE"))
        assertEquals(listOf(a.number), shown.participants)
        conversation.ui.await("marked read") { it.read }
        runBlocking { inbox.reload() }
        inbox.ui.await("read") { s -> s.items.any { it.id == item.id && it.unread == 0 } }

        // The link goes through the confirmation sheet: premium, confirmed once.
        val links = LinkConfirmationViewModel(b.client)
        runBlocking { links.tapped(shown.links.single(), item.id) }
        val sheet = links.ui.value as LinkSheet.Confirm
        assertTrue(sheet.description, sheet.description.contains("premium"))
        runBlocking { links.confirm() }
        val released = links.ui.value as LinkSheet.Released
        val call = released.action as uniffi.mms_ffi.LinkAction.Call
        assertEquals("+19005550100", call.number)
        assertTrue(call.premium)
        runBlocking { links.tapped("tel:**21*+15550000%23", item.id) }
        assertTrue(links.ui.value is LinkSheet.Blocked)
    }

    @Test fun aSpoofedPushRaisesAnAlertAndShowsInTheSecurityLog() {
        val c = phone()
        val inbox = InboxViewModel(c.client, scope, c.hub)
        val verdict = runBlocking { c.client.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
        assertEquals(Verdict.REJECT, verdict.verdict)
        inbox.ui.await("alert") { it.securityAlerts >= 1 }
        assertTrue(inbox.ui.value.items.isEmpty())
        val log = SecurityLogViewModel(c.client)
        runBlocking { log.refresh() }
        val line = log.ui.value.first()
        assertEquals("PUSH-1", line.threat)
        assertEquals("Spoofed content location", line.title)
    }

    @Test fun provisioningNeedsTheRightPinAndTheUsersConfirmation() {
        val c = phone()
        val vm = ProvisioningViewModel(c.client, scope)
        vm.received("127.0.0.1", provisioningPush("1234"))
        val asking = vm.ui.value as ProvisioningUi.NeedsPin
        assertTrue(asking.needsPin)
        assertEquals("http://mmsc.kotlin.example/mms", asking.mmscUrl)
        vm.submitPin("0000")
        val refused = vm.ui.await("refused") { it is ProvisioningUi.Refused } as ProvisioningUi.Refused
        assertTrue(refused.threat.orEmpty().startsWith("OTA-"))
        vm.received("127.0.0.1", provisioningPush("1234"))
        vm.submitPin("1234")
        val review = vm.ui.await("review") { it is ProvisioningUi.Review } as ProvisioningUi.Review
        assertEquals("http://mmsc.kotlin.example/mms", review.mmscUrl)
        assertFalse(c.client.profileToml().contains("mmsc.kotlin.example"))
        vm.confirm()
        vm.ui.await("applied") { it == ProvisioningUi.Applied("http://mmsc.kotlin.example/mms") }
        assertTrue(c.client.profileToml().contains("mmsc.kotlin.example"))
    }

    @Test fun aNotificationCanBeDownloadedOrDeletedFromTheInbox() {
        val b = phone("\nauto_download = \"never\"")
        val inbox = InboxViewModel(b.client, scope, b.hub)
        // Two senders: two conversations, each with a notification waiting.
        for (n in 1..2) {
            val compose = ComposeViewModel(phone().client, scope)
            compose.setRecipients(b.number)
            compose.setText("note $n")
            compose.send()
            compose.ui.await("sent $n") { it.status is SendStatus.Sent }
        }
        val waiting = inbox.ui.await("two to download") { s -> s.items.count { it.canDownload } == 2 }
        val (first, second) = waiting.items
        inbox.delete(first.id)
        inbox.ui.await("deleted") { s -> s.items.none { it.id == first.id } }
        inbox.download(second.id)
        inbox.ui.await("downloaded") { s -> s.items.any { it.id == second.id && !it.canDownload && it.status == "" } }
    }

    @Test fun composeRefusesWhatTheLibraryRefuses() {
        val a = phone()
        val compose = ComposeViewModel(a.client, scope)
        compose.setText("nobody to send to")
        assertFalse(compose.ui.value.canSend)
        compose.setRecipients("+15550001")
        compose.attach(Attachment("huge.bin", "application/octet-stream", ByteArray(2 * 1024 * 1024)))
        compose.send()
        val failed = compose.ui.await("refused") { it.status is SendStatus.Failed }.status as SendStatus.Failed
        assertTrue(failed.message, failed.message.startsWith("Too large: 2048 KB, the carrier allows 300 KB"))
    }
}
