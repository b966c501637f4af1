// The confirmation sheet for links in messages (LINK-1..4).
import Combine
import Foundation
import MmsCore

public enum LinkSheet: Equatable {
    case hidden
    case confirm(uri: String, description: String, token: String)
    case blocked(uri: String, reason: String, threat: String?)
    case released(LinkAction)
}

@MainActor
public final class LinkConfirmationModel: ObservableObject {
    @Published public private(set) var sheet = LinkSheet.hidden
    private let client: Client
    private var messageId: Int64 = 0

    public init(client: Client) { self.client = client }

    /// The user tapped `uri` in message `messageId` (the row id the inbox gave).
    public func tapped(_ uri: String, messageId: Int64) async {
        self.messageId = messageId
        do {
            let r = try await client.requestLink(uri: uri, id: messageId)
            if r.decision == .needsConfirmation, let token = r.token {
                sheet = .confirm(uri: uri, description: r.description, token: token)
            } else {
                sheet = .blocked(uri: uri, reason: r.reason ?? r.description, threat: r.threat)
            }
        } catch {
            sheet = .blocked(uri: uri, reason: error.localizedDescription, threat: nil)
        }
    }

    public func confirm() async {
        guard case .confirm(let uri, _, let token) = sheet else { return }
        do {
            sheet = .released(try await client.confirmLink(token: token, id: messageId, uri: uri))
        } catch {
            sheet = .blocked(uri: uri, reason: error.localizedDescription, threat: nil)
        }
    }

    public func dismiss() { sheet = .hidden }
}
