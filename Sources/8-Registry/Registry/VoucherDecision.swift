import Plumbing

/// The Jiangyin voucher rules as a pure state machine: `decide(state, command, actor, now,
/// rules)` gives the events to record or a refusal, with no I/O and no floating point; `apply`
/// evolves the state by one event (replaying the log rebuilds the registry). Before a command
/// touches a voucher, every timed transition of that voucher already due is applied first
/// (`dueTransitions`, effective at its deadline), so no outcome depends on a scheduler being on time.
public enum VoucherRules {
    /// The platform's reserve account, buyer of vouchers not sold in their first-sale period (JY 27).
    public static let platformReserve = "platform-reserve"

    /// A decision: the records to append — the voucher's due timed transitions, then, unless
    /// refused, the command's own events — and the refusal if there is one. Due transitions are
    /// recorded even when the command is refused: they happened whatever the command.
    public struct Decision: Sendable, Equatable {
        public var records: [VoucherRecord]
        public var refusal: Refusal?
    }

    /// Decides `command` on `state` at `now` (the server's clock, never the client's).
    public static func decide(_ state: VoucherRegistry, _ command: VoucherCommand, by actor: Actor, at now: Instant,
                              rules: VoucherTradingRules) -> Decision {
        var records = dueTransitions(state, number: command.number, at: now, rules: rules)
        var s = state
        for r in records { apply(r, to: &s) }
        do {
            for (e, article) in try decideCommand(s, command, actor, now, rules) {
                records.append(VoucherRecord(event: e, actor: actor, article: article, rulebook: rules.rulebook, at: now, effectiveAt: now))
            }
            return Decision(records: records, refusal: nil)
        } catch let refusal as Refusal {
            return Decision(records: records, refusal: refusal)
        } catch {
            return Decision(records: records, refusal: Refusal(.stateConflict, article: "—", zh: "无法判定", en: "\(error)"))
        }
    }

    /// The timed transitions of voucher `number` (and its splits' issuance) due at or before
    /// `now`: the buyout at the minimum price when the first-sale period ended unsold (JY 27).
    public static func dueTransitions(_ state: VoucherRegistry, number: String, at now: Instant, rules: VoucherTradingRules) -> [VoucherRecord] {
        guard var v = state.vouchers[number] else { return [] }
        var out: [VoucherRecord] = []
        // A listing whose reveal window is over is decided first (JY 28).
        if case .listed(let a) = v.state, a.revealEnds <= now {
            let win = SealedBid.winner(a)
            let total = win.flatMap { VoucherUnits.total(fenPerUnit: $0.fenPerUnit, quantity: v.quantity) }
            let r = VoucherRecord(event: .auctionEvaluated(number: number, auction: a.id, winner: total == nil ? nil : win?.bidder,
                                                           fenPerUnit: total == nil ? nil : win?.fenPerUnit, totalFen: total,
                                                           unrevealed: a.bids.filter { $0.revealed == nil }.map(\.bidder)),
                                  actor: .clock, article: "JY Art. 28", rulebook: rules.rulebook, at: now, effectiveAt: a.revealEnds)
            out.append(r)
            var s = state
            apply(r, to: &s)
            v = s.vouchers[number]!
        }
        return out + buyout(v, at: now, rules: rules)
    }

    /// The buyout of a voucher unsold at its first-sale deadline (JY 27); a voucher in a listing
    /// at the deadline is bought out only once the listing has failed, effective then.
    static func buyout(_ v: Voucher, at now: Instant, rules: VoucherTradingRules) -> [VoucherRecord] {
        let number = v.number
        guard !v.firstSaleDone, v.firstSaleDeadline <= now else { return [] }
        switch v.state {
        case .held, .lossNoticed: break
        default: return []
        }
        // The minimum price in force on the deadline's date; without one published the buyout
        // cannot be priced and waits (commands that need the first sale are refused meanwhile).
        guard let price = rules.minimumPrice(on: Instant(milliseconds: v.firstSaleDeadline.milliseconds - 1).chinaDate),
              let total = VoucherUnits.total(fenPerUnit: price, quantity: v.quantity) else { return [] }
        let failedListing = v.listings > 0 ? v.lastListingEnd : nil
        return [VoucherRecord(event: .boughtOutAtMinimumPrice(number: number, fenPerUnit: price, totalFen: total), actor: .clock,
                              article: "JY Art. 27", rulebook: rules.rulebook, at: now,
                              effectiveAt: max(v.firstSaleDeadline, failedListing ?? v.firstSaleDeadline))]
    }

