// WAP pushes from the platform (MMS notifications, reports, cancels, OTA provisioning): the
// intent's parts are put back together as the WSP push the library validates.
package mmscore.app.platform

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import kotlinx.coroutines.launch
import mmscore.app.ClientHolder

class WapPushReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val app = context.applicationContext as? ClientHolder ?: return
        val wsp = wspPush(
            tid = intent.getIntExtra("transactionId", 0),
            pduType = intent.getIntExtra("pduType", 0x06),
            headers = intent.getByteArrayExtra("header") ?: ByteArray(0),
            body = intent.getByteArrayExtra("data") ?: return,
        )
        val pending = goAsync()
        app.scope.launch {
            try {
                app.client.handlePush(ORIGIN, wsp)
            } finally {
                pending.finish()
            }
        }
    }

    companion object {
        /** The origin the carrier profile lists to trust the platform's push path. */
        const val ORIGIN = "android-wap-push"

        /** TID, PDU type, headers length (uintvar), headers, body. */
        fun wspPush(tid: Int, pduType: Int, headers: ByteArray, body: ByteArray): ByteArray {
            val len = mutableListOf<Byte>()
            var n = headers.size
            len.add((n and 0x7f).toByte())
            n = n ushr 7
            while (n > 0) {
                len.add(0, ((n and 0x7f) or 0x80).toByte())
                n = n ushr 7
            }
            return byteArrayOf(tid.toByte(), pduType.toByte()) + len.toByteArray() + headers + body
        }
    }
}
