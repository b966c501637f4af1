import MmsCore
import MmsPresentation
import SwiftUI

struct RootView: View {
    @EnvironmentObject var env: AppEnvironment
    @EnvironmentObject var links: LinkConfirmationModel
    @EnvironmentObject var provisioning: ProvisioningModel
    @Environment(\.openURL) private var openURL

    var body: some View {
        NavigationStack {
            InboxView()
        }
        .sheet(isPresented: Binding(get: { links.sheet != .hidden && !isReleased }, set: { if !$0 { links.dismiss() } })) {
            LinkConfirmationSheet()
        }
        .onChange(of: links.sheet) { sheet in
            if case .released(let uri) = sheet, let url = URL(string: uri) {
                openURL(url)
                links.dismiss()
            }
        }
        .sheet(isPresented: Binding(get: { provisioning.state != .idle }, set: { if !$0 { provisioning.reject() } })) {
            ProvisioningSheet()
        }
    }

    private var isReleased: Bool {
        if case .released = links.sheet { return true }
        return false
    }
}
