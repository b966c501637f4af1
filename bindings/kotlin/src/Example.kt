// The README's "Use from Kotlin" example; compiled with the suite so it cannot rot.
package mmscore.example

import kotlinx.coroutines.runBlocking
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart

fun sendHello(dbPath: String, profileToml: String): Long {
    val client = Client.open(dbPath, profileToml, object : EventListener {
        override fun onEvent(event: MmsEvent) = println("${event.kind}: ${event.json}")
    })
    return runBlocking {
        client.send(
            OutgoingMessage(
                to = listOf("+15550002"),
                subject = "Hello",
                parts = listOf(OutgoingPart("text/plain", "hello.txt", "Hello!".toByteArray())),
                deliveryReport = true,
                readReport = null,
            )
        )
    }
}
