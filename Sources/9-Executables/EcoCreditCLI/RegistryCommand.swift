import ArgumentParser
import Check
import Crypto
import Foundation
import Plumbing
import Registry
import RegistryStore
import Rules
import Workflow

/// `ecocredit registry …`: the Jiangyin voucher registry in a local SQLite ledger, one
/// subcommand per operation an officer, holder or the platform performs. The actor is named with
/// `--as ID:ROLE` (a local actor: the service adds authentication). Every command is dated by
/// this machine's clock, read in China time.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Issue, sell, surrender, cancel, return, lose and reissue Jiangyin eco-vouchers in a ledger.",
        discussion: """
        Exit status: 0 applied, 1 refused by the rules (the code, article and message are printed), \
        2 input unusable, 4 rulebook unreadable, 64 usage. A refusal leaves the ledger as it was, \
        except for deadlines that fell due, which are recorded whatever the command.
        """,
        subcommands: [IssuePrepare.self, Approve.self, Sell.self, RegisterHolder.self, Surrender.self, Cancel.self, Return.self,
                      LossNotice.self, WithdrawLossNotice.self, ReissuePrepare.self, List.self, Bid.self, Reveal.self,
                      Pledge.self, Consent.self, ReleasePledge.self, PurchasePlan.self, Offer.self, Register.self])
}

/// What every registry command needs: the ledger, the actor, the idempotency key and the rules.
struct LedgerOptions: ParsableArguments {
    @Argument(help: "The ledger (a SQLite file; created when absent; a file that is not a ledger is refused and left as it is).")
    var ledger: String
    @Option(name: .customLong("as"), help: "The actor, ID:ROLE with ROLE one of OFF, CHK, CON, OPS, BANK (pledgee), AUD, PUB.")
    var actor: String
    @Option(help: "Idempotency key: a retry with the same key is answered once (default: a new key).")
    var key: String?
    @Option(help: "The bureau's rulebook file with the trading rules in force (default: the shipped jiangyin-eco-voucher).")
    var rulebook: String?
    @Option(help: ArgumentHelp("The moment to date the command, ISO 8601 (replaying a scenario; default: now).", visibility: .hidden))
    var now: String?

    func actorValue() throws -> Actor {
        let parts = actor.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let role = Role(rawValue: parts[1]), role != .system else {
            throw ValidationError("--as must be ID:ROLE with ROLE one of OFF, CHK, CON, OPS, BANK, AUD, PUB")
        }
        return Actor(parts[0], role)
    }

    func rules() throws -> (VoucherTradingRules, Rulebook) {
        do {
            let book = try rulebook.map(RuleLibrary.rulebook(file:)) ?? RuleLibrary.rulebook(for: .jiangyinEcoVoucher)
            return (try VoucherTradingRules(book), book)
        } catch let e as RulesError {
            emitError(e, context: rulebook ?? "jiangyin-eco-voucher"); throw ExitCode(Exit.rulebook)
        }
    }

