package mmscore.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import mmscore.presentation.LinkConfirmationViewModel
import mmscore.presentation.LinkSheet
import androidx.compose.runtime.rememberCoroutineScope
import kotlinx.coroutines.launch
import mmscore.presentation.ProvisioningUi
import mmscore.presentation.ProvisioningViewModel

/** The link confirmation sheet (LINK-1..4). */
@Composable
fun LinkSheetHost(vm: LinkConfirmationViewModel, perform: (String) -> Unit) {
    val sheet by vm.ui.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    when (val s = sheet) {
        is LinkSheet.Confirm -> AlertDialog(
            onDismissRequest = vm::dismiss,
            title = { Text("Open this link?") },
            text = { Text(s.description, Modifier.testTag("link-description")) },
            confirmButton = { TextButton(onClick = { scope.launch { vm.confirm() } }, modifier = Modifier.testTag("link-confirm")) { Text("Continue") } },
            dismissButton = { TextButton(onClick = vm::dismiss) { Text("Cancel") } },
        )
        is LinkSheet.Blocked -> AlertDialog(
            onDismissRequest = vm::dismiss,
            title = { Text("Blocked") },
            text = { Text("${s.reason}${s.threat?.let { " ($it)" } ?: ""}", Modifier.testTag("link-blocked")) },
            confirmButton = { TextButton(onClick = vm::dismiss) { Text("OK") } },
        )
        is LinkSheet.Released -> LaunchedEffect(s) { perform(s.uri); vm.dismiss() }
        LinkSheet.Hidden -> {}
    }
}

/** OTA settings: PIN entry, review of the changes, confirmation (OTA-1..7). */
@Composable
fun ProvisioningSheetHost(vm: ProvisioningViewModel) {
    val ui by vm.ui.collectAsStateWithLifecycle()
    when (val s = ui) {
        is ProvisioningUi.NeedsPin -> {
            var pin by remember { mutableStateOf("") }
            AlertDialog(
                onDismissRequest = {},
                title = { Text("New MMS settings") },
                text = {
                    Column {
                        Text("MMSC: ${s.mmscUrl ?: "none"} (not verified yet)")
                        if (s.needsPin) OutlinedTextField(pin, { pin = it }, label = { Text("PIN from your operator") })
                    }
                },
                confirmButton = { TextButton(onClick = { vm.submitPin(pin.ifEmpty { null }) }) { Text("Verify") } },
            )
        }
        is ProvisioningUi.Review -> AlertDialog(
            onDismissRequest = vm::reject,
            title = { Text(if (s.downgrade) "Weaker settings: check before applying" else "Apply these settings?") },
            text = { Column(Modifier.padding(4.dp)) { s.changes.forEach { Text(it) } } },
            confirmButton = { TextButton(onClick = vm::confirm) { Text("Apply") } },
            dismissButton = { TextButton(onClick = vm::reject) { Text("Reject") } },
        )
        is ProvisioningUi.Refused -> AlertDialog(
            onDismissRequest = {},
            title = { Text("Settings refused") },
            text = { Text(s.message) },
            confirmButton = {},
        )
        else -> {}
    }
}
