// The library's events fanned out to the screens: the one EventListener given to Client.open.
import Combine
import Foundation
import MmsCore

public final class EventHub: EventListener, @unchecked Sendable {
    public let events = PassthroughSubject<MmsEvent, Never>()
    public init() {}
    public func onEvent(event: MmsEvent) {
        DispatchQueue.main.async { self.events.send(event) }
    }
}

/// An address as a person reads it: the `/TYPE=PLMN` suffix of MMS addresses dropped.
public func displayAddress(_ a: String?) -> String {
    guard let a else { return "" }
    return a.components(separatedBy: "/TYPE=").first ?? a
}
