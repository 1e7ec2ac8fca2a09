import Foundation

/// A seeded random number generator (SplitMix64) for property tests and workloads: the same
/// seed gives the same sequence on every machine. Tests print the seed they use, and take
/// another from `ECOCREDIT_SEED`, so a failure can be reproduced.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed; state = seed }

    /// The seed of `ECOCREDIT_SEED`, else `fallback`; printed with the test's name.
    public static func forTest(_ name: String, fallback: UInt64 = 20261203) -> SeededGenerator {
        let seed = ProcessInfo.processInfo.environment["ECOCREDIT_SEED"].flatMap(UInt64.init) ?? fallback
        print("\(name): seed \(seed) (ECOCREDIT_SEED=\(seed) repeats it)")
        return SeededGenerator(seed: seed)
    }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(next() >> 11) / Double(1 << 53) }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
