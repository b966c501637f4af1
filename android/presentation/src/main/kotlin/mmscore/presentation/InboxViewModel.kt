// The inbox: every message, newest first, kept current from the library's events; download,
// delete and the notifications the user has not fetched yet.
package mmscore.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.MessageSummary

/** One row of the inbox. */
data class InboxItem(
    val id: Long,
    val incoming: Boolean,
    val peer: String,
    val subject: String,
    val status: String,
    val unread: Boolean,
    /** A notification the user can fetch (automatic download was off or failed). */
    val canDownload: Boolean,
)

data class InboxState(
    val items: List<InboxItem> = emptyList(),
    val error: String? = null,
    val securityAlerts: Int = 0,
)

class InboxViewModel(
    private val client: Client,
    private val scope: CoroutineScope,
    hub: EventHub,
) {
    private val state = MutableStateFlow(InboxState())
    val ui: StateFlow<InboxState> = state.asStateFlow()

    init {
        scope.launch {
            hub.events.collect { e ->
                if (e.kind == "security") {
                    state.value = state.value.copy(securityAlerts = state.value.securityAlerts + 1)
                }
                if (e.kind == "message_received") {
                    // The app has the message once it is listed: tell the library, which then
                    // acknowledges it to the MMSC.
                    runCatching { client.confirmDelivered(e.messageId) }
                }
                refresh()
            }
        }
        refresh()
    }

    fun refresh() {
        state.value = try {
            state.value.copy(items = client.messages().sortedByDescending { it.id }.map(::item), error = null)
        } catch (e: ClientException) {
            state.value.copy(error = e.message)
        }
    }

    fun download(id: Long) = act { client.download(id) }

    fun delete(id: Long) = act { client.delete(id) }

    private fun act(block: suspend () -> Unit) {
        scope.launch {
            try {
                block()
            } catch (e: ClientException) {
                state.value = state.value.copy(error = e.message)
            }
            refresh()
        }
    }

    companion object {
        fun item(m: MessageSummary) = InboxItem(
            id = m.id,
            incoming = m.direction == "in",
            peer = displayAddress(m.from),
            subject = m.subject ?: "",
            status = statusText(m.state),
            unread = m.direction == "in" && !m.read,
            canDownload = m.direction == "in" && m.state == "NOTIFIED",
        )

        /** What a journal state means to the user. */
        fun statusText(state: String): String = when (state) {
            "NOTIFIED" -> "Tap to download"
            "DOWNLOADING" -> "Downloading…"
            "DOWNLOADED", "DELIVERED", "ACKNOWLEDGED" -> ""
            "QUEUED", "SUBMITTING" -> "Sending…"
            "RETRY_WAIT" -> "Waiting to retry"
            "SENT" -> "Sent"
            "FAILED" -> "Not sent"
            "EXPIRED" -> "Expired on the server"
            "CANCELLED" -> "Withdrawn"
            "DELETING" -> "Deleting…"
            else -> state
        }
    }
}

/** An address as a person reads it: the `/TYPE=PLMN` suffix of MMS addresses dropped. */
fun displayAddress(a: String?): String = a?.substringBefore("/TYPE=") ?: ""
