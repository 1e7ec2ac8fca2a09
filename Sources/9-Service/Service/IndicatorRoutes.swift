import Foundation
import Hummingbird
import Plumbing
import Registry
import ServiceAPI

/// The Shanwei coastline-indicator registry over HTTP (SW 19–28): the municipal library's lots,
/// the sale auctions with their publicity, the ledger's head and events — readable by anyone,
/// with no bid disclosed before its reveal — and every registry command: `POST /v1/sw/lots`
/// enters a job's checked indicator metres as a lot, `POST /v1/sw/commands` takes every other
/// command. Each POST carries an `Idempotency-Key`; every reply the ledger sequence number.
struct IndicatorRoutes: Sendable {
    let registry: RegistryEndpoints<ShanweiIndicators>

    func add(to router: Router<ServiceContext>) {
        router.get("/v1/sw/lots") { _, _ -> Response in
            let snap = try await registry.ledger.snapshot()
            return try json(LotList(ledgerSeq: snap.seq, lots: Self.rows(snap.state)))
        }
        router.get("/v1/sw/lots/:lot") { _, context -> Response in
            let lot = try context.parameters.require("lot")
            let snap = try await registry.ledger.snapshot()
            guard let row = Self.rows(snap.state).first(where: { $0.lot == lot }) else {
                throw RegistryRefusal(code: "REG.UNKNOWN_LOT", zh: "没有此编号的指标批次", en: "no such lot", article: nil, ledgerSeq: snap.seq)
            }
            return try json(row)
        }
        router.get("/v1/sw/auctions") { _, _ -> Response in
            let snap = try await registry.ledger.snapshot()
            return try json(AuctionList(ledgerSeq: snap.seq, auctions: snap.state.auctions.keys.sorted().map { AuctionRow(snap.state.auctions[$0]!) }))
        }
        router.get("/v1/sw/ledger/head") { _, _ -> Response in try await registry.head() }
        router.get("/v1/sw/ledger/events") { request, context -> Response in try await registry.events(request, context: context) }
        router.post("/v1/sw/lots") { request, context -> Response in
            let actor = try context.requireActor()
            let key = try RegistryEndpoints<ShanweiIndicators>.idempotencyKey(request)
            let lot = try await RegistryEndpoints<ShanweiIndicators>.body(LotRequest.self, of: request, upTo: 16 << 10)
            let source = try await registry.source(ofJob: lot.job, quantity: "indicatorMetres", by: actor)
            return try await registry.run(.prepareLot(lot: lot.lot, source: source, funding: Funding(socialShare: lot.socialShare, district: lot.district)),
                                          by: actor, key: key)
        }
        router.post("/v1/sw/commands") { request, context -> Response in
            let actor = try context.requireActor()
            let key = try RegistryEndpoints<ShanweiIndicators>.idempotencyKey(request)
            let command = try await registry.command(request)
            if case .prepareLot = command { throw ServiceError.badBody(detail: "a lot is prepared from a job: POST /v1/sw/lots") }
            return try await registry.run(command, by: actor, key: key)
        }
    }

    /// Every lot: approved ones in the library (with their state) and those prepared and
    /// awaiting a second officer ("prepared"), by number.
    static func rows(_ s: IndicatorRegistry) -> [IndicatorLotRow] {
        var rows = s.lots.values.map { IndicatorLotRow($0) }
        rows += s.pendingLots.values.map { p in
            IndicatorLotRow(lot: p.id, centimetres: Int(p.source.quantity), state: .prepared, ref: nil, district: p.funding.district,
                   socialShare: p.funding.socialShare, bundleSHA256: p.source.bundleSHA256, rulebook: p.source.rulebook)
        }
        return rows.sorted { $0.lot < $1.lot }
    }
}

/// What POST /v1/sw/lots takes.
struct LotRequest: Codable, Sendable {
    var lot: String
    /// The job whose check gives the indicator metres.
    var job: String
    /// The social-capital share of the funding, a decimal from 0 to 1 (SW 11, 13).
    var socialShare: String
    /// The district as the rulebook's revenue table names it.
    var district: String
}

/// A lot as the public register shows it — the contract's `Lot` schema, generated from
/// openapi.yaml: centimetres (the ledger's unit; metres = cm / 100), its state (an enum the
/// document lists) and the plan or auction it is in, the funding, the bundle and rulebook.
typealias IndicatorLotRow = Components.Schemas.Lot

extension Components.Schemas.Lot {
    init(_ l: IndicatorLot) {
        let (state, ref): (StatePayload, String?) = switch l.state {
        case .available: (.available, nil)
        case .planned(let plan): (.planned, plan)
        case .inAuction(let a): (.inAuction, a)
        case .awarded(let a): (.awarded, a)
        case .contracted(let a): (.contracted, a)
        case .settled(let a): (.settled, a)
        case .revoked(let reason): (.revoked, reason)
        case .transferredOut(let trade): (.transferredOut, trade)
        }
        self.init(lot: l.id, centimetres: Int(l.centimetres), state: state, ref: ref, district: l.funding.district,
                  socialShare: l.funding.socialShare, bundleSHA256: l.source.bundleSHA256, rulebook: l.source.rulebook)
    }
}

struct LotList: Codable, Sendable {
    var ledgerSeq: UInt64
    var lots: [IndicatorLotRow]
}

/// An auction as anyone may see it — the contract's `Auction` schema, generated: its schedule and
/// reserve, how many bids were committed and revealed — never a bidder or a price before the
/// evaluation — and, once evaluated, the winner, the price and the publicity period's end (SW 26:
/// results are published).
typealias AuctionRow = Components.Schemas.Auction

extension Components.Schemas.Auction {
    init(_ a: IndicatorAuction) {
        let evaluated = a.phase != .open
        self.init(auction: a.id, plan: a.plan, phase: PhasePayload(rawValue: a.phase.rawValue)!,
                  reserveFenPerMetre: Int(a.reserveFenPerMetre),
                  opensMs: Int(a.opens.milliseconds), closesMs: Int(a.closes.milliseconds), revealEndsMs: Int(a.revealEnds.milliseconds),
                  bids: a.bids.count, revealed: a.bids.filter { $0.revealed != nil }.count,
                  winner: evaluated ? a.winner : nil, fenPerMetre: evaluated ? a.fenPerMetre.map(Int.init) : nil,
                  totalFen: evaluated ? a.totalFen.map(Int.init) : nil, publicityEndsMs: a.publicityEnds.map { Int($0.milliseconds) })
    }
}

struct AuctionList: Codable, Sendable {
    var ledgerSeq: UInt64
    var auctions: [AuctionRow]
}
