// The library's events as an AsyncStream (the Swift counterpart of the Kotlin `Client.events()`
// Flow): iterating registers a listener with the client, and ending the iteration (or
// cancelling its task) unregisters it (Client.addListener / ListenerHandle.unregister).
// Part of MmsCore beside the generated bindings; the bindings' XCTest suite compiles it too.
import Foundation
#if canImport(MmsFfi)
import MmsFfi
#endif

/// Forwards events from a library thread into an AsyncStream.
final class StreamListener: EventListener, @unchecked Sendable {
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
    /// Up to `buffer` events wait for a slow consumer; past that the oldest are dropped. The
    /// listener stays registered while the stream lives: iterate it inline
    /// (`for await e in client.events()`) or cancel the iterating task, rather than keeping the
    /// stream in a variable after its loop ended.
    public func events(buffer: Int = 256) -> AsyncStream<MmsEvent> {
        AsyncStream(bufferingPolicy: .bufferingNewest(buffer)) { continuation in
            let handle = self.addListener(listener: StreamListener(continuation))
            continuation.onTermination = { _ in _ = handle.unregister() }
        }
    }
}
