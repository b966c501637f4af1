// One activity, four screens (inbox, conversation, compose, security log) and two sheets
// (link confirmation, provisioning confirmation), switched by plain state.
package mmscore.app

import android.content.Intent
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
import mmscore.app.ui.ComposeScreen
import mmscore.app.ui.ConversationScreen
import mmscore.app.ui.InboxScreen
import mmscore.app.ui.LinkSheetHost
import mmscore.app.ui.ProvisioningSheetHost
import mmscore.app.ui.SecurityLogScreen
import kotlinx.coroutines.launch

class MainActivity : ComponentActivity() {
    private val models: ScreenModels by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent {
            MaterialTheme {
                var screen by rememberSaveable { mutableStateOf("inbox") }
                var openId by rememberSaveable { mutableStateOf(0L) }
                val ui = rememberCoroutineScope()
                BackHandler(enabled = screen != "inbox") { screen = "inbox" }
                when (screen) {
                    "conversation" -> ConversationScreen(models.conversation, openId) { uri ->
                        ui.launch { models.links.tapped(uri, openId) }
                    }
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
}
