// Composing and sending: recipients, subject, text and attachments; the library checks the
// draft (recipients, size budget) and reports progress through events.
package mmscore.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart

data class Attachment(val name: String, val contentType: String, val data: ByteArray)

sealed class SendStatus {
    object Idle : SendStatus()
    object Sending : SendStatus()
    data class Sent(val id: Long) : SendStatus()
    /** The library refused or the MMSC failed; `message` is for the user. */
    data class Failed(val message: String) : SendStatus()
}

data class ComposeState(
    val recipients: String = "",
    val subject: String = "",
    val text: String = "",
    val attachments: List<Attachment> = emptyList(),
    val status: SendStatus = SendStatus.Idle,
) {
    val canSend: Boolean
        get() = recipientList.isNotEmpty() && (text.isNotBlank() || attachments.isNotEmpty()) &&
            status !is SendStatus.Sending

    val recipientList: List<String>
        get() = recipients.split(',', ';').map { it.trim() }.filter { it.isNotEmpty() }
}

class ComposeViewModel(private val client: Client, private val scope: CoroutineScope) {
    private val state = MutableStateFlow(ComposeState())
    val ui: StateFlow<ComposeState> = state.asStateFlow()

    fun setRecipients(v: String) { state.value = state.value.copy(recipients = v) }
    fun setSubject(v: String) { state.value = state.value.copy(subject = v) }
    fun setText(v: String) { state.value = state.value.copy(text = v) }
    fun attach(a: Attachment) { state.value = state.value.copy(attachments = state.value.attachments + a) }
    fun removeAttachment(i: Int) {
        state.value = state.value.copy(attachments = state.value.attachments.filterIndexed { k, _ -> k != i })
    }

    /** The screen has shown the result of a successful send: start a new draft. */
    fun sentHandled() {
        if (state.value.status is SendStatus.Sent) state.value = ComposeState()
    }

    fun send() {
        val s = state.value
        val parts = buildList {
            if (s.text.isNotBlank()) add(OutgoingPart("text/plain", "text.txt", s.text.toByteArray()))
            s.attachments.forEach { add(OutgoingPart(it.contentType, it.name, it.data)) }
        }
        state.value = s.copy(status = SendStatus.Sending)
        scope.launch {
            state.value = try {
                val id = client.send(OutgoingMessage(s.recipientList, s.subject.ifBlank { null }, parts, null, null))
                ComposeState(status = SendStatus.Sent(id))
            } catch (e: ClientException) {
                state.value.copy(status = SendStatus.Failed(failure(e)))
            }
        }
    }
}

/** What a failed send means to the user, by the error's variant. */
fun failure(e: ClientException): String = when (e) {
    is ClientException.TooLarge ->
        "Too large: ${e.size.toLong() / 1024} KB, the carrier allows ${e.max.toLong() / 1024} KB"
    is ClientException.NotProvisioned -> "MMS is not set up for this SIM yet"
    is ClientException.InvalidInput -> "Cannot send: ${e.reason}"
    is ClientException.Network -> if (e.transient) "Not sent yet: will retry" else "Not sent: ${e.reason}"
    is ClientException.NotFound, is ClientException.State -> "Not sent: ${e.message}"
    is ClientException.Storage, is ClientException.Internal, is ClientException.Profile ->
        "Not sent: ${e.message}"
}
