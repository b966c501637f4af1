// The README's "Use from Kotlin" example; compiled with the suite so it cannot rot.
package mmscore.example

import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.launch
import kotlinx.coroutines.coroutineScope
import mmscore.events
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart
import uniffi.mms_ffi.PageRequest

/** Sends a message and prints the inbox's first page; every call is `suspend`. */
suspend fun sendHello(dbPath: String, profileToml: String): Long = coroutineScope {
    val client = Client.open(dbPath, profileToml, object : EventListener {
        override fun onEvent(event: MmsEvent) {}
    })
    val watcher = launch {
        client.events().collect { e ->
            when (e) {
                is MmsEvent.SendResult -> println("message ${e.id} sent: ${e.ok}")
                is MmsEvent.Security -> println("blocked: ${e.row.reason} (${e.row.threat})")
                else -> {}
            }
        }
    }
    val id = client.send(
        OutgoingMessage(
            to = listOf("+15550002"),
            subject = "Hello",
            parts = listOf(OutgoingPart("text/plain", "hello.txt", "Hello!".toByteArray())),
            deliveryReport = true,
            readReport = null,
        )
    )
    val inbox = client.conversations(PageRequest(before = null, limit = 50u))
    inbox.items.forEach { c -> println("${c.peers} (${c.unread} unread): ${c.last.preview}") }
    watcher.cancel()
    id
}
