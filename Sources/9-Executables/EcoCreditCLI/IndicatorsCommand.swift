import ArgumentParser
import Foundation
import Plumbing
import Registry
import RegistryStore
import Rules

/// `ecocredit indicators …`: the Shanwei coastline indicator registry (SW 19–28) in a local
/// SQLite ledger — its own ledger, as Shanwei's bureau keeps its own — with the same options as
/// `ecocredit registry` (`--as ID:ROLE`, `--key`, `--rulebook`, exit statuses).
struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Enter, plan, auction, award, contract, pay and split Shanwei coastline indicators in a ledger.",
        discussion: "Exit status: 0 applied, 1 refused by the rules (the code, article and message are printed), 2 input unusable, 4 rulebook unreadable, 64 usage.",
        subcommands: [LotPrepare.self, ResurveyLot.self, LotApprove.self, PlanDraft.self, PlanApprove.self, AuctionOpen.self, Bid.self, Reveal.self,
                      Object.self, DecideObjection.self, Agreement.self, Pay.self, Piece.self, Occupation.self, Restoration.self, PostTradeCheck.self,
                      Apply.self, Allocate.self, TransferPrepare.self, TransferApprove.self, Register.self])
}

extension LedgerOptions {
    /// The Shanwei trading rules of `--rulebook` (default: the shipped shanwei-coastline, not in force).
    func indicatorRules() throws -> IndicatorTradingRules {
        do {
            let book = try rulebook.map(RuleLibrary.rulebook(file:)) ?? RuleLibrary.rulebook(for: .shanweiCoastline)
            return try IndicatorTradingRules(book)
        } catch let e as RulesError {
            emitError(e, context: rulebook ?? "shanwei-coastline"); throw ExitCode(Exit.rulebook)
        }
    }
    func run(_ command: IndicatorCommand) throws { try run(command, rules: try indicatorRules(), in: ShanweiIndicators.self) }
}

