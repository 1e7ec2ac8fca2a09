import Plumbing

/// The Shanwei indicator rules as a pure state machine (registry-design §1.1 (b)–(d)): lots from
/// issuable checks, prepared and approved by two officers; sale plans within the SW 27 bounds,
/// approved by a second officer with the city's decision; single-round sealed bidding (commit,
/// reveal, evaluation at the reveal end: the highest valid price per metre, a tie to the earliest
/// commitment); a publicity period with objections; the agreement; payments; and, with the last
/// payment, the SW 28 split of the proceeds, exact to the fen. Before every command, every timed
/// transition already due (evaluations, then publicity ends, in auction-id order) is applied,
/// effective at its deadline (I16).
///
/// Also: the coastline ledger (pieces, occupations, restorations, post-trade checks: SW 5–7),
/// applications (SW 24), allocation to the buyer's recorded occupation (SW 10), lots from the 2022
/// re-survey (SW 22 ¶2), transfers through the province split as inter-city sales (SW 23), and
/// the agreement and payment deadlines as timed transitions. Lots are sold whole (no partial lots).
public enum ShanweiIndicators: RegistryDomain {
    public static let name = "shanwei-coastline"
    public static func initial() -> IndicatorRegistry { IndicatorRegistry() }

    public static func decide(_ state: IndicatorRegistry, _ command: IndicatorCommand, by actor: Actor, at now: Instant,
                              rules: IndicatorTradingRules) -> (records: [IndicatorRecord], refusal: Refusal?) {
        var records = dueTransitions(state, at: now, rules: rules)
        var s = state
        for r in records { apply(r, to: &s) }
        do {
            for (e, article) in try decideCommand(s, command, actor, now, rules) {
                records.append(IndicatorRecord(event: e, actor: actor, article: article, rulebook: rules.rulebook, at: now, effectiveAt: now))
            }
            return (records, nil)
        } catch let refusal as Refusal {
            return (records, refusal)
        } catch {
            return (records, Refusal(.stateConflict, article: "—", zh: "无法判定", en: "\(error)"))
        }
    }

    /// Every timed transition due at `now`, in the fixed order of registry-design §1.3: per
    /// auction the evaluation at the reveal end, then the end of publicity; then per plan its
    /// expiry (an approved plan past its validity whose lots wait unsold: they become available).
    public static func dueTransitions(_ state: IndicatorRegistry, at now: Instant, rules: IndicatorTradingRules) -> [IndicatorRecord] {
        var s = state, out: [IndicatorRecord] = []
        for id in state.auctions.keys.sorted() {
            if let a = s.auctions[id], a.phase == .open, a.revealEnds <= now {
                let r = IndicatorRecord(event: evaluation(a, s, rules), actor: .clock, article: "SW Art. 24–26", rulebook: rules.rulebook, at: now, effectiveAt: a.revealEnds)
                apply(r, to: &s); out.append(r)
            }
            if let a = s.auctions[id], a.phase == .awarded, let end = a.publicityEnds, end <= now {
                let due = CivilPeriod.end(days: rules.agreementDays, from: Instant(milliseconds: end.milliseconds - 1).chinaDate)
                let r = IndicatorRecord(event: .publicityEnded(auction: id, agreementDue: due), actor: .clock, article: "SW Art. 26", rulebook: rules.rulebook, at: now, effectiveAt: end)
                apply(r, to: &s); out.append(r)
            }
            if let a = s.auctions[id], a.phase == .final, let due = a.agreementDue, due <= now {
                let r = IndicatorRecord(event: .agreementDeadlinePassed(auction: id), actor: .clock, article: "SW Art. 26", rulebook: rules.rulebook, at: now, effectiveAt: due)
                apply(r, to: &s); out.append(r)
            }
            if let a = s.auctions[id], a.phase == .contracted, let due = a.paymentDue, due <= now {
                let r = IndicatorRecord(event: .paymentDefaulted(auction: id, refundFen: a.paidFen), actor: .clock, article: "SW Art. 26", rulebook: rules.rulebook, at: now, effectiveAt: due)
                apply(r, to: &s); out.append(r)
            }
        }
        for id in state.plans.keys.sorted() {
            guard let p = s.plans[id], p.decisionRef != nil, !p.withdrawn, p.validUntil <= now,
                  p.lots.allSatisfy({ s.lots[$0]?.state == .planned(plan: id) }) else { continue }
            let r = IndicatorRecord(event: .planExpired(plan: id), actor: .clock, article: "SW Art. 25", rulebook: rules.rulebook, at: now, effectiveAt: p.validUntil)
            apply(r, to: &s); out.append(r)
        }
        return out
    }

