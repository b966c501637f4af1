// The confirmation sheet for links in messages (LINK-1..4): a chargeable or unusual action is
// released only after the user confirms what the library described; blocked ones never are.
package mmscore.presentation

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.LinkException

sealed class LinkSheet {
    object Hidden : LinkSheet()
    /** Shown to the user: what will happen, and a confirm button. */
    data class Confirm(val uri: String, val description: String, val token: String) : LinkSheet()
    /** Explained, with no way to go on. */
    data class Blocked(val uri: String, val reason: String, val threat: String?) : LinkSheet()
    /** The action the platform may now perform (a URI with nothing hidden in it). */
    data class Released(val uri: String) : LinkSheet()
}

class LinkConfirmationViewModel(private val client: Client) {
    private val state = MutableStateFlow<LinkSheet>(LinkSheet.Hidden)
    val ui: StateFlow<LinkSheet> = state.asStateFlow()
    private var messageId = ""

    /** The user tapped `uri` in message `messageId`. */
    fun tapped(uri: String, messageId: String) {
        this.messageId = messageId
        val r = client.requestLink(uri, messageId)
        val token = r.token
        state.value = if (r.decision == "needs_confirmation" && token != null) {
            LinkSheet.Confirm(uri, r.description, token)
        } else {
            LinkSheet.Blocked(uri, r.reason ?: r.description, r.threat)
        }
    }

    fun confirm() {
        val s = state.value as? LinkSheet.Confirm ?: return
        state.value = try {
            LinkSheet.Released(client.confirmLink(s.token, messageId, s.uri))
        } catch (e: LinkException.NotConfirmed) {
            LinkSheet.Blocked(s.uri, e.reason, null)
        }
    }

    fun dismiss() { state.value = LinkSheet.Hidden }
}
