package mmscore.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import mmscore.presentation.ComposeViewModel
import mmscore.presentation.SendStatus

@Composable
fun ComposeScreen(vm: ComposeViewModel, onSent: () -> Unit) {
    val state by vm.ui.collectAsStateWithLifecycle()
    LaunchedEffect(state.status) {
        if (state.status is SendStatus.Sent) {
            vm.sentHandled()
            onSent()
        }
    }
    Column(Modifier.padding(16.dp)) {
        OutlinedTextField(state.recipients, vm::setRecipients, label = { Text("To") },
            modifier = Modifier.fillMaxWidth().testTag("to"))
        OutlinedTextField(state.subject, vm::setSubject, label = { Text("Subject") },
            modifier = Modifier.fillMaxWidth().testTag("subject-input"))
        OutlinedTextField(state.text, vm::setText, label = { Text("Message") },
            modifier = Modifier.fillMaxWidth().testTag("text-input"))
        state.attachments.forEachIndexed { i, a -> Text("${a.name} (${a.data.size} octets)", Modifier.testTag("attachment-$i")) }
        (state.status as? SendStatus.Failed)?.let { Text(it.message, Modifier.testTag("send-error")) }
        Button(onClick = vm::send, enabled = state.canSend, modifier = Modifier.testTag("send")) { Text("Send") }
    }
}
