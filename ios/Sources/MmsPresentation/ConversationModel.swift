// One message as its render plan says: text and allowed media in place, attachments behind a
// tap, blocked parts named, links through the confirmation sheet.
import Combine
import Foundation
import MmsCore

public enum SlideContent: Equatable {
    case text(String)
    case media(part: Int, contentType: String, data: Data)
    case attachment(part: Int, name: String, contentType: String)
    case blocked(name: String, reasons: [String])
}

public struct SlideUi: Equatable {
    public let durationMs: UInt64
    public let content: [SlideContent]
}

@MainActor
public final class ConversationModel: ObservableObject {
    @Published public private(set) var from = ""
    /// Everyone in the conversation but the user (more than one: a group).
    @Published public private(set) var participants: [String] = []
    @Published public private(set) var subject = ""
    @Published public private(set) var slides: [SlideUi] = []
    @Published public private(set) var links: [String] = []
    @Published public private(set) var read = false
    @Published public private(set) var error: String?
    private let client: Client

    public init(client: Client) { self.client = client }

    /// Loads message `id` in one call (message, parts without bytes, render plan), then the
    /// bytes of only the parts shown in place; marks it read.
    public func open(_ id: Int64, sendReadReport: Bool) async {
        do {
            let screen = try await client.message(id: id)
            from = displayAddress(screen.message.from)
            participants = screen.message.peers
            subject = screen.message.subject ?? ""
            var built: [SlideUi] = []
            if let plan = screen.plan {
                for s in plan.slides {
                    var content: [SlideContent] = []
                    for item in s.items where Int(item.part) < plan.parts.count {
                        let p = plan.parts[Int(item.part)]
                        let name = p.name ?? "part \(p.index)"
                        switch item.decision {
                        case .blocked: content.append(.blocked(name: name, reasons: p.reasons))
                        case .tapToOpen:
                            content.append(.attachment(part: Int(p.index), name: name, contentType: p.contentType))
                        case .auto:
                            let data = try await client.partData(id: id, index: p.index)
                            content.append(p.contentType.hasPrefix("text/plain")
                                ? .text(String(decoding: data, as: UTF8.self))
                                : .media(part: Int(p.index), contentType: p.contentType, data: data))
                        }
                    }
                    built.append(SlideUi(durationMs: s.durationMs, content: content))
                }
            }
            slides = built
            links = slides.flatMap(\.content).flatMap { c -> [String] in
                guard case .text(let t) = c else { return [] }
                return Self.findLinks(t)
            }
            _ = try await client.markRead(id: id, sendReport: sendReadReport)
            read = true
        } catch {
            self.error = error.localizedDescription
        }
    }

    /// What looks like a link in message text: only a candidate; the gate decides.
    static func findLinks(_ text: String) -> [String] {
        let pattern = #"(?i)\b(?:https?://|tel:|sms:|smsto:|mms:|mmsto:|mailto:|wtai://)[^\s<>"]+"#
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return re.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }
}
