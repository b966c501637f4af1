// OTA settings (OTA-1..7): a provisioning push is verified (with the PIN the user types, or
// the network PIN), the changes are shown, and nothing is applied until the user confirms.
package mmscore.presentation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.ProvisioningFailure
import uniffi.mms_ffi.inspectProvisioning

sealed class ProvisioningUi {
    object Idle : ProvisioningUi()
    /** A push arrived; what it would set (unverified) and whether the user must type a PIN. */
    data class NeedsPin(val origin: String, val push: ByteArray, val needsPin: Boolean, val mmscUrl: String?) : ProvisioningUi()
    /** Authentic: the user reviews the changes. `downgrade` flags a weaker setting (OTA-5). */
    data class Review(val token: String, val mmscUrl: String, val changes: List<String>, val downgrade: Boolean) : ProvisioningUi()
    data class Applied(val mmscUrl: String) : ProvisioningUi()
    data class Refused(val message: String, val threat: String?) : ProvisioningUi()
}

class ProvisioningViewModel(private val client: Client, private val scope: CoroutineScope) {
    private val state = MutableStateFlow<ProvisioningUi>(ProvisioningUi.Idle)
    val ui: StateFlow<ProvisioningUi> = state.asStateFlow()

    fun received(origin: String, push: ByteArray) {
        state.value = try {
            val seen = inspectProvisioning(push)
            ProvisioningUi.NeedsPin(origin, push, seen.needsPin, seen.mmscUrl)
        } catch (e: ProvisioningFailure) {
            ProvisioningUi.Refused(e.message ?: "not a provisioning document", null)
        }
    }

    fun submitPin(pin: String?) {
        val s = state.value as? ProvisioningUi.NeedsPin ?: return
        scope.launch {
            state.value = try {
                val p = client.verifyProvisioning(s.origin, s.push, pin, null)
                ProvisioningUi.Review(p.token, p.mmscUrl, p.changes.map { "${it.field}: ${it.old ?: "-"} -> ${it.new ?: "-"}" }, p.downgrade)
            } catch (e: ProvisioningFailure.Refused) {
                ProvisioningUi.Refused(e.message ?: e.code, e.threat)
            } catch (e: ProvisioningFailure) {
                ProvisioningUi.Refused(e.message ?: "refused", null)
            }
        }
    }

    fun confirm() {
        val s = state.value as? ProvisioningUi.Review ?: return
        scope.launch {
            state.value = try {
                ProvisioningUi.Applied(client.confirmProvisioning(s.token))
            } catch (e: ProvisioningFailure) {
                ProvisioningUi.Refused(e.message ?: "not applied", null)
            }
        }
    }

    fun reject() {
        val s = state.value as? ProvisioningUi.Review ?: return
        state.value = ProvisioningUi.Idle
        scope.launch { runCatching { client.rejectProvisioning(s.token) } }
    }
}
