import MmsCore
import MmsPresentation
import SwiftUI

struct InboxView: View {
    @EnvironmentObject var env: AppEnvironment
    @EnvironmentObject var inbox: InboxModel

    var body: some View {
        List(inbox.items) { item in
            NavigationLink(value: item.id) {
                VStack(alignment: .leading) {
                    Text(item.peer).fontWeight(item.unread ? .bold : .regular)
                    Text(item.subject)
                    if !item.status.isEmpty { Text(item.status).font(.caption) }
                }
            }
            .disabled(item.canDownload)
            .accessibilityIdentifier("message-\(item.id)")
            .swipeActions {
                Button("Delete", role: .destructive) { inbox.delete(item.id) }
                if item.canDownload { Button("Download") { inbox.download(item.id) } }
            }
        }
        .navigationTitle("Messages")
        .navigationDestination(for: Int64.self) { id in ConversationView(id: id) }
        .toolbar {
            NavigationLink { SecurityLogView() } label: {
                Label("Security log (\(inbox.securityAlerts))", systemImage: "exclamationmark.shield")
            }.accessibilityIdentifier("security")
            NavigationLink { ComposeView() } label: {
                Label("New message", systemImage: "square.and.pencil")
            }.accessibilityIdentifier("compose")
        }
    }
}