    /// The result of an auction at its reveal end: valid bids are revealed, at or above the
    /// reserve and within the SW 27 bounds; the highest price per metre wins, a tie going to the
    /// earliest commitment; the total is ⌊price × cm ÷ 100⌋ fen.
    static func evaluation(_ a: IndicatorAuction, _ s: IndicatorRegistry, _ rules: IndicatorTradingRules) -> IndicatorEvent {
        var best: (bidder: String, price: Int64)? = nil
        var invalid: [String] = []
        for b in a.bids {
            guard let p = b.revealed else { continue }
            guard p >= a.reserveFenPerMetre, p >= rules.bounds.minFenPerMetre, p <= rules.bounds.maxFenPerMetre else { invalid.append(b.bidder); continue }
            if best == nil || p > best!.price { best = (b.bidder, p) }
        }
        let cm = s.plans[a.plan]?.centimetres ?? 0
        let total = best.flatMap { try? RevenueSplit.price(centimetres: cm, fenPerMetre: $0.price, bounds: rules.bounds) }
        let unrevealed = a.bids.filter { $0.revealed == nil }.map(\.bidder)
        guard let best, let total else {
            return .auctionEvaluated(auction: a.id, winner: nil, fenPerMetre: nil, totalFen: nil, publicityEnds: nil, unrevealed: unrevealed, invalid: invalid)
        }
        let publicityEnds = CivilPeriod.end(days: rules.publicityDays, from: a.revealEnds.chinaDate)
        return .auctionEvaluated(auction: a.id, winner: best.bidder, fenPerMetre: best.price, totalFen: total, publicityEnds: publicityEnds,
                                 unrevealed: unrevealed, invalid: invalid)
    }

    // MARK: Commands

