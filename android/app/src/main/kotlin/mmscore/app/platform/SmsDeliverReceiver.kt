// SMS_DELIVER, which only the default SMS app receives (and which makes the app eligible to be
// it). MMS arrives as WAP push, but a WAP push can also come as port-addressed SMS segments:
// each TPDU is handed to the library, which reassembles and judges pushes and ignores anything
// else. Text SMS are not this app's business and are left alone.
package mmscore.app.platform

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import kotlinx.coroutines.launch
import mmscore.app.ClientHolder

class SmsDeliverReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val app = context.applicationContext as? ClientHolder ?: return
        @Suppress("UNCHECKED_CAST", "DEPRECATION")
        val pdus = (intent.extras?.get("pdus") as? Array<Any?>)?.filterIsInstance<ByteArray>() ?: return
        if (pdus.isEmpty()) return
        val pending = goAsync()
        app.scope.launch {
            try {
                // The platform's PDUs start with the SMSC address.
                for (tpdu in pdus) runCatching { app.client.handleSms(tpdu, true) }
            } finally {
                pending.finish()
            }
        }
    }
}
