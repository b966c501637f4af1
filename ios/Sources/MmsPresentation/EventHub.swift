// The library's events fanned out to the screens on the main actor: one iteration of
// `client.events()` (the AsyncStream of MmsCore's ClientEvents.swift) shared by every model.
import Combine
import Foundation
import MmsCore

/// One collection of `client.events()` shared by every screen, delivered on the main actor.
@MainActor
public final class EventHub {
    public let events = PassthroughSubject<MmsEvent, Never>()
    private var task: Task<Void, Never>?

    public init(client: Client) {
        let stream = client.events()
        task = Task { @MainActor [weak self] in
            for await e in stream { self?.events.send(e) }
        }
    }

    deinit { task?.cancel() }
}

/// An address as a person reads it: the `/TYPE=PLMN` suffix of MMS addresses dropped.
public func displayAddress(_ a: String?) -> String {
    guard let a else { return "" }
    return a.components(separatedBy: "/TYPE=").first ?? a
}
