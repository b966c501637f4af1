// The security log (AUDIT-1), newest first, readable.
import Combine
import Foundation
import MmsCore

public struct SecurityLine: Identifiable, Equatable {
    public let id = UUID()
    /// Milliseconds since the epoch.
    public let atMs: UInt64
    public let title: String
    public let threat: String?
    public let subject: String
    public let detail: String
}

@MainActor
public final class SecurityLogModel: ObservableObject {
    @Published public private(set) var lines: [SecurityLine] = []
    private let client: Client

    public init(client: Client) { self.client = client }

    public func refresh(reason: String? = nil, limit: Int64 = 200) async {
        lines = ((try? await client.auditLog(reason: reason, limit: limit)) ?? []).map {
            let words = $0.reason.replacingOccurrences(of: "_", with: " ")
            return SecurityLine(atMs: $0.atMs, title: words.prefix(1).uppercased() + String(words.dropFirst()),
                                threat: $0.threat, subject: $0.subject, detail: $0.detail)
        }
    }
}
