// The inbox: conversations, the most recently active first, one page per call, kept current
// from the library's typed events.
import Combine
import Foundation
import MmsCore

public struct InboxItem: Identifiable, Equatable, Sendable {
    public let id: Int64
    public let key: String
    public let incoming: Bool
    public let peer: String
    public let subject: String
    public let preview: String
    public let status: String
    public let unread: Int
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
            switch e {
            case .security: self.securityAlerts += 1
            case .messageReceived(let id, _, _):
                Task { try? await client.confirmDelivered(id: id); await self.refresh() }
            default: break
            }
            Task { await self.refresh() }
        }
        Task { await refresh() }
    }

    public func refresh() async {
        do {
            let page = try await client.conversations(page: PageRequest(before: nil, limit: 100))
            items = page.items.map { InboxModel.item($0) }
            error = nil
        } catch {
            self.error = error.localizedDescription
        }
    }

    public func download(_ id: Int64) { act { try await self.client.download(id: id) } }
    public func delete(_ id: Int64) { act { _ = try await self.client.delete(id: id) } }

    private func act(_ body: @escaping @MainActor () async throws -> Void) {
        Task {
            do { try await body() } catch { self.error = error.localizedDescription }
            await self.refresh()
        }
    }

    nonisolated static func item(_ c: Conversation) -> InboxItem {
        let m = c.last
        return InboxItem(id: m.id, key: c.key, incoming: m.direction == .incoming,
                         peer: c.peers.map { displayAddress($0) }.joined(separator: ", "),
                         subject: m.subject ?? "", preview: m.preview ?? "",
                         status: statusText(m.state), unread: Int(c.unread),
                         canDownload: m.direction == .incoming && m.state == .notified)
    }

    /// What a journal state means to the user (the same words as the Android app).
    nonisolated public static func statusText(_ state: MessageState) -> String {
        switch state {
        case .notified: return "Tap to download"
        case .downloading: return "Downloading…"
        case .downloaded, .delivered, .acknowledged: return ""
        case .queued, .submitting: return "Sending…"
        case .retryWait: return "Waiting to retry"
        case .sent: return "Sent"
        case .failed: return "Not sent"
        case .expired: return "Expired on the server"
        case .cancelled: return "Withdrawn"
        case .deleting: return "Deleting…"
        }
    }
}
