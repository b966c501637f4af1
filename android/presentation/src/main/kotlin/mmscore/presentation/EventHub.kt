// The library's events fanned out to every screen's view model: one collection of
// Client.events() (mmscore/ClientFlows.kt) shared by all, started with the hub and stopped with
// its scope (which unregisters the listener).
package mmscore.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.shareIn
import mmscore.events
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.MmsEvent

class EventHub(client: Client, scope: CoroutineScope) {
    /** Every event, as it happens, typed. */
    val events: SharedFlow<MmsEvent> = client.events().shareIn(scope, SharingStarted.Eagerly)
}
