import Crypto
import Foundation
import Plumbing

/// The append-only, hash-chained log of registry events (registry-design §2, I5). Event n
/// stores `prev` = the hash of event n−1 and
/// `hash = SHA-256("ecocredit/event/v1" ‖ u64be(seq) ‖ prev ‖ u32be(len type) ‖ type ‖ u64be(len payload) ‖ payload)`,
/// every field length-prefixed so that no shift of bytes between fields keeps a hash. The payload
/// is the record's canonical JSON (sorted keys; strings, integers and booleans only), stored as
/// the bytes that were hashed. Replaying the payloads rebuilds the registry.
public struct EventLog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var seq: UInt64
        public var type: String
        public var payload: [UInt8]
        public var prev: [UInt8]
        public var hash: [UInt8]
        public init(seq: UInt64, type: String, payload: [UInt8], prev: [UInt8], hash: [UInt8]) {
            self.seq = seq; self.type = type; self.payload = payload; self.prev = prev; self.hash = hash
        }
    }
    public private(set) var entries: [Entry] = []
    public init() {}
    public init(entries: [Entry]) { self.entries = entries }

    /// The hash before the first event: 32 zero bytes.
    public static let genesis = [UInt8](repeating: 0, count: 32)
    public var head: [UInt8] { entries.last?.hash ?? Self.genesis }

    /// Appends records in order (the caller holds the append lock).
    public mutating func append<R: LedgerRecord>(_ records: [R]) {
        entries += Self.chain(records, after: UInt64(entries.count), head: head)
    }

    /// The entries `records` become when appended after event `seq` whose hash is `head`: what a
    /// store appends knowing only its head.
    public static func chain<R: LedgerRecord>(_ records: [R], after seq: UInt64, head: [UInt8]) -> [Entry] {
        var out: [Entry] = [], prev = head, n = seq
        for r in records {
            let payload = canonical(r)
            n += 1
            let e = Entry(seq: n, type: r.type, payload: payload, prev: prev, hash: hash(seq: n, prev: prev, type: r.type, payload: payload))
            out.append(e); prev = e.hash
        }
        return out
    }

    /// Canonical JSON of any value the registry stores: sorted keys, no escaped slashes — the same
    /// bytes for the same value (event payloads, and the store's requests and answers).
    public static func canonicalJSON<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(value)
    }

    /// A record's canonical bytes.
    public static func canonical<R: Encodable>(_ r: R) -> [UInt8] { Array((try? canonicalJSON(r)) ?? Data()) }

    public static func hash(seq: UInt64, prev: [UInt8], type: String, payload: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: Array("ecocredit/event/v1".utf8))
        h.update(data: bigEndian(seq, 8))
        h.update(data: prev)
        let t = Array(type.utf8)
        h.update(data: bigEndian(UInt64(t.count), 4)); h.update(data: t)
        h.update(data: bigEndian(UInt64(payload.count), 8)); h.update(data: payload)
        return Array(h.finalize())
    }
    static func bigEndian(_ v: UInt64, _ bytes: Int) -> [UInt8] { (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    /// What `verify` found wrong, naming the first sequence number where the chain breaks.
    public enum Damage: Error, Equatable, CustomStringConvertible {
        /// The event at `seq` is missing, out of order or inserted (its number is not its place).
        case sequence(at: UInt64)
        /// `prev` does not name the previous event's hash (an event deleted, inserted or reordered).
        case link(at: UInt64)
        /// The stored hash is not that of the stored bytes (an event edited).
        case hash(at: UInt64)
        /// The payload does not decode as a record of its type.
        case payload(at: UInt64)
        /// The log ends before the head recorded elsewhere (truncated).
        case truncated(expected: UInt64, found: UInt64)
        public var description: String {
            switch self {
            case .sequence(let s): return "[LEDGER.SEQUENCE] event \(s): its number is not its place in the log"
            case .link(let s): return "[LEDGER.LINK] event \(s): prev is not the previous event's hash"
            case .hash(let s): return "[LEDGER.HASH] event \(s): its hash is not that of its bytes"
            case .payload(let s): return "[LEDGER.PAYLOAD] event \(s): the payload is not a record of its type"
            case let .truncated(e, f): return "[LEDGER.TRUNCATED] the log ends at event \(f), the head names event \(e)"
            }
        }
    }

    /// Checks every link and hash; `expectedHead`: the last (seq, hash) published (a signed
    /// checkpoint), so that a truncated log is found too. Returns the records, decoded.
    public func verify(expectedHead: (seq: UInt64, hash: [UInt8])? = nil) throws -> [VoucherRecord] {
        try verify(VoucherRecord.self, expectedHead: expectedHead)
    }

    /// `verify` for a log of `R` records.
    public func verify<R: LedgerRecord>(_: R.Type, expectedHead: (seq: UInt64, hash: [UInt8])? = nil) throws -> [R] {
        var prev = Self.genesis
        var records: [R] = []
        for (i, e) in entries.enumerated() {
            guard e.seq == UInt64(i + 1) else { throw Damage.sequence(at: UInt64(i + 1)) }
            guard e.prev == prev else { throw Damage.link(at: e.seq) }
            guard e.hash == Self.hash(seq: e.seq, prev: e.prev, type: e.type, payload: e.payload) else { throw Damage.hash(at: e.seq) }
            guard let r = try? JSONDecoder().decode(R.self, from: Data(e.payload)), r.type == e.type,
                  Self.canonical(r) == e.payload else { throw Damage.payload(at: e.seq) }
            records.append(r)
            prev = e.hash
        }
        if let h = expectedHead {
            guard UInt64(entries.count) >= h.seq else { throw Damage.truncated(expected: h.seq, found: UInt64(entries.count)) }
            // An empty ledger's head is (0, genesis); event 0 does not exist to compare with.
            guard h.seq == 0 ? h.hash == Self.genesis : entries[Int(h.seq) - 1].hash == h.hash else { throw Damage.hash(at: h.seq) }
        }
        return records
    }

    /// The registry the log describes.
    public func replay() throws -> VoucherRegistry { try replay(JiangyinVouchers.self) }

    /// The state of domain `D` the log describes.
    public func replay<D: RegistryDomain>(_: D.Type) throws -> D.State {
        var s = D.initial()
        for r in try verify(D.Record.self) { D.apply(r, to: &s) }
        return s
    }
}
