import Foundation

/// A file's bytes described as `count` pieces in order, any of which can be made on its own, on
/// any thread (`make(i)`): the file is the pieces one after the other.
///
/// The producer says what the pieces are; the consumer decides how to run them. `collect()`
/// makes them all on every core and returns them; an output folder makes them on every core
/// and hands each to its writing thread as soon as it and the ones before it are made, so that
/// hashing, writing and the disk's write-back of the first pieces run while the last are made
/// (`OutputFolder.write(_:_:)`).
public struct OrderedPieces: Sendable {
    public let count: Int
    public let make: @Sendable (Int) throws -> [UInt8]

    public init(count: Int, make: @escaping @Sendable (Int) throws -> [UInt8]) {
        self.count = count
        self.make = make
    }

    /// Every piece, made on all cores, in order.
    public func collect() throws -> [[UInt8]] {
        try Parallel.ranges(count, workers: count, minimumPerWorker: 1) { range in try range.map(make) }.flatMap { $0 }
    }

    /// The pieces run on all cores, each delivered as it is made (in any order, on the thread
    /// that made it); a piece's failure is delivered in its place, and the others are still made.
    public func makeEach(deliver: @Sendable (Int, Result<[UInt8], Error>) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count) { i in
            deliver(i, Result { try make(i) })
        }
    }

    /// Pieces `pieces` of bytes already made.
    public static func made(_ pieces: [[UInt8]]) -> OrderedPieces {
        OrderedPieces(count: pieces.count) { pieces[$0] }
    }

    /// `head`, then `body`'s pieces, then `tail`.
    public static func framed(head: [UInt8], _ body: OrderedPieces, tail: [UInt8]) -> OrderedPieces {
        OrderedPieces(count: body.count + 2) { i in
            i == 0 ? head : i == body.count + 1 ? tail : try body.make(i - 1)
        }
    }

    /// Rows per piece of a file made of many like rows (the transect files): small enough that
    /// the last pieces leave no core idle for long and the first reach the disk early, large
    /// enough that a piece's own costs (a buffer, a hand-over) do not count.
    public static let rowsPerPiece = 1024

    /// Boundaries splitting `total` items into about equal runs of at most `perRun` items
    /// (first 0, last `total`; one run when `total` is 0).
    public static func runs(_ total: Int, perRun: Int) -> [Int] {
        let n = max(1, (total + max(1, perRun) - 1) / max(1, perRun))
        return (0...n).map { total * $0 / n }
    }
}
