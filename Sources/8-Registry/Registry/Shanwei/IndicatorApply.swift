import Plumbing

extension ShanweiIndicators {
    /// Evolves the registry by one recorded event (what replay does).
    public static func apply(_ r: IndicatorRecord, to s: inout IndicatorRegistry) {
        switch r.event {
        case let .lotPrepared(id, source, funding, type):
            s.pendingLots[id] = PendingLot(id: id, source: source, funding: funding, districtType: type, preparedBy: r.actor.id)
        case let .lotApproved(id, cm):
            guard let p = s.pendingLots.removeValue(forKey: id) else { return }
            s.lots[id] = IndicatorLot(id: id, centimetres: cm, source: p.source, funding: p.funding, districtType: p.districtType, state: .available)
        case let .lotRevoked(id, reason):
            s.lots[id]?.state = .revoked(reason: reason)
        case let .planDrafted(id, lots, reserve, validUntil):
            let cm = lots.reduce(Int64(0)) { $0 + (s.lots[$1]?.centimetres ?? 0) }
            s.plans[id] = SalePlan(id: id, lots: lots, reserveFenPerMetre: reserve, validUntil: validUntil, draftedBy: r.actor.id, centimetres: cm)
        case let .planApproved(id, ref):
            s.plans[id]?.decisionRef = ref
            for l in s.plans[id]?.lots ?? [] { s.lots[l]?.state = .planned(plan: id) }
        case .planWithdrawn(let id), .planExpired(let id):
            s.plans[id]?.withdrawn = true
            for l in s.plans[id]?.lots ?? [] where s.lots[l]?.state == .planned(plan: id) { s.lots[l]?.state = .available }
        case let .auctionOpened(id, plan, reserve, opens, closes, revealEnds):
            s.plans[plan]?.auctions += 1
            s.auctions[id] = IndicatorAuction(id: id, plan: plan, reserveFenPerMetre: reserve, opens: opens, closes: closes, revealEnds: revealEnds)
            setLots(&s, plan, .inAuction(auction: id))
        case let .bidCommitted(id, bidder, commitment):
            s.auctions[id]?.bids.append(Auction.Bid(bidder: bidder, commitment: commitment, revealed: nil))
        case let .bidRevealed(id, bidder, price, _):
            if let i = s.auctions[id]?.bids.firstIndex(where: { $0.bidder == bidder }) { s.auctions[id]?.bids[i].revealed = price }
        case let .auctionEvaluated(id, winner, price, total, publicityEnds, _, _):
            guard var a = s.auctions[id] else { return }
            if let winner {
                (a.phase, a.winner, a.fenPerMetre, a.totalFen, a.publicityEnds) = (.awarded, winner, price, total, publicityEnds)
                setLots(&s, a.plan, .awarded(auction: id))
            } else {
                a.phase = .failed   // 流拍: the lots go back to the plan, which may be auctioned again
                setLots(&s, a.plan, .planned(plan: a.plan))
            }
            s.auctions[id] = a
        case let .objectionFiled(id, by, reason):
            s.auctions[id]?.objections.append("\(by): \(reason)")
            s.auctions[id]?.phase = .underReview
        case let .objectionDecided(id, upheld, _):
            guard let a = s.auctions[id] else { return }
            if upheld {
                s.auctions[id]?.phase = .annulled
                setLots(&s, a.plan, .planned(plan: a.plan))
            } else {
                s.auctions[id]?.phase = .awarded
            }
        case let .publicityEnded(id, due):
            s.auctions[id]?.phase = .final
            s.auctions[id]?.agreementDue = due
        case let .agreementSigned(id, ref, due):
            s.auctions[id]?.agreementRef = ref
            s.auctions[id]?.paymentDue = due
            s.auctions[id]?.phase = .contracted
            if let plan = s.auctions[id]?.plan { setLots(&s, plan, .contracted(auction: id)) }
        case let .paymentRecorded(id, fen, _):
            s.auctions[id]?.paidFen += fen
        case let .revenueSplitRecorded(id, parts):
            s.splits[id] = parts
            s.auctions[id]?.phase = .settled
            if let plan = s.auctions[id]?.plan { setLots(&s, plan, .settled(auction: id)) }
        case .pieceSurveyed, .occupationRecorded, .restorationRecorded, .postTradeCheckRecorded, .purchaseApplied, .allocationRecorded,
             .transferPrepared, .transferApproved, .agreementDeadlinePassed, .paymentDefaulted:
            applyLedger(r, to: &s)
        }
    }

