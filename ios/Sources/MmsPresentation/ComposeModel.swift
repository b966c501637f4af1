// Composing and sending; the library checks the draft (recipients, size budget).
import Combine
import Foundation
import MmsCore

public enum SendStatus: Equatable {
    case idle, sending
    case sent(Int64)
    case failed(String)
}

@MainActor
public final class ComposeModel: ObservableObject {
    @Published public var recipients = ""
    @Published public var subject = ""
    @Published public var text = ""
    @Published public var attachments: [(name: String, contentType: String, data: Data)] = []
    @Published public private(set) var status = SendStatus.idle
    private let client: Client

    public init(client: Client) { self.client = client }

    public var recipientList: [String] {
        recipients.split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public var canSend: Bool {
        !recipientList.isEmpty && (!text.trimmingCharacters(in: .whitespaces).isEmpty || !attachments.isEmpty)
            && status != .sending
    }

    public func send() {
        var parts: [OutgoingPart] = []
        if !text.isEmpty { parts.append(OutgoingPart(contentType: "text/plain", name: "text.txt", data: Data(text.utf8))) }
        parts += attachments.map { OutgoingPart(contentType: $0.contentType, name: $0.name, data: $0.data) }
        let message = OutgoingMessage(to: recipientList, subject: subject.isEmpty ? nil : subject,
                                      parts: parts, deliveryReport: nil, readReport: nil)
        status = .sending
        Task {
            do {
                let id = try await client.send(message: message)
                recipients = ""; subject = ""; text = ""; attachments = []
                status = .sent(id)
            } catch {
                status = .failed(error.localizedDescription)
            }
        }
    }
}
