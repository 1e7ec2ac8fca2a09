import Plumbing

/// An event as the log stores it: canonical JSON of strings and integers, with its type's name.
public protocol LedgerRecord: Codable, Sendable, Equatable {
    /// The event's name in the log ("issueApproved", "lotApproved").
    var type: String { get }
}

/// One registry's rules as a pure state machine over its own hash-chained log (registry-design
/// §0.1): Jiangyin's eco-vouchers and Shanwei's coastline indicators are two domains, two
/// registries kept by two bureaux, each its own ledger (file or database). The stores, the chain,
/// verification and replay are written once, over this protocol.
public protocol RegistryDomain: Sendable {
    associatedtype State: Sendable, Equatable
    associatedtype Command: Codable, Sendable, Equatable
    associatedtype Record: LedgerRecord
    associatedtype Rules: Sendable
    /// The ledger's kind, stored with it ("jiangyin-eco-voucher"): a ledger of one kind is never opened as another.
    static var name: String { get }
    static func initial() -> State
    /// Decides a command: the due transitions of what it touches first (I16), then its events or a refusal. No I/O.
    static func decide(_ state: State, _ command: Command, by actor: Actor, at now: Instant, rules: Rules) -> (records: [Record], refusal: Refusal?)
    static func apply(_ record: Record, to state: inout State)
    /// The projection rows (aggregate keys) a record may change, given the state after it.
    static func keys(of record: Record, in state: State) -> [String]
    /// Every projection key of a state.
    static func keys(of state: State) -> [String]
    /// The projection row of `key`: canonical text, nil when the state has no such aggregate.
    static func row(_ key: String, in state: State) -> String?
}

extension VoucherRecord: LedgerRecord {
    public var type: String { event.type }
}

/// The Jiangyin eco-voucher registry (JY 15–36) as a domain.
public enum JiangyinVouchers: RegistryDomain {
    public static let name = "jiangyin-eco-voucher"
    public static func initial() -> VoucherRegistry { VoucherRegistry() }
    public static func decide(_ state: VoucherRegistry, _ command: VoucherCommand, by actor: Actor, at now: Instant,
                              rules: VoucherTradingRules) -> (records: [VoucherRecord], refusal: Refusal?) {
        let d = VoucherRules.decide(state, command, by: actor, at: now, rules: rules)
        return (d.records, d.refusal)
    }
    public static func apply(_ record: VoucherRecord, to state: inout VoucherRegistry) { VoucherRules.apply(record, to: &state) }
    public static func keys(of record: VoucherRecord, in state: VoucherRegistry) -> [String] {
        switch record.event {
        case .issuePrepared: return []
        case .split(let parent, let child, _): return [parent, child]
        case .useRecorded(let n, let child, _, _): return [n, child]
        case .issueApproved(let n, _), .directSaleRecorded(let n, _, _, _), .boughtOutAtMinimumPrice(let n, _, _), .holderChangeRegistered(let n, _),
             .surrendered(let n, _), .cancelled(let n, _), .returned(let n), .lossNoticePublished(let n, _, _), .lossNoticeWithdrawn(let n),
             .reissuePrepared(let n), .reissued(let n), .listed(let n, _, _, _, _, _), .bidCommitted(let n, _, _, _), .bidRevealed(let n, _, _, _, _),
             .auctionEvaluated(let n, _, _, _, _, _), .pledged(let n, _), .dealingConsented(let n, _, _), .pledgeReleased(let n, _):
            return [n]
        case .offeredToPlan(let n, let plan, _, _): return [n, "plan " + plan]
        case .purchasePlanPublished(let plan, _, _, _): return ["plan " + plan]
        }
    }
    public static func keys(of state: VoucherRegistry) -> [String] { state.vouchers.keys.sorted() + state.purchasePlans.keys.map { "plan " + $0 } }
    public static func row(_ key: String, in state: VoucherRegistry) -> String? {
        if key.hasPrefix("plan ") {
            return state.purchasePlans[String(key.dropFirst(5))].map { p in
                String(decoding: EventLog.canonical(["plan": p.id, "remaining": "\(p.remaining)", "fenPerUnit": "\(p.fenPerUnit)", "closes": "\(p.closes.milliseconds)"]), as: UTF8.self)
            }
        }
        return state.vouchers[key].map { String(decoding: EventLog.canonical(VoucherRow($0)), as: UTF8.self) }
    }
}

/// A voucher's projection row: what the register shows of it.
public struct VoucherRow: Sendable, Equatable, Codable {
    public var number: String, issuance: String, first: Int64, last: Int64, holder: String
    public var edition: Int, reissued: Bool, state: String, firstSaleDeadline: Int64, firstSaleDone: Bool
    /// The pledgee while pledged (JY 14), and the one operation it consented to.
    public var pledgee: String?, pledgeConsent: String?
    public init(_ v: Voucher) {
        (pledgee, pledgeConsent) = (v.pledgee, v.pledgeConsent)
        (number, issuance, first, last, holder) = (v.number, v.issuance, v.range.first, v.range.last, v.holder)
        (edition, reissued, state, firstSaleDeadline, firstSaleDone) = (v.edition, v.reissued, Self.stateText(v.state), v.firstSaleDeadline.milliseconds, v.firstSaleDone)
    }

    /// A voucher's state as the projection stores it ("held", "surrendered GY-7 by alice", …).
    public static func stateText(_ s: Voucher.State) -> String {
        switch s {
        case .held: return "held"
        case let .pendingHolderChange(buyer, price, total, buyout):
            return "pending-holder-change to \(buyer) at \(price) fen/unit, \(total) fen\(buyout ? " (buyout at the minimum price, JY 27)" : "")"
        case let .surrendered(landRef, by): return "surrendered \(landRef) by \(by)"
        case .cancelled(let ref): return "cancelled \(ref)"
        case .lossNoticed(let d): return "loss-noticed \(d)"
        case .listed(let a):
            return "listed \(a.id) asking \(a.askingFenPerUnit) fen/unit, closes \(a.closes), \(a.bids.count) bids, \(a.bids.filter { $0.revealed != nil }.count) revealed"
        }
    }
}

/// Supply per state, for the public register (I1: the totals of one projection): vouchers in
/// base units by state kind, lots in centimetres by state kind. Personal data never enters it.
public enum Supply {
    public static func vouchers(_ s: VoucherRegistry) -> [(state: String, baseUnits: Int64)] {
        var t: [String: Int64] = [:]
        for v in s.vouchers.values {
            let k: String
            switch v.state {
            case .held: k = v.pledgee == nil ? "held" : "held, pledged"
            case .pendingHolderChange: k = "pending holder change"
            case .surrendered: k = "surrendered"
            case .cancelled: k = "cancelled"
            case .lossNoticed: k = "loss noticed"
            case .listed: k = "listed"
            }
            t[k, default: 0] += v.quantity
        }
        return t.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
    public static func lots(_ s: IndicatorRegistry) -> [(state: String, centimetres: Int64)] {
        var t: [String: Int64] = [:]
        for l in s.lots.values { t[String(LotRow.stateText(l.state).prefix { $0 != " " }), default: 0] += l.centimetres }
        return t.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
