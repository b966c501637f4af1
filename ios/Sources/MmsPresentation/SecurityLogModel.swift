// The security log (AUDIT-1), newest first, readable.
import Foundation
import MmsCore

public struct SecurityLine: Identifiable, Equatable {
    public let id = UUID()
    public let at: UInt64
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

    public func refresh(reason: String? = nil, limit: Int64 = 200) {
        lines = ((try? client.auditLog(reason: reason, limit: limit)) ?? []).map {
            let words = $0.reason.replacingOccurrences(of: "_", with: " ")
            return SecurityLine(at: $0.at, title: words.prefix(1).uppercased() + String(words.dropFirst()),
                                threat: $0.threat, subject: $0.subject, detail: $0.detail)
        }
    }
}