    func instant() throws -> Instant {
        guard let now else { return Instant(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let d = ISO8601DateFormatter().date(from: now) ?? fractional.date(from: now) else {
            throw ValidationError("--now must be an ISO 8601 moment with its offset")
        }
        return Instant(milliseconds: Int64((d.timeIntervalSince1970 * 1000).rounded()))
    }

    /// Runs `command` and prints the outcome; exit 1 when refused.
    func run(_ command: VoucherCommand) throws {
        let (rules, _) = try rules()
        try run(command, rules: rules)
    }

    func run(_ command: VoucherCommand, rules: VoucherTradingRules) throws { try run(command, rules: rules, in: JiangyinVouchers.self) }

    /// Runs `command` on the ledger of registry `D` and prints the outcome; exit 1 when refused.
    func run<D: RegistryDomain>(_ command: D.Command, rules: D.Rules, in _: D.Type) throws {
        let ledger = try openLedger(self.ledger, D.self)
        let outcome = try ledger.execute(command, by: try actorValue(), key: key ?? UUID().uuidString, at: try instant(), rules: rules)
        if let code = outcome.refusal {
            emitError("[\(code)] \(outcome.refusalZh ?? "")\n    \(outcome.refusalEn ?? "") (\(outcome.article ?? ""))")
            if !outcome.appended.isEmpty { emitError("recorded before deciding (deadlines due): events \(outcome.appended.map(String.init).joined(separator: ", "))") }
            throw ExitCode(Exit.failed)
        }
        emit("applied\(outcome.replayed ? " (an earlier request with this key)" : ""): events \(outcome.appended.map(String.init).joined(separator: ", "))")
    }
}

extension RegistryCommand {
    struct IssuePrepare: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "issue-prepare",
            abstract: "Prepare an issue from a bundle's check (JY 15–18); another officer approves it.",
            discussion: "The bundle is verified, measured and checked under the rulebook given; only an issuable quantity (verified without error, every criterion passed, rulebook in force, no example coefficients, no what-if override) can be issued. The bundle's SHA-256 is recorded.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "The voucher number.") var number: String
        @Option(help: "The bundle (folder or .zip) whose check gives the quantity.") var bundle: String
        @Option(help: "The holder's account.") var holder: String
        @Option(help: "The land-rights holder.") var landRightsHolder: String
        func run() throws {
            let (rules, _) = try options.rules()
            let source = try options.storedSource(of: bundle, quantity: "vouchers", in: JiangyinVouchers.self)
            try options.run(.prepareIssue(number: number, holder: holder, landRightsHolder: landRightsHolder, source: source), rules: rules)
        }
    }
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "issue-approve", abstract: "Approve a prepared issue (another officer, JY 18).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        func run() throws { try options.run(.approveIssue(number: number)) }
    }
    struct Sell: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sell", abstract: "Record a direct sale at a price per unit in fen (the platform, JY 22–25).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option var buyer: String
        @Option(parsing: .unconditional, help: "Price in integer fen per voucher unit.") var fenPerUnit: Int64
        func run() throws { try options.run(.recordDirectSale(number: number, buyer: buyer, fenPerUnit: fenPerUnit)) }
    }
    struct RegisterHolder: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "register-holder", abstract: "Register the new holder after a sale or buyout (JY 29–30).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        func run() throws { try options.run(.registerHolderChange(number: number)) }
    }
    struct Surrender: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "surrender", abstract: "Surrender vouchers for a land contract, whole or split (the holder, JY 32, 35).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option(parsing: .unconditional, help: "Quantity in voucher units with up to 4 decimals (\"2.5\").") var units: String
        @Option var landRef: String
        func run() throws {
            guard let bu = BaseUnits.parse(units) else { throw ValidationError("--units must be a positive number with at most 4 decimals") }
            try options.run(.surrender(number: number, quantity: bu, landRef: landRef))
        }
    }
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel surrendered vouchers after the land certificate (JY 33).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option var certificateRef: String
        func run() throws { try options.run(.cancel(number: number, certificateRef: certificateRef)) }
    }
    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "return", abstract: "Return surrendered vouchers when the land contract is rescinded (JY 33).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        func run() throws { try options.run(.returnSurrendered(number: number)) }
    }
    struct LossNotice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "loss-notice", abstract: "Record a loss notice published in the media (JY 36).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option(help: "The day the notice appeared, YYYY-MM-DD.") var date: CivilDate
        @Option var media: String
        func run() throws { try options.run(.publishLossNotice(number: number, noticeDate: date, media: media)) }
    }
    struct WithdrawLossNotice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "loss-withdraw", abstract: "Withdraw a loss notice: the original was found (JY 36).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        func run() throws { try options.run(.withdrawLossNotice(number: number)) }
    }
    struct ReissuePrepare: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reissue", abstract: "Prepare (OFF) or approve (CHK) a reissue marked 补发, 30 days after the notice (JY 36).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        func run() throws {
            try options.run(try options.actorValue().role == .approver ? .approveReissue(number: number) : .prepareReissue(number: number))
        }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List vouchers for resale by one sealed bid each (the holder, JY 28).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option(parsing: .unconditional, help: "Asking price in integer fen per voucher unit (not below the minimum protected price, JY 25).") var askingFenPerUnit: Int64
        @Option(parsing: .unconditional, help: "How long bids are taken, hours from now.") var hours: Int = 72
        func run() throws {
            let now = try options.instant()
            guard (1...24 * 365).contains(hours) else { throw ValidationError("--hours must be 1 to 8760") }
            try options.run(.list(number: number, askingFenPerUnit: askingFenPerUnit, opens: now, closes: now.adding(milliseconds: Int64(hours) * 3_600_000)))
        }
    }
    /// A sealed bid: the price and a fresh random nonce stay here; only the commitment goes to
    /// the ledger. The receipt printed is what the bidder keeps to reveal after the close.
    struct Bid: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bid", abstract: "Commit a sealed bid; prints the receipt (auction, price, nonce, commitment) to keep for the reveal.")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option(parsing: .unconditional, help: "Your price in integer fen per voucher unit.") var fenPerUnit: Int64
        func run() throws {
            let me = try options.actorValue()
            guard case .listed(let a)? = try openLedger(options.ledger, JiangyinVouchers.self, existing: true).state().vouchers[number]?.state else {
                emitError("[REG.STATE_CONFLICT] 生态券“\(number)”未挂牌 / voucher \(number) is not listed"); throw ExitCode(Exit.failed)
            }
            let receipt = try BidReceipt(auction: a.id, bidder: me.id, price: fenPerUnit, priceKey: "fenPerUnit")
            try options.run(.commitBid(number: number, commitment: receipt.commitment))
            emit(receipt.json)
        }
    }
    struct Reveal: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reveal", abstract: "Reveal your bid after the close, with the price and nonce of your receipt.")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option(parsing: .unconditional) var fenPerUnit: Int64
        @Option var nonce: String
        func run() throws { try options.run(.revealBid(number: number, fenPerUnit: fenPerUnit, nonce: nonce)) }
    }

    struct Pledge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pledge", abstract: "Pledge a voucher's proceeds to a financial institution (the holder, JY 14).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option(help: "The pledgee's account (it acts as ID:BANK).") var pledgee: String
        func run() throws { try options.run(.pledge(number: number, pledgee: pledgee)) }
    }
    struct Consent: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "consent", abstract: "Consent, as the pledgee, to one dealing with a pledged voucher: sell, list, surrender or offer (JY 14).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option var operation: String
        func run() throws { try options.run(.consentToDealing(number: number, operation: operation)) }
    }
    struct ReleasePledge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "release-pledge", abstract: "Release a pledge (the pledgee, JY 14).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        func run() throws { try options.run(.releasePledge(number: number)) }
    }
    struct PurchasePlan: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "purchase-plan", abstract: "Publish a purchase plan: units, price per unit in fen, days open (the platform, JY 26).")
        @OptionGroup var options: LedgerOptions
        @Argument var plan: String
        @Option(parsing: .unconditional, help: "Units to buy, up to 4 decimals.") var units: String
        @Option(parsing: .unconditional) var fenPerUnit: Int64
        @Option(parsing: .unconditional) var days: Int = 30
        func run() throws {
            guard let bu = BaseUnits.parse(units) else { throw ValidationError("--units must be a positive number with at most 4 decimals") }
            guard (1...3650).contains(days) else { throw ValidationError("--days must be 1 to 3650") }
            try options.run(.publishPurchasePlan(plan: plan, quantity: bu, fenPerUnit: fenPerUnit, closes: try options.instant().adding(milliseconds: Int64(days) * 86_400_000)))
        }
    }
    struct Offer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "offer", abstract: "Sell a whole voucher into a purchase plan (the holder, JY 26).")
        @OptionGroup var options: LedgerOptions
        @Argument var number: String
        @Option var plan: String
        func run() throws { try options.run(.offerToPlan(number: number, plan: plan)) }
    }

    /// The register: every voucher with its serials and state; holders are shown for the
    /// bureau and redacted with `--public`.
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "register", abstract: "Print the register of vouchers (CSV with --csv; holders redacted with --public).")
        @Argument var ledger: String
        @Flag var csv = false
        @Flag(name: .customLong("public")) var publicView = false
        func run() throws {
            let state = try openLedger(ledger, JiangyinVouchers.self, existing: true).state()
            let header = ["number", "issuance", "serials", "units", "holder", "edition", "state"]
            var rows = [header]
            for v in state.vouchers.values.sorted(by: { $0.number < $1.number }) {
                rows.append([v.number, v.issuance, v.range.description, VoucherUnits.text(v.quantity), publicView ? "—" : v.holder,
                             "\(v.edition)\(v.reissued ? " 补发" : "")", VoucherRow.stateText(v.state) + (v.pledgee.map { " (pledged to \(publicView ? "—" : $0))" } ?? "")])
            }
            if csv { emit(rows.map { $0.map(CSVField.quote).joined(separator: ",") }.joined(separator: "\n")) }
            else {
                emit(rows.map { $0.joined(separator: "\t") }.joined(separator: "\n"))
                let supply = Supply.vouchers(state)
                emit("supply: " + supply.map { "\($0.state) \(VoucherUnits.text($0.baseUnits))" }.joined(separator: ", ")
                     + " — issued \(VoucherUnits.text(state.issued.values.reduce(0, +))) units")
            }
        }
    }
}

