// RESPOND_VIA_MESSAGE ("reply with a message" to an incoming call), which the default SMS app
// must handle. This app sends MMS only: it has nothing to send for a quick reply and says so by
// stopping at once (the platform then offers nothing from it).
package mmscore.app.platform

import android.app.Service
import android.content.Intent
import android.os.IBinder

class HeadlessSmsSendService : Service() {
    override fun onBind(intent: Intent?): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        stopSelf(startId)
        return START_NOT_STICKY
    }
}
