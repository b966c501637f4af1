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

class MmsApplication : Application() {
    val hub = EventHub()
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    lateinit var client: Client
        private set

    override fun onCreate() {
        super.onCreate()
        openClient(carrierProfile())
    }

    /** (Re)opens the client with `profileToml`; the UI tests point it at the mock MMSC. */
    fun openClient(profileToml: String, transport: uniffi.mms_ffi.Mm1Transport? = AndroidMmsTransport(this)) {
        val db = File(filesDir, "mms.db").path
        client = if (transport == null) Client.open(db, profileToml, hub)
        else Client.openWithTransport(db, profileToml, transport, hub)
        scope.launch { client.reconcile() }
    }

    private fun carrierProfile(): String =
        getSharedPreferences("carrier", MODE_PRIVATE).getString("profile_toml", null)
            ?: assets.open("carrier.toml").bufferedReader().use { it.readText() }
}