    /// Every timed transition due at `now` (the sweeper publishes them; commands catch up their own).
    public static func sweep(_ state: VoucherRegistry, at now: Instant, rules: VoucherTradingRules) -> [VoucherRecord] {
        state.vouchers.keys.sorted().flatMap { dueTransitions(state, number: $0, at: now, rules: rules) }
    }

    // MARK: Commands

    static func decideCommand(_ s: VoucherRegistry, _ c: VoucherCommand, _ actor: Actor, _ now: Instant,
                              _ rules: VoucherTradingRules) throws -> [(VoucherEvent, String)] {
        switch c {
        case let .prepareIssue(number, holder, landRightsHolder, source):
            try role(actor, [.officer], "JY Art. 18")
            guard s.vouchers[number] == nil, s.pendingIssues[number] == nil, !number.isEmpty, !number.contains("/") else {
                throw Refusal(.duplicateNumber, article: "JY Art. 18", zh: "生态券编号“\(number)”已存在或无效", en: "voucher number \(number) exists already or is not valid")
            }
            try source.mustBeIssuable(under: rules.rulebook, articles: ("JY Art. 15–18", "JY Art. 19", "JY Art. 18"), noun: ("签发", "issue"))
            try inForce(rules, now)
            return [(.issuePrepared(number: number, holder: holder, landRightsHolder: landRightsHolder, source: source), "JY Art. 18")]

        case .approveIssue(let number):
            try role(actor, [.approver], "JY Art. 18")
            guard let p = s.pendingIssues[number] else {
                throw Refusal(.nothingPrepared, article: "JY Art. 18", zh: "没有待批准的签发“\(number)”", en: "no issue of \(number) is waiting for approval")
            }
            try differentOfficer(p.preparedBy, actor, "JY Art. 18")
            try inForce(rules, now)
            return [(.issueApproved(number: number, firstSaleDeadline: CivilPeriod.end(years: rules.firstSalePeriodYears, from: now.chinaDate)), "JY Art. 18, 22")]

        case let .recordDirectSale(number, buyer, fenPerUnit):
            try role(actor, [.platform], "JY Art. 22–23")
            let v = try voucher(s, number)
            guard v.state == .held else { throw conflict(v, "JY Art. 22") }
            if !v.firstSaleDone && now >= v.firstSaleDeadline {
                // Still held after the deadline: the buyout could not be priced.
                throw Refusal(.noMinimumPrice, article: "JY Art. 25, 27", zh: "首次交易期已过，且没有公布的最低保护价格，无法收购",
                              en: "the first-sale period is over and no minimum protected price is published for the buyout")
            }
            try atLeastMinimum(fenPerUnit, now, rules)
            try unencumbered(v, "sell")
            guard let total = VoucherUnits.total(fenPerUnit: fenPerUnit, quantity: v.quantity) else {
                throw Refusal(.moneyOverflow, article: "JY Art. 25", zh: "金额超出可精确计算的范围", en: "the total is beyond the amounts computed exactly")
            }
            return [(.directSaleRecorded(number: number, buyer: buyer, fenPerUnit: fenPerUnit, totalFen: total), "JY Art. 22–23, 25")]

        case .registerHolderChange(let number):
            try role(actor, [.officer], "JY Art. 29–30")
            let v = try voucher(s, number)
            guard case .pendingHolderChange(let buyer, _, _, _) = v.state else { throw conflict(v, "JY Art. 29") }
            return [(.holderChangeRegistered(number: number, holder: buyer), "JY Art. 29–30")]

        case let .surrender(number, quantity, landRef):
            try role(actor, [.holder], "JY Art. 32")
            let v = try voucher(s, number)
            try ownHolding(v, actor, "JY Art. 32")
            guard v.state == .held else { throw conflict(v, "JY Art. 32") }
            guard !landRef.isEmpty else {
                throw Refusal(.referenceMissing, article: "JY Art. 32", zh: "缺少土地出让（供地）编号", en: "the land supply reference is missing")
            }
            try unencumbered(v, "surrender")
            guard quantity > 0, quantity <= v.quantity else {
                throw Refusal(.quantityInvalid, article: "JY Art. 35", zh: "缴纳数量 \(VoucherUnits.text(quantity)) 不在 0 与持有量 \(VoucherUnits.text(v.quantity)) 之间",
                              en: "\(VoucherUnits.text(quantity)) units is not between 0 and the \(VoucherUnits.text(v.quantity)) held")
            }
            if quantity == v.quantity {
                return [(.surrendered(number: number, landRef: landRef), "JY Art. 32, 35"),
                        (.useRecorded(number: number, child: number, quantity: quantity, landRef: landRef), "JY Art. 35")]
            }
            let child = "\(number)-\(v.splitCount + 1)"
            return [(.split(parent: number, child: child, quantity: quantity), "JY Art. 35"),
                    (.surrendered(number: child, landRef: landRef), "JY Art. 32, 35"),
                    (.useRecorded(number: number, child: child, quantity: quantity, landRef: landRef), "JY Art. 35")]

        case let .cancel(number, certificateRef):
            try role(actor, [.officer], "JY Art. 33")
            let v = try voucher(s, number)
            guard case .surrendered = v.state else { throw conflict(v, "JY Art. 33") }
            guard !certificateRef.isEmpty else {
                throw Refusal(.referenceMissing, article: "JY Art. 33", zh: "缺少土地权利证书编号", en: "the land certificate reference is missing")
            }
            return [(.cancelled(number: number, certificateRef: certificateRef), "JY Art. 33")]

        case .returnSurrendered(let number):
            try role(actor, [.officer], "JY Art. 33")
            let v = try voucher(s, number)
            guard case .surrendered = v.state else { throw conflict(v, "JY Art. 33") }
            return [(.returned(number: number), "JY Art. 33")]

        case let .publishLossNotice(number, noticeDate, media):
            try role(actor, [.holder, .officer], "JY Art. 36")
            let v = try voucher(s, number)
            if actor.role == .holder { try ownHolding(v, actor, "JY Art. 36") }
            guard v.state == .held else { throw conflict(v, "JY Art. 36") }
            guard !media.isEmpty, noticeDate <= now.chinaDate else {
                throw Refusal(.referenceMissing, article: "JY Art. 36", zh: "遗失声明须注明刊登媒体，且刊登日期不能晚于今日",
                              en: "a loss notice names its medium and a date not after today")
            }
            return [(.lossNoticePublished(number: number, noticeDate: noticeDate.description, media: media), "JY Art. 36")]

        case .withdrawLossNotice(let number):
            try role(actor, [.holder], "JY Art. 36")
            let v = try voucher(s, number)
            try ownHolding(v, actor, "JY Art. 36")
            guard case .lossNoticed = v.state else { throw conflict(v, "JY Art. 36") }
            return [(.lossNoticeWithdrawn(number: number), "JY Art. 36")]

        case .prepareReissue(let number):
            try role(actor, [.officer], "JY Art. 36")
            let v = try voucher(s, number)
            guard case .lossNoticed(let d) = v.state, s.pendingReissues[number] == nil else { throw conflict(v, "JY Art. 36") }
            try noticeOver(d, now, rules)
            return [(.reissuePrepared(number: number), "JY Art. 36")]

        case let .list(number, asking, opens, closes):
            try role(actor, [.holder], "JY Art. 28")
            let v = try voucher(s, number)
            try ownHolding(v, actor, "JY Art. 28")
            guard v.state == .held else { throw conflict(v, "JY Art. 28") }
            guard opens >= now.adding(milliseconds: -60_000), opens < closes else {
                throw Refusal(.scheduleInvalid, article: "JY Art. 28", zh: "挂牌时间无效：开始须不早于现在，且早于截止", en: "the listing must open now or later and before it closes")
            }
            if !v.firstSaleDone && closes > v.firstSaleDeadline {
                throw Refusal(.scheduleInvalid, article: "JY Art. 22, 27", zh: "首次交易的挂牌须在首次交易期（\(v.firstSaleDeadline)）前截止",
                              en: "a first-sale listing must close before the first-sale period ends (\(v.firstSaleDeadline))")
            }
            try atLeastMinimum(asking, now, rules)
            try unencumbered(v, "list")
            let reveal = closes.adding(milliseconds: Int64(rules.revealWindowHours) * 3_600_000)
            return [(.listed(number: number, auction: "\(number)#\(v.listings + 1)", askingFenPerUnit: asking, opens: opens, closes: closes, revealEnds: reveal), "JY Art. 28")]

        case let .commitBid(number, commitment):
            try role(actor, [.holder], "JY Art. 28")
            let v = try voucher(s, number)
            guard case .listed(let a) = v.state else { throw conflict(v, "JY Art. 28") }
            guard now >= a.opens, now < a.closes else {
                throw Refusal(.biddingClosed, article: "JY Art. 28", zh: "不在竞价时间内（\(a.opens) 至 \(a.closes)）", en: "bids are taken from \(a.opens) until \(a.closes)")
            }
            guard actor.id != a.seller else { throw Refusal(.notHolder, article: "JY Art. 28", zh: "出售人不能竞价", en: "the seller may not bid") }
            guard !a.bids.contains(where: { $0.bidder == actor.id }) else {
                throw Refusal(.bidAlreadyPlaced, article: "JY Art. 28", zh: "每个申购人只能竞价一次", en: "each bidder bids once")
            }
            guard commitment.utf8.count == 64, SealedBid.bytes(hex: commitment) != nil else {
                throw Refusal(.bidInvalid, article: "JY Art. 28", zh: "承诺值须为 64 位十六进制", en: "a commitment is 64 hexadecimal digits")
            }
            return [(.bidCommitted(number: number, auction: a.id, bidder: actor.id, commitment: commitment.lowercased()), "JY Art. 28")]

        case let .revealBid(number, price, nonce):
            try role(actor, [.holder], "JY Art. 28")
            let v = try voucher(s, number)
            guard case .listed(let a) = v.state else { throw conflict(v, "JY Art. 28") }
            guard now >= a.closes, now < a.revealEnds else {
                throw Refusal(.biddingClosed, article: "JY Art. 28", zh: "不在揭示时间内（\(a.closes) 至 \(a.revealEnds)）", en: "bids are revealed from \(a.closes) until \(a.revealEnds)")
            }
            guard let bid = a.bids.first(where: { $0.bidder == actor.id }), bid.revealed == nil else {
                throw Refusal(.bidInvalid, article: "JY Art. 28", zh: "没有待揭示的竞价", en: "no bid of yours waits to be revealed")
            }
            guard SealedBid.commitment(auction: a.id, bidder: actor.id, fenPerUnit: price, nonce: nonce) == bid.commitment else {
                throw Refusal(.bidInvalid, article: "JY Art. 28", zh: "价格与随机数不符合承诺值", en: "the price and nonce do not open the commitment")
            }
            return [(.bidRevealed(number: number, auction: a.id, bidder: actor.id, fenPerUnit: price, nonce: nonce.lowercased()), "JY Art. 28")]

        case let .pledge(number, pledgee):
            try role(actor, [.holder], "JY Art. 14")
            let v = try voucher(s, number)
            try ownHolding(v, actor, "JY Art. 14")
            guard v.state == .held, v.pledgee == nil else { throw conflict(v, "JY Art. 14") }
            guard !pledgee.isEmpty, pledgee != actor.id else {
                throw Refusal(.referenceMissing, article: "JY Art. 14", zh: "须注明质权人（金融机构）", en: "the pledgee (a financial institution) must be named")
            }
            return [(.pledged(number: number, pledgee: pledgee), "JY Art. 14")]

        case let .consentToDealing(number, operation):
            try role(actor, [.pledgee], "JY Art. 14")
            let v = try voucher(s, number)
            try isPledgee(v, actor)
            guard Self.dealings.contains(operation) else {
                throw Refusal(.quantityInvalid, article: "JY Art. 14", zh: "同意的操作须为 \(Self.dealings.sorted().map { "“\($0)”" }.joined(separator: "、")) 之一",
                              en: "the operation consented to is one of \(Self.dealings.sorted().joined(separator: ", "))")
            }
            return [(.dealingConsented(number: number, pledgee: actor.id, operation: operation), "JY Art. 14")]

        case .releasePledge(let number):
            try role(actor, [.pledgee], "JY Art. 14")
            let v = try voucher(s, number)
            try isPledgee(v, actor)
            return [(.pledgeReleased(number: number, pledgee: actor.id), "JY Art. 14")]

        case let .publishPurchasePlan(plan, quantity, fenPerUnit, closes):
            try role(actor, [.platform], "JY Art. 26")
            guard s.purchasePlans[plan] == nil, !plan.isEmpty else {
                throw Refusal(.duplicateNumber, article: "JY Art. 26", zh: "收购计划“\(plan)”已存在或无效", en: "purchase plan \(plan) exists already or is not valid")
            }
            guard quantity > 0, closes > now else {
                throw Refusal(.scheduleInvalid, article: "JY Art. 26", zh: "收购计划须有正的数量并在以后截止", en: "a purchase plan buys a positive quantity and closes later")
            }
            try atLeastMinimum(fenPerUnit, now, rules)
            try inForce(rules, now)
            return [(.purchasePlanPublished(plan: plan, quantity: quantity, fenPerUnit: fenPerUnit, closes: closes), "JY Art. 26")]

        case let .offerToPlan(number, plan):
            try role(actor, [.holder], "JY Art. 26")
            let v = try voucher(s, number)
            try ownHolding(v, actor, "JY Art. 26")
            guard v.state == .held else { throw conflict(v, "JY Art. 26") }
            guard let p = s.purchasePlans[plan] else {
                throw Refusal(.unknownPurchasePlan, article: "JY Art. 26", zh: "没有收购计划“\(plan)”", en: "no purchase plan \(plan)")
            }
            guard now < p.closes else { throw Refusal(.deadlinePassed, article: "JY Art. 26", zh: "收购计划已截止（\(p.closes)）", en: "the purchase plan closed at \(p.closes)") }
            guard v.quantity <= p.remaining else {
                throw Refusal(.quantityInvalid, article: "JY Art. 26", zh: "收购计划只余 \(VoucherUnits.text(p.remaining)) 单位", en: "the plan buys only \(VoucherUnits.text(p.remaining)) more units")
            }
            try unencumbered(v, "offer")
            guard let total = VoucherUnits.total(fenPerUnit: p.fenPerUnit, quantity: v.quantity) else {
                throw Refusal(.moneyOverflow, article: "JY Art. 26", zh: "金额超出可精确计算的范围", en: "the total is beyond the amounts computed exactly")
            }
            return [(.offeredToPlan(number: number, plan: plan, fenPerUnit: p.fenPerUnit, totalFen: total), "JY Art. 26")]

        case .approveReissue(let number):
            try role(actor, [.approver], "JY Art. 36")
            let v = try voucher(s, number)
            guard let preparer = s.pendingReissues[number], case .lossNoticed(let d) = v.state else {
                throw Refusal(.nothingPrepared, article: "JY Art. 36", zh: "没有待批准的补发“\(number)”", en: "no reissue of \(number) is waiting for approval")
            }
            try differentOfficer(preparer, actor, "JY Art. 36")
            try noticeOver(d, now, rules)
            return [(.reissued(number: number), "JY Art. 36")]
        }
    }

