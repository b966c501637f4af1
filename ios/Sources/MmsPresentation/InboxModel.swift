// The inbox: every message, newest first, kept current from the library's events.
import Combine
import Foundation
import MmsCore

public struct InboxItem: Identifiable, Equatable {
    public let id: Int64
    public let incoming: Bool
    public let peer: String
    public let subject: String
    public let status: String
    public let unread: Bool
    public let canDownload: Bool
}

@MainActor
public final class InboxModel: ObservableObject {
    @Published public private(set) var items: [InboxItem] = []
    @Published public private(set) var error: String?
    @Published public private(set) var securityAlerts = 0
    private let client: Client
    private var subscription: AnyCancellable?

    public init(client: Client, hub: EventHub) {
        self.client = client
        subscription = hub.events.sink { [weak self] e in
            guard let self else { return }
            if e.kind == "security" { self.securityAlerts += 1 }
            if e.kind == "message_received" {
                Task { try? await client.confirmDelivered(id: e.messageId); self.refresh() }
            }
            self.refresh()
        }
        refresh()
    }

    public func refresh() {
        do {
            items = try client.messages().sorted { $0.id > $1.id }.map(Self.item)
            error = nil
        } catch {
            self.error = error.localizedDescription
        }
    }

    public func download(_ id: Int64) { act { try await self.client.download(id: id) } }
    public func delete(_ id: Int64) { act { _ = try await self.client.delete(id: id) } }

    private func act(_ body: @escaping () async throws -> Void) {
        Task {
            do { try await body() } catch { self.error = error.localizedDescription }
            self.refresh()
        }
    }

    static func item(_ m: MessageSummary) -> InboxItem {
        InboxItem(id: m.id, incoming: m.direction == "in", peer: displayAddress(m.from),
                  subject: m.subject ?? "", status: statusText(m.state),
                  unread: m.direction == "in" && !m.read,
                  canDownload: m.direction == "in" && m.state == "NOTIFIED")
    }

    /// What a journal state means to the user (the same words as the Android app).
    public static func statusText(_ state: String) -> String {
        switch state {
        case "NOTIFIED": return "Tap to download"
        case "DOWNLOADING": return "Downloading…"
        case "DOWNLOADED", "DELIVERED", "ACKNOWLEDGED": return ""
        case "QUEUED", "SUBMITTING": return "Sending…"
        case "RETRY_WAIT": return "Waiting to retry"
        case "SENT": return "Sent"
        case "FAILED": return "Not sent"
        case "EXPIRED": return "Expired on the server"
        case "CANCELLED": return "Withdrawn"
        case "DELETING": return "Deleting…"
        default: return state
        }
    }
}
