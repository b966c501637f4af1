// One activity, four screens (inbox, conversation, compose, security log) and two sheets
// (link confirmation, provisioning confirmation), switched by plain state.
package mmscore.app

import android.content.Intent
import android.graphics.BitmapFactory
import android.net.Uri
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.graphics.asImageBitmap
import mmscore.screens.ComposeScreen
import mmscore.screens.ConversationScreen
import mmscore.screens.InboxScreen
import mmscore.screens.LinkSheetHost
import mmscore.screens.ProvisioningSheetHost
import mmscore.screens.SecurityLogScreen
import kotlinx.coroutines.launch

class MainActivity : ComponentActivity() {
    private val models: ScreenModels by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // "Send a message to" (SENDTO / SEND with sms:, smsto:, mms:, mmsto:): compose to them.
        val sendTo = recipientsOf(intent)
        if (sendTo != null) models.compose.setRecipients(sendTo)
        setContent {
            MaterialTheme {
                var screen by rememberSaveable { mutableStateOf(if (sendTo != null) "compose" else "inbox") }
                var openId by rememberSaveable { mutableStateOf(0L) }
                val ui = rememberCoroutineScope()
                BackHandler(enabled = screen != "inbox") { screen = "inbox" }
                when (screen) {
                    "conversation" -> ConversationScreen(
                        models.conversation, openId,
                        onLink = { uri -> ui.launch { models.links.tapped(uri, openId) } },
                        image = { b -> BitmapFactory.decodeByteArray(b, 0, b.size)?.asImageBitmap() },
                    )
                    "compose" -> ComposeScreen(models.compose) { screen = "inbox" }
                    "security" -> SecurityLogScreen(models.securityLog)
                    else -> InboxScreen(
                        models.inbox,
                        onOpen = { id -> openId = id; screen = "conversation" },
                        onCompose = { screen = "compose" },
                        onSecurity = { screen = "security" },
                    )
                }
                LinkSheetHost(models.links) { released ->
                    startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(released)))
                }
                ProvisioningSheetHost(models.provisioning)
            }
        }
    }

    /** The recipients of a SENDTO/SEND intent's `sms:`/`mms:` URI, or null for other intents. */
    private fun recipientsOf(intent: Intent?): String? {
        if (intent?.action != Intent.ACTION_SENDTO && intent?.action != Intent.ACTION_SEND) return null
        val data = intent.data ?: return null
        if (data.scheme !in setOf("sms", "smsto", "mms", "mmsto")) return null
        return Uri.decode(data.schemeSpecificPart.substringBefore('?'))
    }
}
