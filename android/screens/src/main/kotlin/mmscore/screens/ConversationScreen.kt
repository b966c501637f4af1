package mmscore.screens

import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import mmscore.presentation.ConversationViewModel
import mmscore.presentation.SlideContent

/** A message as its render plan says: text and allowed media in place, attachments behind a
 * tap, blocked parts named, links through the confirmation sheet. */
@Composable
fun ConversationScreen(
    vm: ConversationViewModel,
    id: Long,
    onLink: (String) -> Unit,
    /** Decodes an image part (the platform's codec: BitmapFactory on Android, Skia on desktop). */
    image: (ByteArray) -> ImageBitmap?,
) {
    LaunchedEffect(id) { vm.open(id, sendReadReport = true) }
    val state by vm.ui.collectAsStateWithLifecycle()
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text(state.from)
        if (state.participants.size > 1) Text("with " + state.participants.joinToString(", "))
        Text(state.subject, Modifier.testTag("subject"))
        state.error?.let { Text(it) }
        for (slide in state.slides) {
            for (c in slide.content) when (c) {
                is SlideContent.Text -> Text(c.text, Modifier.testTag("text"))
                is SlideContent.Media -> if (c.contentType.startsWith("image/")) {
                    image(c.data)?.let { Image(it, contentDescription = "image") }
                } else {
                    AssistChip(onClick = {}, label = { Text(c.contentType) })
                }
                is SlideContent.Attachment -> AssistChip(onClick = {}, label = { Text("${c.name} (${c.contentType})") })
                is SlideContent.Blocked -> Text("Blocked: ${c.name} (${c.reasons.joinToString()})")
            }
        }
        for (link in state.links) {
            TextButton(onClick = { onLink(link) }, modifier = Modifier.testTag("link")) { Text(link) }
        }
    }
}