/// The ledger of registry `D` at `path`, for a command: made when nothing is there, unless
/// `existing` (reading commands: a mistyped path is not an empty register). A file that is not a
/// ledger, or one that cannot be opened, exits 2 with its code; nothing is created or changed.
/// A writing command that makes the ledger says so on standard error (`LEDGER.CREATED`): a
/// mistyped path for `issue-prepare` starts a new ledger, and the officer should see that it did.
func openLedger<D: RegistryDomain>(_ path: String, _: D.Type, existing: Bool = false) throws -> SQLiteLedger<D> {
    let making = !existing && LedgerFiles.notYetMade(path)
    do {
        let ledger = existing ? try SQLiteLedger<D>(existing: path) : try SQLiteLedger<D>(path: path)
        if making { emitError(LedgerNotice.created(path: path, registry: D.name)) }
        return ledger
    }
    catch let e as LedgerFileError { emitError(e); throw ExitCode(Exit.unusable) }
    catch LedgerFinding.domain(let expected, let found) {
        emitError("\(path): [LEDGER.DOMAIN] 该台账属于另一登记簿（\(found)）/ this ledger is a \(found) registry, not \(expected)"); throw ExitCode(Exit.unusable)
    }
    catch { emitError("\(path): [LEDGER.UNREADABLE] 台账无法打开 / the ledger cannot be opened: \(error)"); throw ExitCode(Exit.unusable) }
}

