// The confirmation sheet for links in messages (LINK-1..4): a chargeable or unusual action is
// released only after the user confirms what the library described; blocked ones never are.
package mmscore.presentation

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ClientException
import uniffi.mms_ffi.LinkAction
import uniffi.mms_ffi.LinkDecisionKind
import uniffi.mms_ffi.LinkException

sealed class LinkSheet {
    object Hidden : LinkSheet()
    /** Shown to the user: what will happen, and a confirm button. */
    data class Confirm(val uri: String, val description: String, val token: String) : LinkSheet()
    /** Explained, with no way to go on. */
    data class Blocked(val uri: String, val reason: String, val threat: String?) : LinkSheet()
    /**
     * The sanitised action the platform may now perform (dial, compose, open), and the URI that
     * performs it, rebuilt from the action (nothing of the tapped link's text survives).
     */
    data class Released(val action: LinkAction) : LinkSheet() {
        val uri: String get() = uriOf(action)
    }
}

class LinkConfirmationViewModel(private val client: Client) {
    private val state = MutableStateFlow<LinkSheet>(LinkSheet.Hidden)
    val ui: StateFlow<LinkSheet> = state.asStateFlow()
    private var messageId = 0L

    /** The user tapped `uri` in message `messageId` (the row id the inbox gave). */
    suspend fun tapped(uri: String, messageId: Long) {
        this.messageId = messageId
        state.value = try {
            val r = offUi { client.requestLink(uri, messageId) }
            val token = r.token
            if (r.decision == LinkDecisionKind.NEEDS_CONFIRMATION && token != null) {
                LinkSheet.Confirm(uri, r.description, token)
            } else {
                LinkSheet.Blocked(uri, r.reason ?: r.description, r.threat)
            }
        } catch (e: ClientException) {
            LinkSheet.Blocked(uri, e.message ?: "no such message", null)
        }
    }

    suspend fun confirm() {
        val s = state.value as? LinkSheet.Confirm ?: return
        state.value = try {
            LinkSheet.Released(offUi { client.confirmLink(s.token, messageId, s.uri) })
        } catch (e: LinkException) {
            LinkSheet.Blocked(s.uri, e.message ?: "not confirmed", null)
        }
    }

    fun dismiss() { state.value = LinkSheet.Hidden }
}

private fun enc(s: String): String = java.net.URLEncoder.encode(s, "UTF-8").replace("+", "%20")

/** The URI that performs a released action on the platform. */
fun uriOf(a: LinkAction): String = when (a) {
    is LinkAction.Call -> "tel:" + enc(a.number)
    is LinkAction.SendTones -> "tel:" + enc(a.tones)
    is LinkAction.Sms -> "smsto:" + a.recipients.joinToString(",") { enc(it) } +
        (a.body?.let { "?body=" + enc(it) } ?: "")
    is LinkAction.Mms -> "mmsto:" + a.recipients.joinToString(",") { enc(it) } +
        (a.subject?.let { "?subject=" + enc(it) } ?: "")
    is LinkAction.Email -> "mailto:" + a.to.joinToString(",") { enc(it) } +
        (a.subject?.let { "?subject=" + enc(it) } ?: "")
    is LinkAction.OpenWeb -> a.url
    is LinkAction.OpenStream -> a.url
}