    static func decideCommand(_ s: IndicatorRegistry, _ c: IndicatorCommand, _ actor: Actor, _ now: Instant,
                              _ rules: IndicatorTradingRules) throws -> [(IndicatorEvent, String)] {
        switch c {
        case let .prepareLot(id, source, funding):
            try VoucherRules.role(actor, [.officer], "SW Art. 20–22")
            guard s.lots[id] == nil, s.pendingLots[id] == nil, !id.isEmpty, !id.contains("/"), !id.contains("#") else {
                throw Refusal(.duplicateNumber, article: "SW Art. 22", zh: "指标编号“\(id)”已存在或无效", en: "indicator lot \(id) exists already or is not valid")
            }
            try source.mustBeIssuable(under: rules.rulebook, articles: ("SW Art. 19–22", "SW Art. 19", "SW Art. 22"), noun: ("入库", "enter"))
            guard let type = rules.revenue.districts[funding.district] else {
                throw Refusal(.unknownDistrict, article: "SW Art. 28", zh: "区县“\(funding.district)”不在规则库的收益分配表中",
                              en: "district \(funding.district) is not in the rulebook's revenue table (\(rules.revenue.districts.keys.sorted().joined(separator: ", ")))")
            }
            guard RevenueSplit.Share(funding.socialShare) != nil else {
                throw Refusal(.quantityInvalid, article: "SW Art. 11, 13", zh: "社会资本出资比例“\(funding.socialShare)”须为 0 至 1 的小数",
                              en: "the social-capital share \(funding.socialShare) must be a decimal from 0 to 1")
            }
            try inForce(rules, now)
            return [(.lotPrepared(lot: id, source: source, funding: funding, districtType: type), "SW Art. 20–22")]

        case .approveLot(let id):
            try VoucherRules.role(actor, [.approver], "SW Art. 22")
            guard let p = s.pendingLots[id] else {
                throw Refusal(.nothingPrepared, article: "SW Art. 22", zh: "没有待批准的指标“\(id)”", en: "no lot \(id) is waiting for approval")
            }
            try VoucherRules.differentOfficer(p.preparedBy, actor, "SW Art. 22")
            try inForce(rules, now)
            return [(.lotApproved(lot: id, centimetres: p.source.quantity), "SW Art. 22")]

        case let .revokeLot(id, reason):
            try VoucherRules.role(actor, [.approver], "SW Art. 21")
            let lot = try self.lot(s, id)
            guard lot.state == .available else { throw conflict("指标“\(id)”", "lot \(id)", "SW Art. 21") }
            try referenced(reason, "SW Art. 21")
            return [(.lotRevoked(lot: id, reason: reason), "SW Art. 21")]

        case let .draftPlan(id, lots, reserve, validUntil):
            try VoucherRules.role(actor, [.officer], "SW Art. 24")
            guard s.plans[id] == nil, !id.isEmpty, !id.contains("#") else {
                throw Refusal(.duplicateNumber, article: "SW Art. 24", zh: "出让方案“\(id)”已存在或无效", en: "sale plan \(id) exists already or is not valid")
            }
            guard !lots.isEmpty, Set(lots).count == lots.count else {
                throw Refusal(.quantityInvalid, article: "SW Art. 24", zh: "出让方案须列出不重复的指标", en: "a sale plan lists one or more lots, each once")
            }
            for l in lots { guard try lot(s, l).state == .available else { throw conflict("指标“\(l)”", "lot \(l)", "SW Art. 24") } }
            try withinBounds(reserve, rules)
            guard validUntil > now else { throw Refusal(.scheduleInvalid, article: "SW Art. 24", zh: "方案有效期须晚于现在", en: "the plan must be valid after now") }
            return [(.planDrafted(plan: id, lots: lots, reserveFenPerMetre: reserve, validUntil: validUntil), "SW Art. 24, 27")]

        case let .approvePlan(id, ref):
            try VoucherRules.role(actor, [.approver], "SW Art. 25")
            let p = try plan(s, id)
            guard p.decisionRef == nil, !p.withdrawn else { throw conflict("出让方案“\(id)”", "plan \(id)", "SW Art. 25") }
            try VoucherRules.differentOfficer(p.draftedBy, actor, "SW Art. 25")
            try referenced(ref, "SW Art. 25")
            for l in p.lots { guard try lot(s, l).state == .available else { throw conflict("指标“\(l)”", "lot \(l)", "SW Art. 25") } }
            guard now < p.validUntil else { throw Refusal(.deadlinePassed, article: "SW Art. 25", zh: "出让方案已过有效期", en: "the plan is past its validity") }
            return [(.planApproved(plan: id, decisionRef: ref), "SW Art. 25")]

        case .withdrawPlan(let id):
            try VoucherRules.role(actor, [.officer], "SW Art. 25")
            let p = try plan(s, id)
            guard !p.withdrawn, p.lots.allSatisfy({ l in
                guard let lot = s.lots[l] else { return false }
                return lot.state == .available || lot.state == .planned(plan: id)
            }) else { throw conflict("出让方案“\(id)”", "plan \(id)", "SW Art. 25") }
            return [(.planWithdrawn(plan: id), "SW Art. 25")]

        case let .openAuction(id, opens, closes):
            try VoucherRules.role(actor, [.platform], "SW Art. 24")
            let p = try plan(s, id)
            guard p.decisionRef != nil, !p.withdrawn, p.lots.allSatisfy({ s.lots[$0]?.state == .planned(plan: id) }) else {
                throw conflict("出让方案“\(id)”", "plan \(id)", "SW Art. 24–25")
            }
            guard now < p.validUntil else { throw Refusal(.deadlinePassed, article: "SW Art. 25", zh: "出让方案已过有效期", en: "the plan is past its validity") }
            guard opens >= now.adding(milliseconds: -60_000), opens < closes, closes <= p.validUntil else {
                throw Refusal(.scheduleInvalid, article: "SW Art. 24", zh: "竞价时间须为现在或以后开始、在结束之前，且不晚于方案有效期",
                              en: "bidding must open now or later, before it closes, and close within the plan's validity")
            }
            let auction = "\(id)#\(p.auctions + 1)"
            let revealEnds = closes.adding(milliseconds: Int64(rules.revealWindowHours) * 3_600_000)
            return [(.auctionOpened(auction: auction, plan: id, reserveFenPerMetre: p.reserveFenPerMetre, opens: opens, closes: closes, revealEnds: revealEnds), "SW Art. 24")]

        case let .commitBid(id, commitment):
            try VoucherRules.role(actor, [.holder], "SW Art. 24")
            let a = try auction(s, id)
            guard a.phase == .open, now >= a.opens, now < a.closes else {
                throw Refusal(.biddingClosed, article: "SW Art. 24", zh: "竞价“\(id)”不在出价时间内", en: "auction \(id) is not taking bids now")
            }
            guard !a.bids.contains(where: { $0.bidder == actor.id }) else {
                throw Refusal(.bidAlreadyPlaced, article: "SW Art. 24", zh: "一次竞价每人只能出价一次", en: "one bid per bidder in a single-round auction")
            }
            guard commitment.count == 64, SealedBid.bytes(hex: commitment) != nil else {
                throw Refusal(.bidInvalid, article: "SW Art. 24", zh: "承诺值须为 64 位十六进制", en: "a commitment is 64 hexadecimal digits")
            }
            return [(.bidCommitted(auction: id, bidder: actor.id, commitment: commitment.lowercased()), "SW Art. 24")]

        case let .revealBid(id, price, nonce):
            try VoucherRules.role(actor, [.holder], "SW Art. 24")
            let a = try auction(s, id)
            guard let bid = a.bids.first(where: { $0.bidder == actor.id }) else {
                throw Refusal(.bidInvalid, article: "SW Art. 24", zh: "没有您的出价", en: "you have no bid in auction \(id)")
            }
            guard a.phase == .open, now >= a.closes, now < a.revealEnds, bid.revealed == nil else {
                throw Refusal(.biddingClosed, article: "SW Art. 24", zh: "现在不能公开出价", en: "bids of auction \(id) are not being revealed now")
            }
            guard SealedBid.commitment(auction: id, bidder: actor.id, fenPerUnit: price, nonce: nonce) == bid.commitment else {
                throw Refusal(.bidInvalid, article: "SW Art. 24", zh: "价格与随机数不符合承诺值", en: "the price and nonce do not open the commitment")
            }
            return [(.bidRevealed(auction: id, bidder: actor.id, fenPerMetre: price, nonce: nonce.lowercased()), "SW Art. 24")]

        case let .fileObjection(id, reason):
            try VoucherRules.role(actor, [.holder], "SW Art. 26")
            let a = try auction(s, id)
            guard a.phase == .awarded || a.phase == .underReview, let end = a.publicityEnds, now < end else {
                throw Refusal(.publicityOver, article: "SW Art. 26", zh: "不在公示期内", en: "auction \(id) is not in its publicity period")
            }
            try referenced(reason, "SW Art. 26")
            return [(.objectionFiled(auction: id, by: actor.id, reason: reason), "SW Art. 26")]

        case let .decideObjection(id, upheld, reason):
            try VoucherRules.role(actor, [.approver], "SW Art. 26")
            let a = try auction(s, id)
            guard a.phase == .underReview else { throw Refusal(.nothingPrepared, article: "SW Art. 26", zh: "没有待处理的异议", en: "no objection to auction \(id) is pending") }
            try referenced(reason, "SW Art. 26")
            return [(.objectionDecided(auction: id, upheld: upheld, reason: reason), "SW Art. 26")]

        case let .signAgreement(id, ref):
            try VoucherRules.role(actor, [.approver], "SW Art. 26")
            let a = try auction(s, id)
            switch a.phase {
            case .final: break
            case .underReview: throw Refusal(.objectionPending, article: "SW Art. 26", zh: "异议尚未处理", en: "an objection to auction \(id) is pending")
            case .awarded: throw Refusal(.publicityNotOver, article: "SW Art. 26", zh: "公示期未满", en: "the publicity period of auction \(id) is not over")
            default: throw conflict("竞价“\(id)”", "auction \(id)", "SW Art. 26")
            }
            try referenced(ref, "SW Art. 26")
            return [(.agreementSigned(auction: id, agreementRef: ref, paymentDue: CivilPeriod.end(days: rules.paymentDays, from: now.chinaDate)), "SW Art. 26")]

        case let .recordPayment(id, fen, ref):
            try VoucherRules.role(actor, [.platform], "SW Art. 26–28")
            let a = try auction(s, id)
            guard a.phase == .contracted, let total = a.totalFen else { throw conflict("竞价“\(id)”", "auction \(id)", "SW Art. 26") }
            guard fen > 0 else { throw Refusal(.quantityInvalid, article: "SW Art. 26", zh: "付款金额须大于 0", en: "a payment is positive") }
            guard fen <= total - a.paidFen else {
                throw Refusal(.overpayment, article: "SW Art. 26", zh: "付款超过应付余额 \(total - a.paidFen) 分", en: "the payment exceeds the \(total - a.paidFen) fen still due")
            }
            try referenced(ref, "SW Art. 26")
            var out: [(IndicatorEvent, String)] = [(.paymentRecorded(auction: id, fen: fen, paymentRef: ref), "SW Art. 26")]
            if a.paidFen + fen == total { out.append((.revenueSplitRecorded(auction: id, parts: try split(a, total, s, rules)), "SW Art. 28")) }
            return out

        case let .prepareResurveyLot(id, surveyRef, cm, funding):
            try referenced(surveyRef, "SW Art. 22")
            let source = IssueSource(job: "2022 provincial re-survey \(surveyRef)", bundleSHA256: "", rulebook: rules.rulebook, quantity: cm, issuable: true, reasons: [])
            return try decideCommand(s, .prepareLot(lot: id, source: source, funding: funding), actor, now, rules).map { ($0.0, "SW Art. 22 ¶2") }

        case let .recordPiece(id, kind, district, surveyRef, cm):
            try VoucherRules.role(actor, [.officer], "SW Art. 5–6")
            guard s.pieces[id] == nil, !id.isEmpty else {
                throw Refusal(.duplicateNumber, article: "SW Art. 5", zh: "岸线段“\(id)”已在台账中或编号无效", en: "shoreline piece \(id) is in the ledger already or not valid")
            }
            guard cm > 0 else { throw Refusal(.quantityInvalid, article: "SW Art. 5", zh: "岸线段长度须大于 0", en: "a piece's length is positive") }
            try referenced(surveyRef, "SW Art. 5")
            return [(.pieceSurveyed(piece: id, kind: kind, district: district, surveyRef: surveyRef, centimetres: cm), "SW Art. 5–6")]

        case let .recordOccupation(id, project, occupier, cm):
            try VoucherRules.role(actor, [.officer], "SW Art. 6")
            let p = try piece(s, id)
            try referenced(project, "SW Art. 6")
            guard cm > 0, cm <= p.centimetres - p.occupiedCm else {
                throw Refusal(.quantityInvalid, article: "SW Art. 6", zh: "占用长度须大于 0 且不超过未占用的 \(p.centimetres - p.occupiedCm) 厘米",
                              en: "the occupied length is positive and at most the \(p.centimetres - p.occupiedCm) cm not yet occupied")
            }
            return [(.occupationRecorded(piece: id, project: project, occupier: occupier, centimetres: cm), "SW Art. 6")]

        case let .recordRestoration(id, lotID):
            try VoucherRules.role(actor, [.officer], "SW Art. 6, 22")
            let p = try piece(s, id)
            _ = try lot(s, lotID)
            guard !p.restoredBy.contains(lotID) else { throw Refusal(.duplicateNumber, article: "SW Art. 6", zh: "已记录", en: "recorded already") }
            return [(.restorationRecorded(piece: id, lot: lotID), "SW Art. 6, 22")]

        case let .recordPostTradeCheck(id, result):
            try VoucherRules.role(actor, [.officer], "SW Art. 7")
            let a = try auction(s, id)
            guard a.phase == .settled else { throw conflict("竞价“\(id)”", "auction \(id)", "SW Art. 7") }
            try referenced(result, "SW Art. 7")
            return [(.postTradeCheckRecorded(auction: id, result: result), "SW Art. 7")]

        case let .applyToPurchase(id, cm, project):
            try VoucherRules.role(actor, [.holder], "SW Art. 24")
            guard s.applications[id] == nil, !id.isEmpty else {
                throw Refusal(.duplicateNumber, article: "SW Art. 24", zh: "申请“\(id)”已存在或无效", en: "application \(id) exists already or is not valid")
            }
            guard cm > 0 else { throw Refusal(.quantityInvalid, article: "SW Art. 24", zh: "申请长度须大于 0", en: "the length applied for is positive") }
            try referenced(project, "SW Art. 24")
            return [(.purchaseApplied(application: id, applicant: actor.id, centimetres: cm, project: project), "SW Art. 24")]

        case let .allocate(id, pieceID, project, cm):
            try VoucherRules.role(actor, [.officer], "SW Art. 10")
            let a = try auction(s, id)
            guard a.phase == .settled, let winner = a.winner else { throw conflict("竞价“\(id)”", "auction \(id)", "SW Art. 10") }
            let p = try piece(s, pieceID)
            // 先补后占: the buyer is the occupier, of a sea-use project the ledger records.
            guard p.occupations.contains(where: { $0.project == project && $0.occupier == winner }) else {
                throw Refusal(.referenceMissing, article: "SW Art. 10", zh: "台账中没有竞得人“\(winner)”的用海项目“\(project)”占用记录",
                              en: "the ledger records no occupation by \(winner) for sea-use project \(project)")
            }
            let planCm = s.plans[a.plan]?.centimetres ?? 0
            guard cm > 0, a.allocatedCm + cm <= planCm else {
                throw Refusal(.quantityInvalid, article: "SW Art. 10", zh: "配置长度须大于 0 且不超过已结算未配置的 \(planCm - a.allocatedCm) 厘米",
                              en: "the allocation is positive and at most the \(planCm - a.allocatedCm) cm settled and not yet allocated")
            }
            return [(.allocationRecorded(auction: id, piece: pieceID, project: project, centimetres: cm), "SW Art. 10")]

        case let .prepareTransfer(id, consentRef, tradeRef, total):
            try VoucherRules.role(actor, [.officer], "SW Art. 23")
            let l = try lot(s, id)
            guard l.state == .available, s.pendingTransfers[id] == nil else { throw conflict("指标“\(id)”", "lot \(id)", "SW Art. 23") }
            try referenced(consentRef, "SW Art. 23"); try referenced(tradeRef, "SW Art. 23")
            guard total > 0 else { throw Refusal(.quantityInvalid, article: "SW Art. 23", zh: "成交金额须大于 0", en: "the proceeds are positive") }
            return [(.transferPrepared(lot: id, consentRef: consentRef, tradeRef: tradeRef, totalFen: total), "SW Art. 23")]

        case .approveTransfer(let id):
            try VoucherRules.role(actor, [.approver], "SW Art. 23")
            guard let t = s.pendingTransfers[id] else { throw Refusal(.nothingPrepared, article: "SW Art. 23", zh: "没有待批准的省内调剂“\(id)”", en: "no transfer of \(id) is waiting for approval") }
            try VoucherRules.differentOfficer(t.preparedBy, actor, "SW Art. 23")
            let l = try lot(s, id)
            guard l.state == .available else { throw conflict("指标“\(id)”", "lot \(id)", "SW Art. 23") }
            guard let share = RevenueSplit.Share(l.funding.socialShare) else { throw Refusal(.quantityInvalid, article: "SW Art. 28", zh: "出资比例无效", en: "invalid share") }
            let split = try RevenueSplit(totalFen: t.totalFen, sale: .interCity, socialShare: share, districtType: l.districtType, revenue: rules.revenue)
            return [(.transferApproved(lot: id, parts: split.parts.map { SplitPart(lot: id, party: $0.party, fen: $0.fen) }), "SW Art. 23, 28")]
        }
    }

