// The inbox: conversations, the most recently active first, one page per call (people, the
// newest message with the start of its text, unread count), kept current from the library's
// typed events; download and delete of the newest message.
package mmscore.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.Conversation
import uniffi.mms_ffi.Direction
import uniffi.mms_ffi.MessageState
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.PageRequest

/** One row of the inbox: a conversation. */
data class InboxItem(
    /** The conversation's key. */
    val key: String,
    /** Its newest message's row id. */
    val id: Long,
    val incoming: Boolean,
    val peer: String,
    val subject: String,
    /** The start of the newest message's text. */
    val preview: String,
    val status: String,
    val unread: Int,
    val dateMs: Long,
    /** The newest message is a notification the user can fetch. */
    val canDownload: Boolean,
)

data class InboxState(
    val items: List<InboxItem> = emptyList(),
    /** The cursor of the next page; null when everything is listed. */
    val next: Long? = null,
    val error: String? = null,
    val securityAlerts: Int = 0,
)

class InboxViewModel(
    private val client: Client,
    private val scope: CoroutineScope,
    hub: EventHub,
    private val pageSize: UInt = 50u,
) {
    private val state = MutableStateFlow(InboxState())
    val ui: StateFlow<InboxState> = state.asStateFlow()

    init {
        scope.launch {
            hub.events.collect { e ->
                when (e) {
                    is MmsEvent.Security ->
                        state.value = state.value.copy(securityAlerts = state.value.securityAlerts + 1)
                    // The app has the message once it is listed: tell the library, which then
                    // acknowledges it to the MMSC.
                    is MmsEvent.MessageReceived -> runCatching { client.confirmDelivered(e.id) }
                    else -> {}
                }
                reload()
            }
        }
        scope.launch { reload() }
    }

    /** Re-reads the first page (and as many more as were shown). */
    suspend fun reload() {
        val shown = maxOf(state.value.items.size.toUInt(), pageSize)
        state.value = try {
            val page = offUi { client.conversations(PageRequest(null, shown)) }
            state.value.copy(items = page.items.map(::item), next = page.next, error = null)
        } catch (e: ClientException) {
            state.value.copy(error = e.message)
        }
    }

    /** The user scrolled to the end: the next page. */
    fun more() {
        val next = state.value.next ?: return
        scope.launch {
            state.value = try {
                val page = client.conversations(PageRequest(next, pageSize))
                state.value.copy(items = state.value.items + page.items.map(::item), next = page.next)
            } catch (e: ClientException) {
                state.value.copy(error = e.message)
            }
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
            reload()
        }
    }

    companion object {
        fun item(c: Conversation) = InboxItem(
            key = c.key,
            id = c.last.id,
            incoming = c.last.direction == Direction.INCOMING,
            peer = c.peers.joinToString(", ") { displayAddress(it) },
            subject = c.last.subject ?: "",
            preview = c.last.preview ?: "",
            status = statusText(c.last.state),
            unread = c.unread.toInt(),
            dateMs = c.last.dateMs,
            canDownload = c.last.direction == Direction.INCOMING && c.last.state == MessageState.NOTIFIED,
        )

        /** What a journal state means to the user (exhaustive: a new state fails to compile). */
        fun statusText(state: MessageState): String = when (state) {
            MessageState.NOTIFIED -> "Tap to download"
            MessageState.DOWNLOADING -> "Downloading…"
            MessageState.DOWNLOADED, MessageState.DELIVERED, MessageState.ACKNOWLEDGED -> ""
            MessageState.QUEUED, MessageState.SUBMITTING -> "Sending…"
            MessageState.RETRY_WAIT -> "Waiting to retry"
            MessageState.SENT -> "Sent"
            MessageState.FAILED -> "Not sent"
            MessageState.EXPIRED -> "Expired on the server"
            MessageState.CANCELLED -> "Withdrawn"
            MessageState.DELETING -> "Deleting…"
        }
    }
}

/** An address as a person reads it: the `/TYPE=PLMN` suffix of MMS addresses dropped. */
fun displayAddress(a: String?): String = a?.substringBefore("/TYPE=") ?: ""