    // MARK: Guards

    static func role(_ actor: Actor, _ allowed: Set<Role>, _ article: String) throws {
        guard allowed.contains(actor.role) else {
            throw Refusal(.roleNotAllowed, article: article, zh: "角色 \(actor.role.rawValue) 不能执行此操作", en: "the \(actor.role.rawValue) role may not do this")
        }
    }
    static func differentOfficer(_ preparer: String, _ actor: Actor, _ article: String) throws {
        guard preparer != actor.id else {
            throw Refusal(.sameOfficer, article: article, zh: "批准人不能是经办人（\(preparer)）", en: "the approving officer must not be the preparer (\(preparer))")
        }
    }
    static func voucher(_ s: VoucherRegistry, _ number: String) throws -> Voucher {
        guard let v = s.vouchers[number] else {
            throw Refusal(.unknownVoucher, article: "JY Art. 18", zh: "没有编号为“\(number)”的生态券", en: "no voucher numbered \(number)")
        }
        return v
    }
    static func ownHolding(_ v: Voucher, _ actor: Actor, _ article: String) throws {
        guard v.holder == actor.id else {
            throw Refusal(.notHolder, article: article, zh: "只有持有人可以处分生态券“\(v.number)”", en: "only the holder may deal with voucher \(v.number)")
        }
    }
    /// The operations a pledgee may consent to, one at a time.
    static let dealings: Set<String> = ["sell", "list", "surrender", "offer"]
    /// JY 14, I13: a pledged voucher is dealt with only with its pledgee's consent to that operation.
    static func unencumbered(_ v: Voucher, _ operation: String) throws {
        guard let p = v.pledgee, v.pledgeConsent != operation else { return }
        throw Refusal(.pledged, article: "JY Art. 14", zh: "生态券“\(v.number)”已质押给“\(p)”，须其同意方可\(["sell": "出售", "list": "挂牌", "surrender": "缴纳", "offer": "出售给收购计划"][operation] ?? operation)",
                      en: "voucher \(v.number) is pledged to \(p): its consent is needed to \(operation)")
    }
    static func isPledgee(_ v: Voucher, _ actor: Actor) throws {
        guard v.pledgee == actor.id else {
            throw Refusal(.notHolder, article: "JY Art. 14", zh: "只有质权人可以处理生态券“\(v.number)”的质押", en: "only the pledgee may deal with the pledge of voucher \(v.number)")
        }
    }
    static func conflict(_ v: Voucher, _ article: String) -> Refusal {
        Refusal(.stateConflict, article: article, zh: "生态券“\(v.number)”当前状态不允许此操作", en: "voucher \(v.number) is not in a state that allows this")
    }
    /// JY 25: a price (a sale's, or a listing's asking price) not below the minimum protected
    /// price in force on the day.
    static func atLeastMinimum(_ fenPerUnit: Int64, _ now: Instant, _ rules: VoucherTradingRules) throws {
        guard let minimum = rules.minimumPrice(on: now.chinaDate) else {
            throw Refusal(.noMinimumPrice, article: "JY Art. 25", zh: "\(now.chinaDate) 没有公布的最低保护价格", en: "no minimum protected price is published for \(now.chinaDate)")
        }
        guard fenPerUnit >= minimum else {
            throw Refusal(.belowMinimumPrice, article: "JY Art. 25", zh: "价格 \(fenPerUnit) 分/单位低于最低保护价格 \(minimum) 分/单位",
                          en: "\(fenPerUnit) fen per unit is below the minimum protected price of \(minimum) fen per unit")
        }
    }