    /// SW 28 for one paid auction: the total shared between its lots in proportion to their
    /// centimetres (largest remainder, lot-id order), then each lot's part split by its funding
    /// and district. In-city sales only (provincial transfers, SW 23, are not modelled).
    static func split(_ a: IndicatorAuction, _ total: Int64, _ s: IndicatorRegistry, _ rules: IndicatorTradingRules) throws -> [SplitPart] {
        let lots = (s.plans[a.plan]?.lots ?? []).sorted().compactMap { s.lots[$0] }
        let shares = RevenueSplit.divide(total, lots.map { ($0.id, $0.centimetres) })
        var parts: [SplitPart] = []
        for (lot, fen) in zip(lots, shares) {
            guard let share = RevenueSplit.Share(lot.funding.socialShare) else { throw Refusal(.quantityInvalid, article: "SW Art. 28", zh: "出资比例无效", en: "invalid share") }
            let split = try RevenueSplit(totalFen: fen, sale: .inCity, socialShare: share, districtType: lot.districtType, revenue: rules.revenue)
            parts += split.parts.map { SplitPart(lot: lot.id, party: $0.party, fen: $0.fen) }
        }
        return parts
    }

    // MARK: Guards

    static func inForce(_ rules: IndicatorTradingRules, _ now: Instant) throws {
        guard rules.isInForce(on: now.chinaDate) else {
            throw Refusal(.rulebookNotInForce, article: "SW Art. 30", zh: "规则库“\(rules.rulebook)”在 \(now.chinaDate) 不施行", en: "rulebook \(rules.rulebook) is not in force on \(now.chinaDate)")
        }
    }
    static func withinBounds(_ price: Int64, _ rules: IndicatorTradingRules) throws {
        let b = rules.bounds
        guard price >= b.minFenPerMetre, price <= b.maxFenPerMetre else {
            throw Refusal(.priceOutOfBounds, article: b.article, zh: "价格 \(price) 分/米不在 \(b.minFenPerMetre)–\(b.maxFenPerMetre) 分/米之内",
                          en: "\(price) fen per metre lies outside \(b.minFenPerMetre)–\(b.maxFenPerMetre) fen per metre")
        }
    }
    static func referenced(_ ref: String, _ article: String) throws {
        guard !ref.trimmingSpaces.isEmpty else {
            throw Refusal(.referenceMissing, article: article, zh: "须注明文号或理由", en: "a document reference or reason is required")
        }
    }
    static func conflict(_ zh: String, _ en: String, _ article: String) -> Refusal {
        Refusal(.stateConflict, article: article, zh: "\(zh)当前状态不允许此操作", en: "\(en) is not in a state that allows this")
    }
    static func lot(_ s: IndicatorRegistry, _ id: String) throws -> IndicatorLot {
        guard let l = s.lots[id] else { throw Refusal(.unknownLot, article: "SW Art. 22", zh: "没有编号为“\(id)”的指标", en: "no indicator lot \(id)") }
        return l
    }
    static func plan(_ s: IndicatorRegistry, _ id: String) throws -> SalePlan {
        guard let p = s.plans[id] else { throw Refusal(.unknownPlan, article: "SW Art. 24", zh: "没有出让方案“\(id)”", en: "no sale plan \(id)") }
        return p
    }
    static func piece(_ s: IndicatorRegistry, _ id: String) throws -> LedgerPiece {
        guard let p = s.pieces[id] else { throw Refusal(.unknownLot, article: "SW Art. 5", zh: "台账中没有岸线段“\(id)”", en: "no shoreline piece \(id) in the ledger") }
        return p
    }
    static func auction(_ s: IndicatorRegistry, _ id: String) throws -> IndicatorAuction {
        guard let a = s.auctions[id] else { throw Refusal(.unknownAuction, article: "SW Art. 24", zh: "没有竞价“\(id)”", en: "no auction \(id)") }
        return a
    }
}
