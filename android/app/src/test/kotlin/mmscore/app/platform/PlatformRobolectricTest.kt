// The platform side of the app under Robolectric (Android 15, API 35), against the real library
// and the real mock MMSC: WAP pushes delivered as the system delivers them (WAP_PUSH_DELIVER
// with the push's parts as extras) reach the library through WapPushReceiver and are judged;
// SMS_DELIVER hands its TPDUs to the library without storing ordinary texts; the MMS transport
// waits for the MMS network it requested and fails as a connection failure when there is none.
// Run by android/ci/check.sh (no Gradle here); with the Android SDK, by `gradle :app:test`.
package mmscore.app.platform

import android.app.Application
import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import android.net.ConnectivityManager
import android.os.Looper
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.runBlocking
import mmscore.app.ClientHolder
import mmscore.testsupport.MockMmscRule
import mmscore.testsupport.SPOOFED_PUSH
import mmscore.testsupport.hex
import mmscore.testsupport.notificationPush
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.ClassRule
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MessageState
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.TransportFailure

/** The application as the receivers see it: a client and a scope. */
class TestApp : Application(), ClientHolder {
    override val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    override lateinit var client: Client
}

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class, manifest = Config.NONE)
class PlatformRobolectricTest {
    companion object {
        @ClassRule @JvmField
        val env = MockMmscRule("robolectric")
        private val mmsc get() = env.mmsc
        private val work get() = env.work
    }

    private object Ignore : EventListener {
        override fun onEvent(event: MmsEvent) {}
    }

    /** The test application with a client whose profile trusts the platform's push path. */
    private fun app(): TestApp {
        val app = RuntimeEnvironment.getApplication() as TestApp
        val number = env.number("+1555730")
        app.client = Client.open(File(work, "$number.db").path, """
            mmsc_url = "${mmsc.url}"
            line1 = "$number"
            push_origins = ["${WapPushReceiver.ORIGIN}"]
            auto_download = "never"
        """.trimIndent(), Ignore)
        return app
    }

    /** The system's delivery of a WSP push: TID, PDU type, headers and body as extras. */
    private fun deliver(context: Context, wsp: ByteArray) {
        val headersLength = wsp[2].toInt()
        val intent = Intent("android.provider.Telephony.WAP_PUSH_DELIVER")
            .putExtra("transactionId", wsp[0].toInt())
            .putExtra("pduType", wsp[1].toInt())
            .putExtra("header", wsp.copyOfRange(3, 3 + headersLength))
            .putExtra("data", wsp.copyOfRange(3 + headersLength, wsp.size))
        context.sendBroadcast(intent)
        shadowOf(Looper.getMainLooper()).idle()
    }

    private fun eventually(what: String, ok: () -> Boolean) {
        val end = System.currentTimeMillis() + 10_000
        while (!ok()) {
            if (System.currentTimeMillis() > end) throw AssertionError("timed out: $what")
            Thread.sleep(20)
        }
    }

    @Test fun aNotificationFromTheRadioIsStoredAndASpoofedOneIsRejected() {
        val app = app()
        app.registerReceiver(WapPushReceiver(), IntentFilter("android.provider.Telephony.WAP_PUSH_DELIVER"))
        deliver(app, notificationPush("r1", "+15557399", "${mmsc.url}/r1"))
        eventually("stored") { runBlocking { app.client.messages() }.any { it.state == MessageState.NOTIFIED } }
        deliver(app, hex(SPOOFED_PUSH))
        eventually("audited") { runBlocking { app.client.auditLog(null, 10) }.any { it.threat == "PUSH-1" } }
        // The spoofed one stored nothing.
        assertEquals(1, runBlocking { app.client.messages() }.size)
    }

    @Test fun anOrdinaryTextDeliveredAsSmsIsLeftAlone() {
        val app = app()
        app.registerReceiver(SmsDeliverReceiver(), IntentFilter("android.provider.Telephony.SMS_DELIVER"))
        // SMSC +15550000, SMS-DELIVER from +15557398, GSM 7-bit "hi".
        val tpdu = hex("07915155000000F0040B915155378993F80000622011301550000" + "2E834")
        app.sendBroadcast(Intent("android.provider.Telephony.SMS_DELIVER").putExtra("pdus", arrayOf<Any>(tpdu)))
        shadowOf(Looper.getMainLooper()).idle()
        Thread.sleep(200)
        assertTrue(runBlocking { app.client.messages() }.isEmpty())
    }

    @Test fun theTransportWaitsForTheMmsNetworkAndFailsAsAConnectionFailureWithoutOne() {
        val app = RuntimeEnvironment.getApplication()
        val transport = AndroidMmsTransport(app)
        val failure = java.util.concurrent.CompletableFuture<Throwable?>()
        Thread {
            failure.complete(runCatching { transport.get("http://mmsc.example/m1", emptyList()) }.exceptionOrNull())
        }.start()
        val connectivity = app.getSystemService(ConnectivityManager::class.java)!!
        val shadow = shadowOf(connectivity)
        eventually("network requested") { shadow.networkCallbacks.isNotEmpty() }
        shadow.networkCallbacks.forEach { it.onUnavailable() }
        val e = failure.get(10, java.util.concurrent.TimeUnit.SECONDS)
        assertTrue("$e", e is TransportFailure.Connect)
        // The request is released after the exchange.
        eventually("released") { shadow.networkCallbacks.isEmpty() }
    }
}