    static func applyLedger(_ r: IndicatorRecord, to s: inout IndicatorRegistry) {
        switch r.event {
        case let .pieceSurveyed(id, kind, district, ref, cm):
            s.pieces[id] = LedgerPiece(id: id, kind: kind, district: district, surveyRef: ref, centimetres: cm)
        case let .occupationRecorded(id, project, occupier, cm):
            s.pieces[id]?.occupations.append(.init(project: project, occupier: occupier, centimetres: cm))
        case let .restorationRecorded(id, lot):
            s.pieces[id]?.restoredBy.append(lot)
        case let .postTradeCheckRecorded(id, result):
            guard let plan = s.auctions[id]?.plan else { return }
            for l in s.plans[plan]?.lots ?? [] {
                for p in s.pieces.keys.sorted() where s.pieces[p]!.restoredBy.contains(l) { s.pieces[p]?.checks.append("\(id): \(result)") }
            }
        case let .purchaseApplied(id, applicant, cm, project):
            s.applications[id] = PurchaseApplication(id: id, applicant: applicant, centimetres: cm, project: project)
        case let .allocationRecorded(id, _, project, cm):
            s.allocations[id, default: []].append(Allocation(project: project, centimetres: cm))
            s.auctions[id]?.allocatedCm += cm
        case let .transferPrepared(lot, consent, trade, total):
            s.pendingTransfers[lot] = PendingTransfer(lot: lot, consentRef: consent, tradeRef: trade, totalFen: total, preparedBy: r.actor.id)
        case let .transferApproved(lot, parts):
            guard let t = s.pendingTransfers.removeValue(forKey: lot) else { return }
            s.lots[lot]?.state = .transferredOut(tradeRef: t.tradeRef)
            s.splits["transfer " + lot] = parts
        case .agreementDeadlinePassed(let id):
            guard let a = s.auctions[id] else { return }
            s.auctions[id]?.phase = .lapsed
            setLots(&s, a.plan, .planned(plan: a.plan))
        case .paymentDefaulted(let id, _):
            guard let a = s.auctions[id] else { return }
            s.auctions[id]?.phase = .defaulted
            setLots(&s, a.plan, .planned(plan: a.plan))
        default: return
        }
    }

    static func setLots(_ s: inout IndicatorRegistry, _ plan: String, _ state: IndicatorLot.State) {
        for l in s.plans[plan]?.lots ?? [] { s.lots[l]?.state = state }
    }

    // MARK: Projection

    public static func keys(of record: IndicatorRecord, in s: IndicatorRegistry) -> [String] {
        func lots(_ plan: String) -> [String] { (s.plans[plan]?.lots ?? []).map { "lot " + $0 } }
        func planOf(_ auction: String) -> String { s.auctions[auction]?.plan ?? "" }
        switch record.event {
        case .lotPrepared: return []
        case .lotApproved(let id, _), .lotRevoked(let id, _): return ["lot " + id]
        case .planDrafted(let id, _, _, _): return ["plan " + id]
        case .planApproved(let id, _), .planWithdrawn(let id), .planExpired(let id): return ["plan " + id] + lots(id)
        case let .auctionOpened(id, plan, _, _, _, _): return ["auction " + id, "plan " + plan] + lots(plan)
        case .bidCommitted(let id, _, _), .bidRevealed(let id, _, _, _), .objectionFiled(let id, _, _), .paymentRecorded(let id, _, _):
            return ["auction " + id]
        case .auctionEvaluated(let id, _, _, _, _, _, _), .objectionDecided(let id, _, _), .publicityEnded(let id, _), .agreementSigned(let id, _, _),
             .revenueSplitRecorded(let id, _), .agreementDeadlinePassed(let id), .paymentDefaulted(let id, _):
            return ["auction " + id] + lots(planOf(id))
        case .allocationRecorded(let id, _, _, _): return ["auction " + id]
        case .pieceSurveyed(let id, _, _, _, _), .occupationRecorded(let id, _, _, _), .restorationRecorded(let id, _): return ["piece " + id]
        case .postTradeCheckRecorded: return s.pieces.keys.map { "piece " + $0 }
        case .purchaseApplied, .transferPrepared: return []
        case .transferApproved(let lot, _): return ["lot " + lot]
        }
    }

