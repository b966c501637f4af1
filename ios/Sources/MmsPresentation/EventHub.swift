// The library's events as an AsyncStream: iterating registers a listener with the client, and
// ending the iteration (or cancelling its task) unregisters it (Client.addListener /
// ListenerHandle.unregister). The hub fans one stream out to the screens on the main actor.
import Combine
import Foundation
import MmsCore

/// Forwards events from a library thread into an AsyncStream.
private final class StreamListener: EventListener, @unchecked Sendable {
    let continuation: AsyncStream<MmsEvent>.Continuation
    init(_ continuation: AsyncStream<MmsEvent>.Continuation) { self.continuation = continuation }
    func onEvent(event: MmsEvent) { continuation.yield(event) }
}

/// A listener that ignores events (the constructors want one; screens use `events()`).
public final class IgnoreEvents: EventListener, @unchecked Sendable {
    public init() {}
    public func onEvent(event: MmsEvent) {}
}

extension Client {
    /// Every event of this client from now on, typed (`switch` over `MmsEvent` is exhaustive).
    /// Up to `buffer` events wait for a slow consumer; past that the oldest are dropped.
    public func events(buffer: Int = 256) -> AsyncStream<MmsEvent> {
        AsyncStream(bufferingPolicy: .bufferingNewest(buffer)) { continuation in
            let handle = self.addListener(listener: StreamListener(continuation))
            continuation.onTermination = { _ in _ = handle.unregister() }
        }
    }
}

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
