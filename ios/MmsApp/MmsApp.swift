// The SwiftUI app: one Client (database in Application Support, carrier profile from the
// settings or, for UI tests, from the launch environment), the event hub, four screens and two
// sheets. iOS gives apps no WAP push or MMS network, so on a device this app shows the library
// over ordinary HTTP; its pushes come through the library's WDP/UDP receiver (the mock MMSC in
// the UI tests).
import MmsCore
import MmsPresentation
import SwiftUI

@main
struct MmsApp: App {
    @StateObject private var env = AppEnvironment()

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(env)
                .environmentObject(env.inbox)
                .environmentObject(env.links)
                .environmentObject(env.provisioning)
                .environmentObject(env.conversation)
                .environmentObject(env.compose)
                .environmentObject(env.securityLog)
        }
    }
}

@MainActor
final class AppEnvironment: ObservableObject {
    let hub: EventHub
    let client: Client
    /// Why the stored carrier profile could not be used, if it could not.
    private(set) var openError: String?
    let inbox: InboxModel
    let links: LinkConfirmationModel
    let provisioning: ProvisioningModel
    let conversation: ConversationModel
    let compose: ComposeModel
    let securityLog: SecurityLogModel

    init() {
        let env = ProcessInfo.processInfo.environment
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.appendingPathComponent("mms.db")
        if env["MMS_RESET"] != nil { try? FileManager.default.removeItem(at: db) }
        let profile = env["MMS_PROFILE"]
            ?? UserDefaults.standard.string(forKey: "profile_toml")
            ?? "mmsc_url = \"http://mmsc.example.net/mms\"\n"
        // A bad profile must not crash the app: fall back to the bundled one and say why.
        do {
            client = try Client.open(dbPath: db.path, profileToml: profile, listener: IgnoreEvents())
        } catch {
            openError = error.localizedDescription
            // The built-in profile is a constant of the app, not user data: it always parses.
            client = try! Client.open(dbPath: db.path,
                                      profileToml: "mmsc_url = \"http://mmsc.example.net/mms\"\n",
                                      listener: IgnoreEvents())
        }
        hub = EventHub(client: client)
        inbox = InboxModel(client: client, hub: hub)
        links = LinkConfirmationModel(client: client)
        provisioning = ProvisioningModel(client: client)
        conversation = ConversationModel(client: client)
        compose = ComposeModel(client: client)
        securityLog = SecurityLogModel(client: client)
        let client = self.client
        Task {
            _ = try? await client.reconcile()
            if let bind = env["MMS_PUSH_BIND"] { _ = try? await client.startPushReceiver(bind: bind) }
        }
    }
}
