// Emulator UI tests: the Compose screens against the mock MMSC on the host (10.0.2.2 from the
// emulator), driving the scenario the JVM suites run (bindings/kotlin/src/MmsFfiTest.kt and
// android/presentation/src/test): receive a message and read it as its render plan says, a
// chargeable link behind the confirmation sheet, compose and send, a spoofed push in the
// security log. Run by android/run-ui-tests.sh, which starts the mock and forwards the push
// port into the emulator.
package mmscore.app

import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.junit4.createAndroidComposeRule
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import java.io.File
import java.net.HttpURLConnection
import java.net.URL
import kotlinx.coroutines.runBlocking
import mmscore.testsupport.SPOOFED_PUSH
import mmscore.testsupport.hex
import mmscore.testsupport.profile
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.Verdict
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart

@RunWith(AndroidJUnit4::class)
class MessagingFlowTest {
    @get:Rule val rule = createAndroidComposeRule<MainActivity>()

    private val args = InstrumentationRegistry.getArguments()
    private val mmsc = args.getString("mmsc") ?: "http://10.0.2.2:8002/mms"
    // The admin API has its own port and wants the run's token (android/run-ui-tests.sh).
    private val admin = args.getString("admin") ?: "http://10.0.2.2:8003/_admin"
    private val adminToken = args.getString("adminToken") ?: ""
    private val me = "+15557301"
    private val peer = "+15557302"
    private lateinit var app: MmsApplication
    private lateinit var sender: Client

    private fun register(number: String, push: String?) {
        val c = URL("$admin/subscribers").openConnection() as HttpURLConnection
        c.requestMethod = "POST"
        c.doOutput = true
        c.setRequestProperty("content-type", "application/json")
        c.setRequestProperty("authorization", "Bearer $adminToken")
        val body = if (push == null) "{\"msisdn\":\"$number\"}" else "{\"msisdn\":\"$number\",\"push\":\"$push\"}"
        c.outputStream.use { it.write(body.toByteArray()) }
        check(c.responseCode == 204) { "register $number: ${c.responseCode}" }
    }

    @Before fun setUp() {
        app = rule.activity.application as MmsApplication
        File(app.filesDir, "mms.db").delete()
        // The app against the mock, over the emulator's ordinary network (no MMS APN here),
        // trusting pushes relayed from the host.
        app.openClient(profile(mmsc, me).replace("127.0.0.1", "10.0.2.2"), transport = null)
        runBlocking { app.client.startPushReceiver("0.0.0.0:2948") }
        // The push port of the host is forwarded into the emulator (run-ui-tests.sh).
        register(me, "127.0.0.1:2948")
        sender = Client.open(File(app.cacheDir, "peer.db").path, profile(mmsc, peer), Ignore)
        register(peer, null)
        rule.activityRule.scenario.recreate()
    }

    @Test fun receiveReadAndConfirmAChargeableLink() {
        runBlocking {
            sender.send(OutgoingMessage(listOf(me), "from the emulator test",
                listOf(OutgoingPart("text/plain", "t.txt", "Call tel:+19005550100 now".toByteArray())), null, null))
        }
        rule.waitUntil(15_000) { rule.onAllNodes(hasText("from the emulator test")).fetchSemanticsNodes().isNotEmpty() }
        rule.onNodeWithText("from the emulator test").performClick()
        rule.onNodeWithTag("text").assertIsDisplayed()
        rule.onNodeWithText("tel:+19005550100").performClick()
        rule.waitUntil(5_000) { rule.onAllNodes(hasTestTag("link-description")).fetchSemanticsNodes().isNotEmpty() }
        rule.onNode(hasTestTag("link-description") and hasText("premium", substring = true)).assertIsDisplayed()
    }

    @Test fun composeAndSend() {
        rule.onNodeWithTag("compose").performClick()
        rule.onNodeWithTag("to").performTextInput(peer)
        rule.onNodeWithTag("text-input").performTextInput("sent from the screen")
        rule.onNodeWithTag("send").performClick()
        rule.waitUntil(15_000) {
            runBlocking { app.client.messages() }.any { it.direction.name == "OUTGOING" && it.state.name == "SENT" }
        }
    }

    @Test fun aSpoofedPushShowsInTheSecurityLog() {
        val v = runBlocking { app.client.handlePush("10.0.2.2", hex(SPOOFED_PUSH)) }
        check(v.verdict == Verdict.REJECT) { "${v.verdict}" }
        rule.onNodeWithTag("security").performClick()
        rule.waitUntil(5_000) { rule.onAllNodes(hasText("PUSH-1", substring = true)).fetchSemanticsNodes().isNotEmpty() }
    }

    private object Ignore : EventListener {
        override fun onEvent(event: MmsEvent) {}
    }
}
