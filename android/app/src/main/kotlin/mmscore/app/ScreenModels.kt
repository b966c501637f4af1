// The presentation layer's view models held by androidx ViewModels, so that they live across
// configuration changes and run in viewModelScope.
package mmscore.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import mmscore.presentation.ComposeViewModel
import mmscore.presentation.ConversationViewModel
import mmscore.presentation.InboxViewModel
import mmscore.presentation.LinkConfirmationViewModel
import mmscore.presentation.ProvisioningViewModel
import mmscore.presentation.SecurityLogViewModel

class ScreenModels(application: Application) : AndroidViewModel(application) {
    private val app = application as MmsApplication
    val inbox = InboxViewModel(app.client, viewModelScope, app.hub)
    val conversation = ConversationViewModel(app.client, viewModelScope)
    val compose = ComposeViewModel(app.client, viewModelScope)
    val links = LinkConfirmationViewModel(app.client)
    val provisioning = ProvisioningViewModel(app.client, viewModelScope)
    val securityLog = SecurityLogViewModel(app.client)
}
