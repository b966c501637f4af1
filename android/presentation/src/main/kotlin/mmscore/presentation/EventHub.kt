// The library's events as a Flow: the one EventListener the app gives Client.open, fanned out
// to every screen's view model.
package mmscore.presentation

import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent

class EventHub : EventListener {
    private val flow = MutableSharedFlow<MmsEvent>(
        extraBufferCapacity = 256,
        onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )

    /** Every event, as it happens (called on a library thread; collectors hop as they like). */
    val events: SharedFlow<MmsEvent> = flow.asSharedFlow()

    override fun onEvent(event: MmsEvent) {
        flow.tryEmit(event)
    }
}
