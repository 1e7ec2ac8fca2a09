import Foundation
import XCTest
@testable import GeoCore

/// A fresh temporary folder per test, removed afterwards.
func temporaryFolder(_ name: String = #function) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-\(name.filter(\.isLetter))-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// The stable code of the error `body` throws, or nil when it does not throw.
func errorCode(_ body: () throws -> Void) -> String? {
    do { try body(); return nil }
    catch let e as GeoError { return e.code }
    catch { return "unexpected: \(error)" }
}
