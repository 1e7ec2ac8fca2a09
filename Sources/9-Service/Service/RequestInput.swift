import Foundation
import Hummingbird
import Plumbing

/// What a request carries besides its path, read strictly: query parameters as the contract
/// types them, and bodies within their operation's limit. Anything else is a coded 400 or 413,
/// never a default put in its place.
extension Request {
    /// The one value of query parameter `name` as `parse` reads it; nil when the parameter is
    /// absent. A value `parse` refuses, or the parameter given twice with different values, is
    /// 400 `HTTP.BAD_QUERY` naming it and saying what it takes (`expected`).
    func query<T>(_ name: String, expected: Bilingual, _ parse: (String) -> T?) throws -> T? {
        let values = uri.queryParameters.getAll(name)
        guard let first = values.first else { return nil }
        guard values.allSatisfy({ $0 == first }), let value = parse(first) else {
            throw ServiceError.badQuery(name: name, value: String(values.joined(separator: ",").prefix(40)), expected: expected)
        }
        return value
    }

    /// Query parameter `name` as one of `words` (the contract's enum), `fallback` when absent: an
    /// annex asked for in "fr" is refused, not made in Chinese without a word.
    func queryWord(_ name: String, in words: [String], default fallback: String) throws -> String {
        let list = words.joined(separator: ", ")
        return try query(name, expected: .init(zh: "以下之一：\(list)", en: "one of \(list)")) { words.contains($0) ? $0 : nil } ?? fallback
    }

    /// Query parameter `name` as decimal digits within `range` (the contract's minimum and
    /// maximum), `fallback` when absent: a paging cursor that is not one is refused, not read as
    /// the log's start.
    func queryInteger<T: FixedWidthInteger>(_ name: String, in range: ClosedRange<T>, default fallback: T) throws -> T {
        let expected = Bilingual(zh: "\(range.lowerBound) 到 \(range.upperBound) 的整数", en: "an integer from \(range.lowerBound) to \(range.upperBound)")
        return try query(name, expected: expected) { text in
            guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = T(text), range.contains(n) else { return nil }
            return n
        } ?? fallback
    }

    /// The whole body, at most `limit` bytes: over that, 413 `HTTP.BODY_TOO_LARGE` with its code
    /// (NIO's own error would be a bare 413).
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        do { return try await body.collect(upTo: limit) } catch let e as HTTPResponseError where e.status == .contentTooLarge {
            throw ServiceError.bodyTooLarge(limit: limit)
        }
    }
}
