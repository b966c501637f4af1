// The library's events as a cold Flow: collecting registers a listener with the client, and
// cancelling the collector unregisters it (Client.addListener / ListenerHandle.unregister).
// Events arrive on a library thread; the Flow buffers them for the collector's dispatcher.
package mmscore

import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent

/**
 * Every event of this client from the moment of collection, typed (`MmsEvent` is a sealed
 * class: `when` over it is exhaustive). Up to [capacity] events wait for a slow collector; past
 * that the oldest are dropped (the inbox re-reads the store on the next one anyway).
 */
fun Client.events(capacity: Int = 256): Flow<MmsEvent> = callbackFlow {
    val handle = addListener(object : EventListener {
        override fun onEvent(event: MmsEvent) {
            trySend(event)
        }
    })
    awaitClose { handle.unregister() }
}.buffer(capacity, BufferOverflow.DROP_OLDEST)
