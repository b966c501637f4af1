package mmscore.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import mmscore.presentation.SecurityLogViewModel

@Composable
fun SecurityLogScreen(vm: SecurityLogViewModel) {
    LaunchedEffect(Unit) { vm.refresh() }
    val lines by vm.ui.collectAsStateWithLifecycle()
    LazyColumn {
        items(lines) { l ->
            Column(Modifier.padding(12.dp).testTag("audit")) {
                Text("${l.title}${l.threat?.let { " · $it" } ?: ""}")
                Text(l.subject)
                Text(l.detail)
            }
        }
    }
}