/// A ledger file of either registry, opened as the registry it records it keeps.
struct AnyLedger {
    let registry: String
    let log: () throws -> EventLog
    let verify: () throws -> Result<Int, LedgerFinding>
    let checkpoints: () throws -> [Checkpoint]
    let addCheckpoint: (CheckpointKey, Instant) throws -> Checkpoint
    let blob: (String) throws -> [UInt8]?
    /// Every quantity the log issued from a check: the voucher or lot, its source, the check's quantity id.
    let sources: () throws -> [(key: String, source: IssueSource, quantity: String)]
    /// Opens the ledger that is at `path` as the registry it keeps (never creates one, never
    /// changes a file that is not a ledger: an empty file is not a ledger yet).
    init(path: String) throws {
        let domain: String?
        do { domain = try LedgerFiles.domain(at: path) } catch let e as LedgerFileError { emitError(e); throw ExitCode(Exit.unusable) }
        switch domain {
        case JiangyinVouchers.name?:
            let l = try openLedger(path, JiangyinVouchers.self, existing: true)
            (registry, log, verify, checkpoints, addCheckpoint, blob) = (JiangyinVouchers.name, l.log, l.verify, l.checkpoints, l.addCheckpoint, l.blob)
            sources = {
                try l.log().verify(VoucherRecord.self).compactMap { r in
                    if case let .issuePrepared(n, _, _, source) = r.event { return (n, source, "vouchers") }
                    return nil
                }
            }
        case ShanweiIndicators.name?:
            let l = try openLedger(path, ShanweiIndicators.self, existing: true)
            (registry, log, verify, checkpoints, addCheckpoint, blob) = (ShanweiIndicators.name, l.log, l.verify, l.checkpoints, l.addCheckpoint, l.blob)
            sources = {
                try l.log().verify(IndicatorRecord.self).compactMap { r in
                    if case let .lotPrepared(id, source, _, _) = r.event { return (id, source, "indicatorMetres") }
                    return nil
                }
            }
        default:
            emitError(LedgerFileError.notALedger(path: path, detail: domain.map { "a ledger of a registry this program does not keep (\($0))" } ?? "an empty file"))
            throw ExitCode(Exit.unusable)
        }
    }
}

