import ArgumentParser
import Crypto
import Foundation
import Plumbing
import Registry
import RegistryStore
import Rules

/// A bundle as bytes the ledger stores (I10: a quantity is recomputable from the stored bundle
/// and rulebook): a zip is its own bytes; a folder is packed as `ecocredit-bundle/v1` — for
/// every regular file, in the order of their relative paths, `lp(path) ‖ u64be(size) ‖ bytes`
/// (`lp` = u32be(length) ‖ UTF-8) — so that the same folder always gives the same bytes and
/// SHA-256. Unpacking refuses paths that leave the folder.
enum StoredBundle {
    static let magic = Array("ecocredit-bundle/v1\n".utf8)

    /// The bytes to store for the bundle at `path` (folder or zip).
    static func pack(_ path: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw ValidationError("\(path): no such bundle") }
        if !isDir.boolValue { return [UInt8](try RegularFile.read(path)) }
        var out = magic
        func be(_ v: UInt64, _ k: Int) -> [UInt8] { (0..<k).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        for f in (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []).sorted() {
            var d: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path + "/" + f, isDirectory: &d), !d.boolValue else { continue }
            let bytes = [UInt8](try RegularFile.read(path + "/" + f))
            let name = Array(f.utf8)
            out += be(UInt64(name.count), 4) + name + be(UInt64(bytes.count), 8) + bytes
        }
        return out
    }

    /// Writes stored bundle bytes into `folder` and returns the path to run the pipeline on (the
    /// folder, or `folder/bundle.zip`); nil when the bytes are not a bundle EcoCredit packed.
    static func unpack(_ bytes: [UInt8], into folder: String) throws -> String? {
        guard bytes.starts(with: magic) else {
            let zip = folder + "/bundle.zip"
            try Data(bytes).write(to: URL(fileURLWithPath: zip))
            return zip
        }
        var i = magic.count
        func take(_ n: Int) -> [UInt8]? { guard n >= 0, i + n <= bytes.count else { return nil }; defer { i += n }; return Array(bytes[i ..< i + n]) }
        func int(_ k: Int) -> Int? { take(k).map { $0.reduce(0) { $0 << 8 | Int($1) } } }
        while i < bytes.count {
            guard let n = int(4), let nameBytes = take(n), let name = String(bytes: nameBytes, encoding: .utf8), let size = int(8), let body = take(size),
                  !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else { return nil }
            let target = folder + "/" + name
            try FileManager.default.createDirectory(atPath: parentFolder(of: target), withIntermediateDirectories: true)
            try Data(body).write(to: URL(fileURLWithPath: target))
        }
        return folder
    }
}

extension LedgerOptions {
    /// Stores the bundle's bytes and the rulebook file's in the ledger, then checks the bundle: the
    /// issue source records both SHA-256 (so `ledger recompute` can run the check again).
    func storedSource<D: RegistryDomain>(of bundle: String, quantity id: String, in _: D.Type) throws -> IssueSource {
        let ledger = try openLedger(self.ledger, D.self)
        let bundleSHA = try ledger.storeBlob(try StoredBundle.pack(bundle))
        let rule: RuleId = D.name == ShanweiIndicators.name ? .shanweiCoastline : .jiangyinEcoVoucher
        guard let bookBytes = try rulebook.map({ [UInt8](try RegularFile.read($0)) }) ?? RuleLibrary.shippedFile(rule.rawValue) else {
            throw ValidationError("no rulebook for \(rule.rawValue)")
        }
        let bookSHA = try ledger.storeBlob(bookBytes)
        return try IssueSource.fromCheck(of: bundle, rulebookFile: rulebook, quantity: id, bundleSHA256: bundleSHA, rulebookSHA256: bookSHA)
    }
}
