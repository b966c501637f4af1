// One message shown the way its render plan says: slides in order, each part in place only
// when the plan allows it, attachments behind a tap, blocked parts named as blocked, links
// behind the confirmation sheet.
package mmscore.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.PartDecision

/** What a slide shows, ready for a UI. */
sealed class SlideContent {
    data class Text(val text: String) : SlideContent()
    /** An image, audio or video part rendered in place (the plan said `AUTO`). */
    data class Media(val part: Int, val contentType: String, val data: ByteArray) : SlideContent()
    /** An attachment opened only on request (`TAP_TO_OPEN`). */
    data class Attachment(val part: Int, val name: String, val contentType: String) : SlideContent()
    /** A part the library refused to open (`BLOCKED`), with why. */
    data class Blocked(val name: String, val reasons: List<String>) : SlideContent()
}

data class SlideUi(val durationMs: Long, val content: List<SlideContent>)

data class ConversationState(
    val id: Long = 0,
    val from: String = "",
    /** Everyone in the conversation but the user (more than one: a group). */
    val participants: List<String> = emptyList(),
    val subject: String = "",
    val slides: List<SlideUi> = emptyList(),
    /** Links found in the text parts; opening one goes through LinkConfirmationViewModel. */
    val links: List<String> = emptyList(),
    /** Marked read in the library (and a read report sent when asked for and allowed). */
    val read: Boolean = false,
    val error: String? = null,
)

class ConversationViewModel(private val client: Client, private val scope: CoroutineScope) {
    private val state = MutableStateFlow(ConversationState())
    val ui: StateFlow<ConversationState> = state.asStateFlow()

    /**
     * Loads message `id` (one call: the message, its parts' metadata and its render plan; then
     * the bytes of only the parts shown in place) and marks it read (sending a read report only
     * if `sendReadReport`).
     */
    fun open(id: Long, sendReadReport: Boolean): Job = scope.launch {
        try {
            val screen = client.message(id)
            val plan = screen.plan
            val slides = plan?.slides?.map { s ->
                SlideUi(s.durationMs.toLong(), s.items.mapNotNull { item ->
                    val p = plan.parts.getOrNull(item.part.toInt()) ?: return@mapNotNull null
                    val name = p.name ?: "part ${p.index}"
                    when (item.decision) {
                        PartDecision.BLOCKED -> SlideContent.Blocked(name, p.reasons)
                        PartDecision.TAP_TO_OPEN ->
                            SlideContent.Attachment(p.index.toInt(), name, p.contentType)
                        PartDecision.AUTO -> {
                            val data = client.partData(id, p.index)
                            if (p.contentType.startsWith("text/plain")) SlideContent.Text(data.decodeToString())
                            else SlideContent.Media(p.index.toInt(), p.contentType, data)
                        }
                    }
                })
            } ?: emptyList()
            val links = slides.flatMap { it.content }.filterIsInstance<SlideContent.Text>()
                .flatMap { LINK.findAll(it.text).map { m -> m.value }.toList() }
            val m = screen.message
            state.value = ConversationState(
                id, displayAddress(m.from), m.peers, m.subject ?: "", slides, links,
            )
            client.markRead(id, sendReadReport)
            state.value = state.value.copy(read = true)
        } catch (e: ClientException) {
            state.value = if (state.value.id == id) state.value.copy(error = e.message)
            else ConversationState(id = id, error = e.message)
        }
    }

    /** The bytes of an attachment the user tapped (read on demand, never with the listing). */
    suspend fun attachment(part: Int): ByteArray = offUi { client.partData(state.value.id, part.toUInt()) }

    companion object {
        /** What looks like a link in message text: only a candidate; the gate decides. */
        val LINK = Regex("""(?i)\b(?:https?://|tel:|sms:|smsto:|mms:|mmsto:|mailto:|wtai://)[^\s<>"]+""")
    }
}