extension IndicatorsCommand {
    struct LotPrepare: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lot-prepare",
            abstract: "Enter an accepted bundle's indicator metres as a lot (SW 20–22); another officer approves it.",
            discussion: "The bundle is verified, measured and checked; only an issuable indicator quantity enters, in whole centimetres, with the bundle's SHA-256.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "The lot's number.") var lot: String
        @Option(help: "The bundle (folder or .zip) whose check gives the metres.") var bundle: String
        @Option(parsing: .unconditional, help: "The social-capital share of the funding, a decimal from 0 to 1 (SW 11, 13).") var socialShare: String
        @Option(help: "The district as the rulebook's revenue table names it (陆丰市, 海丰县, 城区, 红海湾经济开发区, …).") var district: String
        func run() throws {
            let rules = try options.indicatorRules()
            let source = try options.storedSource(of: bundle, quantity: "indicatorMetres", in: ShanweiIndicators.self)
            try options.run(.prepareLot(lot: lot, source: source, funding: Funding(socialShare: socialShare, district: district)), rules: rules, in: ShanweiIndicators.self)
        }
    }
    struct LotApprove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lot-approve", abstract: "Approve a prepared lot (another officer, SW 22).")
        @OptionGroup var options: LedgerOptions
        @Argument var lot: String
        func run() throws { try options.run(.approveLot(lot: lot)) }
    }
    struct PlanDraft: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan-draft", abstract: "Draft a sale plan: lots, the reserve in fen per metre (SW 24, 27).")
        @OptionGroup var options: LedgerOptions
        @Argument var plan: String
        @Option(parsing: .upToNextOption, help: "The lots, whole.") var lots: [String]
        @Option(parsing: .unconditional, help: "Reserve price, integer fen per metre, within the SW 27 bounds.") var reserveFenPerMetre: Int64
        @Option(parsing: .unconditional, help: "Days from now during which auctions may be opened.") var validDays: Int = 90
        func run() throws {
            guard (1...3650).contains(validDays) else { throw ValidationError("--valid-days must be 1 to 3650") }
            try options.run(.draftPlan(plan: plan, lots: lots, reserveFenPerMetre: reserveFenPerMetre,
                                       validUntil: try options.instant().adding(milliseconds: Int64(validDays) * 86_400_000)))
        }
    }
    struct PlanApprove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan-approve", abstract: "Approve a sale plan with the city's decision (another officer, SW 25).")
        @OptionGroup var options: LedgerOptions
        @Argument var plan: String
        @Option(help: "The city government's decision (文号).") var decision: String
        func run() throws { try options.run(.approvePlan(plan: plan, decisionRef: decision)) }
    }
    struct AuctionOpen: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "auction-open", abstract: "Open single-round sealed bidding on a plan (the platform, SW 24); prints the auction's id.")
        @OptionGroup var options: LedgerOptions
        @Argument var plan: String
        @Option(parsing: .unconditional, help: "How long bids are taken, hours from now.") var hours: Int = 72
        func run() throws {
            guard (1...24 * 365).contains(hours) else { throw ValidationError("--hours must be 1 to 8760") }
            let now = try options.instant()
            try options.run(.openAuction(plan: plan, opens: now, closes: now.adding(milliseconds: Int64(hours) * 3_600_000)))
        }
    }
    /// A sealed bid: the price and a fresh nonce stay here; only the commitment goes to the ledger.
    struct Bid: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bid", abstract: "Commit a sealed bid in fen per metre; prints the receipt to keep for the reveal.")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option(parsing: .unconditional, help: "Your price in integer fen per metre.") var fenPerMetre: Int64
        func run() throws {
            let me = try options.actorValue()
            let receipt = try BidReceipt(auction: auction, bidder: me.id, price: fenPerMetre, priceKey: "fenPerMetre")
            try options.run(.commitBid(auction: auction, commitment: receipt.commitment))
            emit(receipt.json)
        }
    }
    struct Reveal: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reveal", abstract: "Reveal your bid after the close, with the price and nonce of your receipt.")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option(parsing: .unconditional) var fenPerMetre: Int64
        @Option var nonce: String
        func run() throws { try options.run(.revealBid(auction: auction, fenPerMetre: fenPerMetre, nonce: nonce)) }
    }
    struct Object: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "object", abstract: "Object to an award during its publicity period (SW 26).")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option var reason: String
        func run() throws { try options.run(.fileObjection(auction: auction, reason: reason)) }
    }
    struct DecideObjection: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decide-objection", abstract: "Uphold (annul the award) or dismiss an objection (CHK, SW 26).")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Flag var upheld = false
        @Option var reason: String
        func run() throws { try options.run(.decideObjection(auction: auction, upheld: upheld, reason: reason)) }
    }
    struct Agreement: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "agreement", abstract: "Record the signed agreement once publicity is over (CHK for the city, SW 26).")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option var ref: String
        func run() throws { try options.run(.signAgreement(auction: auction, agreementRef: ref)) }
    }
    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pay", abstract: "Record a payment in fen (the platform); the last one records the SW 28 split.")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option(parsing: .unconditional) var fen: Int64
        @Option var ref: String
        func run() throws { try options.run(.recordPayment(auction: auction, fen: fen, paymentRef: ref)) }
    }
    struct ResurveyLot: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resurvey-lot", abstract: "Enter shoreline recognised in the 2022 provincial re-survey as a lot, without acceptance (SW 22 ¶2).")
        @OptionGroup var options: LedgerOptions
        @Argument var lot: String
        @Option(help: "The re-survey's reference.") var survey: String
        @Option(parsing: .unconditional, help: "Length in metres, up to 2 decimals.") var metres: String
        @Option(parsing: .unconditional) var socialShare: String
        @Option var district: String
        func run() throws {
            try options.run(.prepareResurveyLot(lot: lot, surveyRef: survey, centimetres: try Centimetres.parse(metres), funding: Funding(socialShare: socialShare, district: district)))
        }
    }
    struct Piece: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "piece", abstract: "Record a shoreline piece in the coastline ledger (SW 5–6).")
        @OptionGroup var options: LedgerOptions
        @Argument var piece: String
        @Option(help: "natural, artificial or restored.") var kind: String
        @Option var district: String
        @Option(help: "The survey it comes from.") var survey: String
        @Option(parsing: .unconditional, help: "Length in metres, up to 2 decimals.") var metres: String
        func run() throws {
            guard let k = LedgerPiece.Kind(rawValue: kind) else { throw ValidationError("--kind must be natural, artificial or restored") }
            try options.run(.recordPiece(piece: piece, kind: k, district: district, surveyRef: survey, centimetres: try Centimetres.parse(metres)))
        }
    }
    struct Occupation: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "occupation", abstract: "Record a sea-use project occupying part of a piece (SW 6).")
        @OptionGroup var options: LedgerOptions
        @Argument var piece: String
        @Option var project: String
        @Option var occupier: String
        @Option(parsing: .unconditional) var metres: String
        func run() throws { try options.run(.recordOccupation(piece: piece, project: project, occupier: occupier, centimetres: try Centimetres.parse(metres))) }
    }
    struct Restoration: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restoration", abstract: "Record that a lot restored a piece (SW 6, 22).")
        @OptionGroup var options: LedgerOptions
        @Argument var piece: String
        @Option var lot: String
        func run() throws { try options.run(.recordRestoration(piece: piece, lot: lot)) }
    }
    struct PostTradeCheck: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "post-trade-check", abstract: "Record the check of a settled sale's shoreline (SW 7).")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option var result: String
        func run() throws { try options.run(.recordPostTradeCheck(auction: auction, result: result)) }
    }
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apply", abstract: "Apply to buy indicator metres for a sea-use project (SW 24).")
        @OptionGroup var options: LedgerOptions
        @Argument var application: String
        @Option(parsing: .unconditional) var metres: String
        @Option var project: String
        func run() throws { try options.run(.applyToPurchase(application: application, centimetres: try Centimetres.parse(metres), project: project)) }
    }
    struct Allocate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "allocate", abstract: "Allocate a settled purchase to the buyer's recorded occupation (compensate before occupying, SW 10).")
        @OptionGroup var options: LedgerOptions
        @Argument var auction: String
        @Option var piece: String
        @Option var project: String
        @Option(parsing: .unconditional) var metres: String
        func run() throws { try options.run(.allocate(auction: auction, piece: piece, project: project, centimetres: try Centimetres.parse(metres))) }
    }
    struct TransferPrepare: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "transfer-prepare", abstract: "Prepare a transfer of a lot to another city through the province (SW 23); another officer approves.")
        @OptionGroup var options: LedgerOptions
        @Argument var lot: String
        @Option(help: "The city government's consent.") var consent: String
        @Option(help: "The provincial trade's reference.") var trade: String
        @Option(parsing: .unconditional, help: "The proceeds in fen.") var fen: Int64
        func run() throws { try options.run(.prepareTransfer(lot: lot, consentRef: consent, tradeRef: trade, totalFen: fen)) }
    }
    struct TransferApprove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "transfer-approve", abstract: "Approve a prepared transfer; its proceeds split as an inter-city sale (SW 23, 28).")
        @OptionGroup var options: LedgerOptions
        @Argument var lot: String
        func run() throws { try options.run(.approveTransfer(lot: lot)) }
    }

    /// The register: lots with their centimetres and state, auctions with their result, and the
    /// split of every settled sale; bidders are redacted with `--public`.
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "register", abstract: "Print the indicator register (lots, auctions, splits; bidders redacted with --public; the lots as CSV with --csv).")
        @Argument var ledger: String
        @Flag var csv = false
        @Flag(name: .customLong("public")) var publicView = false
        func run() throws {
            let s = try openLedger(ledger, ShanweiIndicators.self, existing: true).state()
            if csv {
                // One row per lot: no personal data (lots carry none; bidders and buyers are in the auctions).
                let rows = [["lot", "centimetres", "district", "social share", "bundle sha256", "rulebook", "state"]]
                    + s.lots.values.sorted { $0.id < $1.id }.map { [$0.id, "\($0.centimetres)", $0.funding.district, $0.funding.socialShare, $0.source.bundleSHA256, $0.source.rulebook, LotRow.stateText($0.state)] }
                emit(rows.map { $0.map(CSVField.quote).joined(separator: ",") }.joined(separator: "\n"))
                return
            }
            var lines = ["lot\tmetres\tdistrict\tsocial share\tstate"]
            for l in s.lots.values.sorted(by: { $0.id < $1.id }) {
                lines.append("\(l.id)\t\(fixed(Double(l.centimetres) / 100, 2)) m\t\(l.funding.district)\t\(l.funding.socialShare)\t\(LotRow.stateText(l.state))")
            }
            lines.append("")
            lines.append("auction\tphase\tbids\twinner\tfen/m\ttotal fen\tpaid fen")
            for a in s.auctions.values.sorted(by: { $0.id < $1.id }) {
                lines.append("\(a.id)\t\(a.phase.rawValue)\t\(a.bids.count) (\(a.bids.filter { $0.revealed != nil }.count) revealed)\t\(publicView ? (a.winner == nil ? "—" : "(redacted)") : a.winner ?? "—")\t\(a.fenPerMetre.map(String.init) ?? "—")\t\(a.totalFen.map(String.init) ?? "—")\t\(a.paidFen)")
            }
            if !s.pieces.isEmpty {
                lines.append("")
                lines.append("ledger piece\tkind\tdistrict\tmetres\toccupied\trestored by\tchecks")
                for p in s.pieces.values.sorted(by: { $0.id < $1.id }) {
                    lines.append("\(p.id)\t\(p.kind.rawValue)\t\(p.district)\t\(fixed(Double(p.centimetres) / 100, 2)) m\t\(fixed(Double(p.occupiedCm) / 100, 2)) m\t\(p.restoredBy.joined(separator: ", "))\t\(p.checks.count)")
                }
            }
            for (id, list) in s.allocations.sorted(by: { $0.key < $1.key }) {
                lines.append("allocated from \(id): " + list.map { "\($0.project) \(fixed(Double($0.centimetres) / 100, 2)) m" }.joined(separator: ", "))
            }
            for (id, parts) in s.splits.sorted(by: { $0.key < $1.key }) {
                lines.append("")
                lines.append("SW Art. 28 split of \(id): " + parts.map { "\($0.lot) \($0.party) \($0.fen)" }.joined(separator: ", ") + " — total \(parts.reduce(0) { $0 + $1.fen }) fen")
            }
            lines.append("")
            lines.append("supply: " + Supply.lots(s).map { "\($0.state) \(fixed(Double($0.centimetres) / 100, 2)) m" }.joined(separator: ", ")
                         + " — library \(fixed(Double(s.lots.values.reduce(0) { $0 + $1.centimetres }) / 100, 2)) m")
            emit(lines.joined(separator: "\n"))
        }
    }
}

/// Metres written by people ("500.34") as whole centimetres.
enum Centimetres {
    static func parse(_ text: String) throws -> Int64 {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        func digits(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        guard (1...2).contains(parts.count), digits(parts[0]), parts[0].count <= 9, let whole = Int64(parts[0]),
              parts.count == 1 || (digits(parts[1]) && parts[1].count <= 2) else {
            throw ValidationError("metres are digits with at most 2 decimals (\"500.34\")")
        }
        let cm = whole * 100 + (parts.count == 2 ? Int64(parts[1])! * (parts[1].count == 1 ? 10 : 1) : 0)
        guard cm > 0 else { throw ValidationError("metres must be positive") }
        return cm
    }
}