/// `ecocredit ledger verify LEDGER`: the chain, the head and every projection row against the replay.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Verify, export or checkpoint a registry ledger.",
                                                    subcommands: [Verify.self, Export.self, Keygen.self, Checkpoint.self, Recompute.self])
    /// `ecocredit ledger recompute LEDGER`: every quantity the ledger issued, checked again from
    /// the bundle and rulebook bytes it stored (I10): the stored bytes must still hash to the
    /// record, and the pipeline must give the recorded quantity.
    struct Recompute: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "recompute", abstract: "Run the check again on every stored bundle and rulebook; compare each quantity with the ledger's (exit 1 on any difference).")
        @Argument var ledger: String
        func run() throws {
            let l = try AnyLedger(path: ledger)
            var problems = 0, same = 0
            for (key, source, id) in try l.sources() {
                if source.bundleSHA256.isEmpty {
                    emit("\(key): \(source.job) — entered without a check (SW 22 ¶2): nothing to recompute"); continue
                }
                func problem(_ code: String, _ zh: String, _ en: String) { problems += 1; emitError("\(key): [\(code)] \(zh)\n    \(en)") }
                guard let bundle = try l.blob(source.bundleSHA256) else {
                    problem("LEDGER.BLOB_MISSING", "台账未存储其数据包（\(source.bundleSHA256.prefix(16))…），无法复算", "the ledger does not hold its bundle (\(source.bundleSHA256.prefix(16))…): not recomputable"); continue
                }
                guard let bookSHA = source.rulebookSHA256, let book = try l.blob(bookSHA) else {
                    problem("LEDGER.BLOB_MISSING", "台账未存储其规则库文件，无法复算", "the ledger does not hold its rulebook file: not recomputable"); continue
                }
                if let d = LedgerStep<JiangyinVouchers>.blobDamage(name: source.bundleSHA256, bytes: bundle) ?? LedgerStep<JiangyinVouchers>.blobDamage(name: bookSHA, bytes: book) {
                    problem("LEDGER.BLOB", "存储的文件已被改动", d); continue
                }
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-recompute-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: scratch + "/bundle", withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: scratch) }
                try Data(book).write(to: URL(fileURLWithPath: scratch + "/rulebook.json"))
                guard let path = try StoredBundle.unpack(bundle, into: scratch + "/bundle") else {
                    problem("LEDGER.BLOB", "存储的数据包无法解包", "the stored bundle cannot be unpacked"); continue
                }
                let again = try IssueSource.fromCheck(of: path, rulebookFile: scratch + "/rulebook.json", quantity: id, bundleSHA256: source.bundleSHA256)
                if again.quantity == source.quantity && again.issuable == source.issuable && again.rulebook == source.rulebook {
                    same += 1
                    emit("\(key): \(id) \(again.quantity) recomputed = recorded (bundle \(source.bundleSHA256.prefix(16))…, \(source.rulebook))")
                } else {
                    problem("REG.RECOMPUTE_MISMATCH", "复算结果（\(again.quantity)）与台账记录（\(source.quantity)）不同",
                            "recomputed \(id) \(again.quantity) (issuable \(again.issuable)), the ledger records \(source.quantity) (issuable \(source.issuable))")
                }
            }
            emit("recomputed: \(same) equal, \(problems) not")
            if problems > 0 { throw ExitCode(Exit.failed) }
        }
    }
    /// `ecocredit ledger keygen KEYFILE`: a new Ed25519 key for signing checkpoints, written as 64
    /// hexadecimal digits to a new file readable by its owner only; prints the public key to publish.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Make the bureau's checkpoint signing key (a new file, mode 0600); prints the public key.")
        @Argument var keyFile: String
        func run() throws {
            let key = CheckpointKey.generate()
            let fd = open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { emitError("\(keyFile): [LEDGER.KEY_FILE] cannot create the key file (it must not exist): \(String(cString: strerror(errno)))"); throw ExitCode(Exit.unusable) }
            let text = Array((hexadecimal(key.raw) + "\n").utf8)
            let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fsync(fd); close(fd)
            guard written == text.count else { emitError("\(keyFile): [LEDGER.KEY_FILE] the key was not written whole"); throw ExitCode(Exit.unusable) }
            emit("public key: \(key.publicKeyHex)")
        }
    }
    /// `ecocredit ledger checkpoint LEDGER --key KEYFILE`: signs the head and stores the checkpoint;
    /// prints it as JSON — the line to publish (and for auditors to keep).
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Sign the ledger's head with the bureau's key, store and print the checkpoint (JSON).")
        @Argument var ledger: String
        @Option(help: "The key file made by `ledger keygen`.") var key: String
        func run() throws {
            let l = try AnyLedger(path: ledger)
            guard let text = try? String(decoding: RegularFile.read(key), as: UTF8.self), let k = CheckpointKey(hex: text) else {
                emitError("\(key): [LEDGER.KEY_FILE] not a key file (64 hexadecimal digits)"); throw ExitCode(Exit.unusable)
            }
            let now = Instant(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
            emit(String(decoding: try EventLog.canonicalJSON(try l.addCheckpoint(k, now)), as: UTF8.self))
        }
    }
    /// `ecocredit ledger export LEDGER`: every event as one JSON line — seq, type, the payload
    /// (the exact bytes hashed, as UTF-8 text), prev and hash in hexadecimal — and the head last:
    /// enough for anyone to recompute the chain (tools/verify_ledger.py, standard library only).
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the log as JSON lines (seq, type, payload, prev, hash), then the head.")
        @Argument var ledger: String
        func run() throws {
            let l = try AnyLedger(path: ledger)
            let log = try l.log()
            for e in log.entries {
                emit("{\"hash\":\"\(hexadecimal(e.hash))\",\"payload\":\(JSONText.string(String(decoding: e.payload, as: UTF8.self))),\"prev\":\"\(hexadecimal(e.prev))\",\"seq\":\(e.seq),\"type\":\(JSONText.string(e.type))}")
            }
            for c in try l.checkpoints() { emit("{\"checkpoint\":\(String(decoding: try EventLog.canonicalJSON(c), as: UTF8.self))}") }
            emit("{\"head\":{\"hash\":\"\(hexadecimal(log.head))\",\"seq\":\(log.entries.count)}}")
        }
    }
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify the hash chain, its stored checkpoints and the projections (exit 1 naming the first damaged event or row).",
            discussion: "With --checkpoint, also against a checkpoint saved elsewhere (a line printed by `ledger checkpoint`), signed by --public-key: finds a log truncated or rewritten consistently.")
        @Argument var ledger: String
        @Option(help: "A saved checkpoint (a file holding the JSON line `ledger checkpoint` printed).") var checkpoint: String?
        @Option(help: "The bureau's public key (hexadecimal) the saved checkpoint must be signed with.") var publicKey: String?
        func run() throws {
            let l = try AnyLedger(path: ledger)
            if let checkpoint {
                guard let publicKey else { throw ValidationError("--checkpoint needs --public-key: a checkpoint proves something only under a key you trust") }
                guard let data = try? RegularFile.read(checkpoint),
                      let c = try? JSONDecoder().decode(Registry.Checkpoint.self, from: data) else {
                    emitError("\(checkpoint): [LEDGER.CHECKPOINT_FILE] not a checkpoint (the JSON line `ledger checkpoint` prints)"); throw ExitCode(Exit.unusable)
                }
                if let d = c.damage(in: try l.log(), registry: l.registry, trusted: publicKey) { emitError("\(ledger): \(d)"); throw ExitCode(Exit.failed) }
            }
            switch try l.verify() {
            case .success(let n): emit("ledger verified: \(n) events, chain, \(try l.checkpoints().count) stored checkpoints\(checkpoint == nil ? "" : ", the saved checkpoint") and projections agree")
            case .failure(let f): emitError("\(ledger): \(f)"); throw ExitCode(Exit.failed)
            }
        }
    }
}

