// Opens the one Client of the app: the database in the app's files, the carrier profile from
// the app's settings (or, for UI tests, from instrumentation arguments), the platform's MMS
// network as transport, and the event hub every screen listens to.
package mmscore.app

import android.app.Application
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import mmscore.app.platform.AndroidMmsTransport
import mmscore.presentation.EventHub
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent

/** What the platform receivers need from the application: its client and a scope to run in. */
interface ClientHolder {
    val client: Client
    val scope: CoroutineScope
}

class MmsApplication : Application(), ClientHolder {
    override val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    override lateinit var client: Client
        private set
    /** Every event of the open client, for every screen (collects `client.events()`). */
    lateinit var hub: EventHub
        private set
    /** Why the client could not be opened (a bad carrier profile); the UI shows it. */
    var openError: String? = null
        private set

    override fun onCreate() {
        super.onCreate()
        openClient(carrierProfile())
    }

    /** (Re)opens the client with `profileToml`; the UI tests point it at the mock MMSC. */
    fun openClient(profileToml: String, transport: uniffi.mms_ffi.Mm1Transport? = AndroidMmsTransport(this)) {
        val db = File(filesDir, "mms.db").path
        val ignore = object : EventListener { override fun onEvent(event: MmsEvent) {} }
        client = try {
            if (transport == null) Client.open(db, profileToml, ignore)
            else Client.openWithTransport(db, profileToml, transport, ignore)
        } catch (e: ClientException) {
            // A bad profile must not crash the app: open with the bundled one and say why.
            openError = e.message
            val bundled = assets.open("carrier.toml").bufferedReader().use { it.readText() }
            Client.openWithTransport(db, bundled, AndroidMmsTransport(this), ignore)
        }
        hub = EventHub(client, scope)
        scope.launch { runCatching { client.reconcile() } }
    }

    private fun carrierProfile(): String =
        getSharedPreferences("carrier", MODE_PRIVATE).getString("profile_toml", null)
            ?: assets.open("carrier.toml").bufferedReader().use { it.readText() }
}
