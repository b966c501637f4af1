// A stand-in for the slice of Apple's Combine that MmsPresentation uses (ObservableObject,
// @Published, PassthroughSubject, AnyCancellable), so that the iOS app's models type-check
// against the real bindings on Linux, where Combine does not exist
// (scripts/swift-in-trixie.sh). It only has to type-check: nothing here is run.
public protocol ObservableObject: AnyObject {}

@propertyWrapper
public struct Published<Value> {
    public var wrappedValue: Value
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
}

public final class AnyCancellable {
    public init(_ cancel: @escaping () -> Void = {}) {}
}

public final class PassthroughSubject<Output, Failure: Error> {
    public init() {}
    public func send(_ value: Output) {}
    public func sink(receiveValue: @escaping (Output) -> Void) -> AnyCancellable { AnyCancellable() }
}
