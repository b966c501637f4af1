// The confirmation sheet for links in messages (LINK-1..4).
import Foundation
import MmsCore

public enum LinkSheet: Equatable {
    case hidden
    case confirm(uri: String, description: String, token: String)
    case blocked(uri: String, reason: String, threat: String?)
    case released(String)
}

@MainActor
public final class LinkConfirmationModel: ObservableObject {
    @Published public private(set) var sheet = LinkSheet.hidden
    private let client: Client
    private var messageId = ""

    public init(client: Client) { self.client = client }

    public func tapped(_ uri: String, messageId: String) {
        self.messageId = messageId
        let r = client.requestLink(uri: uri, messageId: messageId)
        if r.decision == "needs_confirmation", let token = r.token {
            sheet = .confirm(uri: uri, description: r.description, token: token)
        } else {
            sheet = .blocked(uri: uri, reason: r.reason ?? r.description, threat: r.threat)
        }
    }

    public func confirm() {
        guard case .confirm(let uri, _, let token) = sheet else { return }
        do {
            sheet = .released(try client.confirmLink(token: token, messageId: messageId, uri: uri))
        } catch {
            sheet = .blocked(uri: uri, reason: error.localizedDescription, threat: nil)
        }
    }

    public func dismiss() { sheet = .hidden }
}
