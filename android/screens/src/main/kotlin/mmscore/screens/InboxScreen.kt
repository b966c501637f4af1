package mmscore.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Badge
import androidx.compose.material3.BadgedBox
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FloatingActionButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Warning
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import mmscore.presentation.InboxViewModel

@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun InboxScreen(vm: InboxViewModel, onOpen: (Long) -> Unit, onCompose: () -> Unit, onSecurity: () -> Unit) {
    val state by vm.ui.collectAsStateWithLifecycle()
    Scaffold(
        topBar = {
            TopAppBar(title = { Text("Messages") }, actions = {
                IconButton(onClick = onSecurity, modifier = Modifier.testTag("security")) {
                    BadgedBox(badge = { if (state.securityAlerts > 0) Badge { Text("${state.securityAlerts}") } }) {
                        Icon(Icons.Filled.Warning, contentDescription = "Security log")
                    }
                }
            })
        },
        floatingActionButton = {
            FloatingActionButton(onClick = onCompose, modifier = Modifier.testTag("compose")) {
                Icon(Icons.Filled.Add, contentDescription = "New message")
            }
        },
    ) { padding ->
        LazyColumn(Modifier.padding(padding)) {
            items(state.items, key = { it.id }) { item ->
                Row(
                    Modifier.fillMaxWidth().clickable(enabled = !item.canDownload) { onOpen(item.id) }
                        .padding(16.dp).testTag("message-${item.id}"),
                ) {
                    Column(Modifier.weight(1f)) {
                        Text(item.peer, fontWeight = if (item.unread > 0) FontWeight.Bold else FontWeight.Normal)
                        if (item.subject.isNotEmpty()) Text(item.subject)
                        if (item.preview.isNotEmpty()) Text(item.preview, maxLines = 1, modifier = Modifier.testTag("preview"))
                        if (item.status.isNotEmpty()) Text(item.status)
                    }
                    if (item.canDownload) TextButton(onClick = { vm.download(item.id) }) { Text("Download") }
                    TextButton(onClick = { vm.delete(item.id) }) { Text("Delete") }
                }
            }
        }
    }
}