    static func inForce(_ rules: VoucherTradingRules, _ now: Instant) throws {
        guard rules.isInForce(on: now.chinaDate) else {
            throw Refusal(.rulebookNotInForce, article: "JY Art. 44", zh: "规则库“\(rules.rulebook)”在 \(now.chinaDate) 不施行", en: "rulebook \(rules.rulebook) is not in force on \(now.chinaDate)")
        }
    }
    /// JY 36: a reissue may be applied for once 30 days after the notice are over (the notice
    /// day not counted, Civil Code Art. 201; the 30th day ends at 24:00 China time, Art. 203).
    static func noticeOver(_ notice: CivilDate, _ now: Instant, _ rules: VoucherTradingRules) throws {
        let over = CivilPeriod.end(days: rules.reissueNoticeDays, from: notice)
        guard now >= over else {
            throw Refusal(.noticePeriodNotOver, article: "JY Art. 36", zh: "遗失声明期满（\(over)）后方可补发", en: "a reissue may be applied for once the notice period is over (\(over))")
        }
    }

    // MARK: Applying events

    /// Evolves the registry by one recorded event (what replay does).
    public static func apply(_ r: VoucherRecord, to s: inout VoucherRegistry) {
        switch r.event {
        case let .issuePrepared(number, holder, landRightsHolder, source):
            s.pendingIssues[number] = PendingIssue(number: number, holder: holder, landRightsHolder: landRightsHolder, source: source, preparedBy: r.actor.id)
        case let .issueApproved(number, deadline):
            guard let p = s.pendingIssues.removeValue(forKey: number) else { return }
            s.issued[number] = p.source.quantity
            s.vouchers[number] = Voucher(number: number, issuance: number, range: SerialRange(1, p.source.quantity), holder: p.holder,
                                         landRightsHolder: p.landRightsHolder, edition: 1, reissued: false, splitCount: 0,
                                         firstSaleDeadline: deadline, firstSaleDone: false, uses: [], state: .held)
        case let .directSaleRecorded(number, buyer, price, total):
            s.vouchers[number]?.state = .pendingHolderChange(buyer: buyer, fenPerUnit: price, totalFen: total, buyout: false)
            s.vouchers[number]?.pledgeConsent = nil
        case let .boughtOutAtMinimumPrice(number, price, total):
            s.vouchers[number]?.state = .pendingHolderChange(buyer: platformReserve, fenPerUnit: price, totalFen: total, buyout: true)
            s.pendingReissues[number] = nil
        case let .holderChangeRegistered(number, holder):
            s.vouchers[number]?.holder = holder
            s.vouchers[number]?.pledgee = nil   // sold with the pledgee's consent, the proceeds its: the pledge ends with the holder
            s.vouchers[number]?.pledgeConsent = nil
            s.vouchers[number]?.edition += 1
            s.vouchers[number]?.firstSaleDone = true
            s.vouchers[number]?.state = .held
        case let .split(parent, child, quantity):
            guard var p = s.vouchers[parent] else { return }
            let top = SerialRange(p.range.last - quantity + 1, p.range.last)
            p.range.last -= quantity
            p.splitCount += 1
            p.pledgeConsent = nil
            var c = p
            c.number = child; c.range = top; c.splitCount = 0; c.uses = []
            s.vouchers[parent] = p
            s.vouchers[child] = c
        case let .surrendered(number, landRef):
            guard let v = s.vouchers[number] else { return }
            s.vouchers[number]?.state = .surrendered(landRef: landRef, by: v.holder)
            s.vouchers[number]?.pledgeConsent = nil
        case let .useRecorded(number, child, quantity, landRef):
            s.vouchers[number]?.uses.append(.init(child: child, quantity: quantity, landRef: landRef, at: r.effectiveAt))
        case let .cancelled(number, certificateRef):
            s.vouchers[number]?.state = .cancelled(certificateRef: certificateRef)
        case .returned(let number):
            if case .surrendered(_, let by)? = s.vouchers[number]?.state { s.vouchers[number]?.holder = by }
            s.vouchers[number]?.state = .held
        case let .lossNoticePublished(number, date, _):
            if let d = CivilDate(date) { s.vouchers[number]?.state = .lossNoticed(noticeDate: d) }
        case .lossNoticeWithdrawn(let number):
            s.vouchers[number]?.state = .held
            s.pendingReissues[number] = nil
        case .reissuePrepared(let number):
            s.pendingReissues[number] = r.actor.id
        case let .listed(number, auction, asking, opens, closes, revealEnds):
            guard let v = s.vouchers[number] else { return }
            s.vouchers[number]?.listings += 1
            s.vouchers[number]?.pledgeConsent = nil
            s.vouchers[number]?.lastListingEnd = revealEnds
            s.vouchers[number]?.state = .listed(Auction(id: auction, seller: v.holder, askingFenPerUnit: asking, opens: opens, closes: closes,
                                                        revealEnds: revealEnds, bids: []))
        case let .bidCommitted(number, _, bidder, commitment):
            if case .listed(var a)? = s.vouchers[number]?.state {
                a.bids.append(.init(bidder: bidder, commitment: commitment, revealed: nil)); s.vouchers[number]?.state = .listed(a)
            }
        case let .bidRevealed(number, _, bidder, price, _):
            if case .listed(var a)? = s.vouchers[number]?.state, let i = a.bids.firstIndex(where: { $0.bidder == bidder }) {
                a.bids[i].revealed = price; s.vouchers[number]?.state = .listed(a)
            }
        case let .auctionEvaluated(number, _, winner, price, total, _):
            if let winner, let price, let total {
                s.vouchers[number]?.state = .pendingHolderChange(buyer: winner, fenPerUnit: price, totalFen: total, buyout: false)
            } else {
                s.vouchers[number]?.state = .held   // JY 28: the seller takes the listing back
            }
        case let .pledged(number, pledgee):
            s.vouchers[number]?.pledgee = pledgee
            s.vouchers[number]?.pledgeConsent = nil
        case let .dealingConsented(number, _, operation):
            s.vouchers[number]?.pledgeConsent = operation
        case .pledgeReleased(let number, _):
            s.vouchers[number]?.pledgee = nil
            s.vouchers[number]?.pledgeConsent = nil
        case let .purchasePlanPublished(plan, quantity, price, closes):
            s.purchasePlans[plan] = PurchasePlan(id: plan, remaining: quantity, fenPerUnit: price, closes: closes)
        case let .offeredToPlan(number, plan, price, total):
            guard let v = s.vouchers[number] else { return }
            s.purchasePlans[plan]?.remaining -= v.quantity
            s.vouchers[number]?.state = .pendingHolderChange(buyer: platformReserve, fenPerUnit: price, totalFen: total, buyout: false)
            s.vouchers[number]?.pledgeConsent = nil
        case .reissued(let number):
            s.pendingReissues[number] = nil
            s.vouchers[number]?.edition += 1
            s.vouchers[number]?.reissued = true
            s.vouchers[number]?.state = .held
        }
    }
}
