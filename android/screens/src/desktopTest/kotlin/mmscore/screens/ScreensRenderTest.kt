// The app's screens, rendered headless with JetBrains' Compose for desktop (the Android
// Compose artifacts are out of this machine's reach), each in its main state, driven by the
// real view models over the real library and the real mock MMSC. Each test asserts on what the
// screen shows and writes the screen to $SCREENS_OUT/<name>.png (android/ci/check.sh keeps them
// as artefacts; README links them). The nearest thing to emulator UI tests here.
package mmscore.screens

import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.LifecycleRegistry
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.compose.material3.Surface
import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.isRoot
import androidx.compose.ui.test.onLast
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.runComposeUiTest
import java.io.File
import javax.imageio.ImageIO
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import mmscore.presentation.ComposeViewModel
import mmscore.presentation.ConversationViewModel
import mmscore.presentation.EventHub
import mmscore.presentation.InboxViewModel
import mmscore.presentation.LinkConfirmationViewModel
import mmscore.presentation.LinkSheet
import mmscore.presentation.ProvisioningUi
import mmscore.presentation.ProvisioningViewModel
import mmscore.presentation.SecurityLogViewModel
import mmscore.presentation.SendStatus
import mmscore.testsupport.MockMmscRule
import mmscore.testsupport.SPOOFED_PUSH
import mmscore.testsupport.hex
import mmscore.testsupport.profile
import mmscore.testsupport.provisioningPush
import org.junit.After
import org.junit.ClassRule
import org.junit.Before
import org.junit.Test
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent

@OptIn(ExperimentalTestApi::class)
class ScreensRenderTest {
    companion object {
        @ClassRule @JvmField
        val env = MockMmscRule("screens")
        private val mmsc get() = env.mmsc
        private val work get() = env.work
        private val out = File(System.getenv("SCREENS_OUT") ?: "target/screens")
    }

    private object Ignore : EventListener {
        override fun onEvent(event: MmsEvent) {}
    }

    private lateinit var scope: CoroutineScope

    @Before fun setUp() { scope = CoroutineScope(SupervisorJob() + Dispatchers.Default) }
    @After fun tearDown() { scope.cancel() }

    private class Phone(val number: String, val client: Client, val hub: EventHub)

    private fun phone(): Phone {
        val number = env.number("+1555740")
        val client = Client.open(File(work, "$number.db").path, profile(mmsc.url, number), Ignore)
        mmsc.register(number, runBlocking { client.startPushReceiver("127.0.0.1:0") })
        return Phone(number, client, EventHub(client, scope))
    }

    private fun <T> StateFlow<T>.await(what: String, ok: (T) -> Boolean): T = runBlocking {
        try {
            withTimeout(10_000) { first(ok) }
        } catch (e: Exception) {
            throw AssertionError("$what: last state $value")
        }
    }

    /** A received message from a new sender to a new phone; its row id on the receiver. */
    private fun received(text: String): Pair<Phone, Long> {
        val b = phone()
        val compose = ComposeViewModel(phone().client, scope)
        compose.setRecipients(b.number)
        compose.setSubject("Dinner")
        compose.setText(text)
        compose.send()
        compose.ui.await("sent") { it.status is SendStatus.Sent }
        val inbox = InboxViewModel(b.client, scope, b.hub)
        val item = inbox.ui.await("received") { s -> s.items.any { it.preview == text } }
        return b to item.items.first { it.preview == text }.id
    }

    /** Writes the screen (or, for a dialog, the dialog: the newest root) to `<name>.png`. */
    private fun ComposeUiTest.save(name: String) {
        waitForIdle()
        out.mkdirs()
        val image = onAllNodes(isRoot()).onLast().captureToImage().toAwtImage()
        ImageIO.write(image, "png", File(out, "$name.png"))
    }

    /** A resumed lifecycle, as an activity on screen has (collectAsStateWithLifecycle wants one). */
    private object Resumed : LifecycleOwner {
        private val registry = LifecycleRegistry.createUnsafe(this).apply {
            currentState = Lifecycle.State.RESUMED
        }
        override val lifecycle: Lifecycle get() = registry
    }

    private fun screen(content: @Composable () -> Unit) = @Composable {
        CompositionLocalProvider(LocalLifecycleOwner provides Resumed) {
            MaterialTheme { Surface { content() } }
        }
    }

    @Test fun inbox() {
        val (b, _) = received("See you at eight")
        val inbox = InboxViewModel(b.client, scope, b.hub)
        inbox.ui.await("listed") { it.items.isNotEmpty() }
        runComposeUiTest {
            setContent(screen { InboxScreen(inbox, onOpen = {}, onCompose = {}, onSecurity = {}) })
            onNodeWithText("Messages").assertExists()
            onNodeWithText("See you at eight").assertExists()
            onNodeWithText("Dinner").assertExists()
            save("inbox")
        }
    }

    @Test fun conversation() {
        val (b, id) = received("Call tel:+19005550100 tonight")
        val vm = ConversationViewModel(b.client, scope)
        runBlocking { vm.open(id, sendReadReport = false).join() }
        runComposeUiTest {
            setContent(screen { ConversationScreen(vm, id, onLink = {}, image = { null }) })
            onNodeWithTag("text").assertExists()
            onNodeWithText("Call tel:+19005550100 tonight").assertExists()
            onNodeWithText("tel:+19005550100").assertExists()
            save("conversation")
        }
    }

    @Test fun compose() {
        val vm = ComposeViewModel(phone().client, scope)
        vm.setRecipients("+15550100")
        vm.setSubject("Photos")
        vm.setText("Here they are")
        runComposeUiTest {
            setContent(screen { ComposeScreen(vm, onSent = {}) })
            onNodeWithText("Here they are").assertExists()
            onNodeWithTag("send").assertExists()
            save("compose")
        }
    }

    @Test fun linkConfirmation() {
        val (b, id) = received("Win! tel:+19005550100")
        val links = LinkConfirmationViewModel(b.client)
        runBlocking { links.tapped("tel:+19005550100", id) }
        check(links.ui.value is LinkSheet.Confirm) { "${links.ui.value}" }
        runComposeUiTest {
            setContent(screen { LinkSheetHost(links, perform = {}) })
            onNodeWithText("Open this link?").assertExists()
            onNodeWithTag("link-description").assertExists()
            onNodeWithText("premium-rate number", substring = true).assertExists()
            onNodeWithText("Continue").assertExists()
            save("link-confirmation")
        }
    }

    @Test fun provisioningWithPin() {
        val vm = ProvisioningViewModel(phone().client, scope)
        vm.received("127.0.0.1", provisioningPush("1234"))
        check(vm.ui.value is ProvisioningUi.NeedsPin)
        runComposeUiTest {
            setContent(screen { ProvisioningSheetHost(vm) })
            onNodeWithText("New MMS settings").assertExists()
            onNodeWithText("PIN from your operator").assertExists()
            save("provisioning-pin")
        }
    }

    @Test fun securityLog() {
        val c = phone()
        runBlocking { c.client.handlePush("127.0.0.1", hex(SPOOFED_PUSH)) }
        val log = SecurityLogViewModel(c.client)
        runBlocking { log.refresh() }
        check(log.ui.value.isNotEmpty())
        runComposeUiTest {
            setContent(screen { SecurityLogScreen(log) })
            onNodeWithText("Spoofed content location · PUSH-1").assertExists()
            check(onAllNodesWithTag("audit").fetchSemanticsNodes().isNotEmpty())
            save("security-log")
        }
    }
}