    public static func keys(of state: IndicatorRegistry) -> [String] {
        state.lots.keys.map { "lot " + $0 } + state.plans.keys.map { "plan " + $0 } + state.auctions.keys.map { "auction " + $0 }
            + state.pieces.keys.map { "piece " + $0 }
    }

    public static func row(_ key: String, in s: IndicatorRegistry) -> String? {
        func text<T: Encodable>(_ v: T) -> String { String(decoding: EventLog.canonical(v), as: UTF8.self) }
        if key.hasPrefix("lot ") { return s.lots[String(key.dropFirst(4))].map { text(LotRow($0)) } }
        if key.hasPrefix("plan ") { return s.plans[String(key.dropFirst(5))].map { text(PlanRow($0)) } }
        if key.hasPrefix("auction ") { return s.auctions[String(key.dropFirst(8))].map { text(AuctionRow($0, split: s.splits[$0.id])) } }
        if key.hasPrefix("piece ") { return s.pieces[String(key.dropFirst(6))].map { text(PieceRow($0)) } }
        return nil
    }
}

/// An indicator lot's projection row: what the public register shows of it.
public struct LotRow: Sendable, Equatable, Codable {
    public var id: String, centimetres: Int64, bundleSHA256: String, rulebook: String, district: String, socialShare: String, state: String
    public init(_ l: IndicatorLot) {
        (id, centimetres, bundleSHA256, rulebook) = (l.id, l.centimetres, l.source.bundleSHA256, l.source.rulebook)
        (district, socialShare, state) = (l.funding.district, l.funding.socialShare, Self.stateText(l.state))
    }
    public static func stateText(_ s: IndicatorLot.State) -> String {
        switch s {
        case .available: return "available"
        case .planned(let p): return "planned \(p)"
        case .inAuction(let a): return "in-auction \(a)"
        case .awarded(let a): return "awarded \(a)"
        case .contracted(let a): return "contracted \(a)"
        case .settled(let a): return "settled \(a)"
        case .revoked(let r): return "revoked (\(r))"
        case .transferredOut(let t): return "transferred-out \(t)"
        }
    }
}

public struct PlanRow: Sendable, Equatable, Codable {
    public var id: String, lots: [String], centimetres: Int64, reserveFenPerMetre: Int64, validUntil: Int64, decisionRef: String?, withdrawn: Bool, auctions: Int
    public init(_ p: SalePlan) {
        (id, lots, centimetres, reserveFenPerMetre, validUntil) = (p.id, p.lots, p.centimetres, p.reserveFenPerMetre, p.validUntil.milliseconds)
        (decisionRef, withdrawn, auctions) = (p.decisionRef, p.withdrawn, p.auctions)
    }
}

public struct AuctionRow: Sendable, Equatable, Codable {
    public var id: String, phase: String, closes: Int64, revealEnds: Int64, bids: Int, revealed: Int
    public var winner: String?, fenPerMetre: Int64?, totalFen: Int64?, publicityEnds: Int64?, objections: Int, paidFen: Int64
    public var split: [SplitPart]?
    public var agreementDue: Int64?, paymentDue: Int64?, allocatedCm: Int64
    public init(_ a: IndicatorAuction, split: [SplitPart]?) {
        (agreementDue, paymentDue, allocatedCm) = (a.agreementDue?.milliseconds, a.paymentDue?.milliseconds, a.allocatedCm)
        (id, phase, closes, revealEnds) = (a.id, a.phase.rawValue, a.closes.milliseconds, a.revealEnds.milliseconds)
        (bids, revealed, winner, fenPerMetre) = (a.bids.count, a.bids.filter { $0.revealed != nil }.count, a.winner, a.fenPerMetre)
        (totalFen, publicityEnds, objections, paidFen) = (a.totalFen, a.publicityEnds?.milliseconds, a.objections.count, a.paidFen)
        self.split = split
    }
}

/// A coastline ledger piece's projection row (SW 5–7).
public struct PieceRow: Sendable, Equatable, Codable {
    public var id: String, kind: String, district: String, surveyRef: String, centimetres: Int64, occupiedCm: Int64
    public var occupations: [LedgerPiece.Occupation], restoredBy: [String], checks: [String]
    public init(_ p: LedgerPiece) {
        (id, kind, district, surveyRef, centimetres, occupiedCm) = (p.id, p.kind.rawValue, p.district, p.surveyRef, p.centimetres, p.occupiedCm)
        (occupations, restoredBy, checks) = (p.occupations, p.restoredBy, p.checks)
    }
}
