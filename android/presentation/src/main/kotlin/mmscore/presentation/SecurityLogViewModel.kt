// The security log: every decision the library made against something (AUDIT-1), newest
// first, readable.
package mmscore.presentation

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import uniffi.mms_ffi.AuditRow
import uniffi.mms_ffi.Client

data class SecurityLine(val atMs: Long, val title: String, val threat: String?, val subject: String, val detail: String)

class SecurityLogViewModel(private val client: Client) {
    private val state = MutableStateFlow<List<SecurityLine>>(emptyList())
    val ui: StateFlow<List<SecurityLine>> = state.asStateFlow()

    /** Safe from any dispatcher (see [offUi]). */
    suspend fun refresh(reason: String? = null, limit: Long = 200) {
        state.value = offUi { client.auditLog(reason, limit) }.map(::line)
    }

    companion object {
        fun line(r: AuditRow) = SecurityLine(
            atMs = r.atMs.toLong(),
            title = r.reason.replace('_', ' ').replaceFirstChar { it.uppercase() },
            threat = r.threat,
            subject = r.subject,
            detail = r.detail,
        )
    }
}
