import Foundation

/// A value behind a lock, shared between threads. `@unchecked Sendable`: every access to the
/// value goes through the lock.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: Value
    public init(_ value: Value) { _value = value }
    /// The value (a copy, read under the lock); setting replaces it under the lock.
    public var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return _value }
        set { lock.lock(); _value = newValue; lock.unlock() }
    }
    /// Runs `body` on the value under the lock.
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(&_value)
    }
}