extension IssueSource {
    /// The issue source of a bundle's check: verified, measured and checked under the rulebook
    /// given, its `quantity` (by id) with its units, whether it is issuable and why not, and the
    /// bundle's SHA-256 (the quantity is recomputable from those bytes and that rulebook).
    static func fromCheck(of bundle: String, rulebookFile: String?, quantity id: String, bundleSHA256: String, rulebookSHA256: String? = nil) throws -> IssueSource {
        try runPipeline(bundle, options: .init(rulebookFile: rulebookFile), through: .check) { r -> IssueSource in
            // Why not issuable: the quantity's reason codes, else its status ("CHECK.NOT-ASSESSED"), else no quantity at all.
            let q = r.check?.quantities.first { $0.id == id }
            let reasons = IssueSource.blockers(quantity: id, status: q?.status.rawValue, reasonCodes: q?.reasons.map(\.code) ?? [])
            return IssueSource(job: "check \(r.path) \(r.check?.checkDate ?? "")", bundleSHA256: bundleSHA256,
                               rulebook: r.rulebook?.citation ?? "", quantity: q?.units ?? 0, issuable: q?.isIssuable ?? false, reasons: reasons,
                               rulebookSHA256: rulebookSHA256)
        }
    }
}

/// A sealed bid made here: a fresh 32-byte nonce from the system's generator, the commitment
/// (the only part sent to the ledger) and the receipt the bidder keeps to reveal after the close.
struct BidReceipt {
    let commitment: String
    let json: String
    init(auction: String, bidder: String, price: Int64, priceKey: String) throws {
        var rng = SystemRandomNumberGenerator()
        let nonce = hexadecimal((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        guard price > 0, let c = SealedBid.commitment(auction: auction, bidder: bidder, fenPerUnit: price, nonce: nonce) else {
            throw ValidationError("the price must be positive")
        }
        commitment = c
        json = "{\"auction\":\(JSONText.string(auction)),\"bidder\":\(JSONText.string(bidder)),\"commitment\":\"\(c)\",\"\(priceKey)\":\(price),\"nonce\":\"\(nonce)\"}"
    }
}

/// Voucher units written by people ("2.5", "0.0001") as base units.
enum BaseUnits {
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        func digits(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { (0x30...0x39).contains($0) } }   // no sign, no spaces
        guard (1...2).contains(parts.count), digits(parts[0]), parts[0].count <= 9, let whole = Int64(parts[0]) else { return nil }
        var frac: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...4).contains(f.count), digits(f), let v = Int64(f) else { return nil }
            frac = v * [1000, 100, 10, 1][f.count - 1]
        }
        let bu = whole * VoucherUnits.perUnit + frac
        return bu > 0 ? bu : nil
    }
}

enum CSVField {
    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
