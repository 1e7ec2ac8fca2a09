import Crypto
import Foundation
import Plumbing

/// A signed checkpoint of a ledger's chain (registry-design I5): the bureau signs the head —
/// (registry, seq, hash, when) — with its Ed25519 key and publishes the result. Anyone holding a
/// published checkpoint and the bureau's public key can later show that the log was truncated
/// (it no longer reaches `seq`) or rewritten (event `seq` no longer has `hash`), however
/// consistently the rewriter recomputed the chain.
///
/// The signed message is `"ecocredit/checkpoint/v1" ‖ lp(registry) ‖ u64be(seq) ‖ hash ‖
/// u64be(signedAt ms)`, `lp` = u32be(length) ‖ UTF-8 — length-prefixed like the chain.
public struct Checkpoint: Sendable, Equatable, Codable {
    /// The registry ("jiangyin-eco-voucher", "shanwei-coastline").
    public var registry: String
    public var seq: UInt64
    /// The hash of event `seq`, lower-case hexadecimal.
    public var hash: String
    /// When it was signed (milliseconds since 1970, UTC).
    public var signedAt: Instant
    /// The signer's Ed25519 public key, lower-case hexadecimal (32 bytes).
    public var publicKey: String
    /// The Ed25519 signature of the message, lower-case hexadecimal (64 bytes).
    public var signature: String

    /// The bytes signed.
    public static func message(registry: String, seq: UInt64, hash: [UInt8], signedAt: Instant) -> [UInt8] {
        func be(_ v: UInt64, _ k: Int) -> [UInt8] { (0..<k).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        let r = Array(registry.utf8)
        return Array("ecocredit/checkpoint/v1".utf8) + be(UInt64(r.count), 4) + r + be(seq, 8) + hash + be(UInt64(bitPattern: signedAt.milliseconds), 8)
    }

    /// Signs the head `(seq, hash)` of registry `registry` with `key`.
    public static func sign(registry: String, seq: UInt64, hash: [UInt8], at signedAt: Instant, with signer: CheckpointKey) throws -> Checkpoint {
        let key = try signer.privateKey()
        let signature = try key.signature(for: message(registry: registry, seq: seq, hash: hash, signedAt: signedAt))
        return Checkpoint(registry: registry, seq: seq, hash: hexadecimal(hash), signedAt: signedAt,
                          publicKey: hexadecimal(key.publicKey.rawRepresentation), signature: hexadecimal(signature))
    }

    /// Whether the signature is the public key's over this checkpoint's message; with `trusted`,
    /// also that the key is that one (a checkpoint signed by another key proves nothing).
    public func signatureIsValid(trusted: String? = nil) -> Bool {
        guard trusted == nil || trusted!.lowercased() == publicKey,
              let k = SealedBid.bytes(hex: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: k),
              let s = SealedBid.bytes(hex: signature), let h = SealedBid.bytes(hex: hash), h.count == 32 else { return false }
        return key.isValidSignature(Data(s), for: Data(Checkpoint.message(registry: registry, seq: seq, hash: h, signedAt: signedAt)))
    }

    /// What is wrong with `log` against this checkpoint, if anything: a bad signature, a log
    /// that no longer reaches it (truncated) or whose event `seq` has another hash (rewritten).
    public func damage(in log: EventLog, registry expected: String, trusted: String? = nil) -> String? {
        guard registry == expected else { return "[LEDGER.CHECKPOINT] the checkpoint of event \(seq) is of the \(registry) registry, not \(expected)" }
        guard signatureIsValid(trusted: trusted) else {
            return trusted != nil && trusted!.lowercased() != publicKey
                ? "[LEDGER.CHECKPOINT] the checkpoint of event \(seq) is signed by another key (\(publicKey.prefix(16))…)"
                : "[LEDGER.CHECKPOINT] the checkpoint of event \(seq): its signature is not valid"
        }
        guard seq >= 1, UInt64(log.entries.count) >= seq else {
            return "[LEDGER.TRUNCATED] the log ends at event \(log.entries.count), a signed checkpoint names event \(seq)"
        }
        guard hexadecimal(log.entries[Int(seq) - 1].hash) == hash else {
            return "[LEDGER.REWRITTEN] event \(seq): its hash is not the one signed at \(signedAt)"
        }
        return nil
    }
}

/// A bureau's Ed25519 signing key for checkpoints, as its 32 raw bytes (a value that can cross
/// actors; the CryptoKit key is made where it signs). Kept in a file of 64 hexadecimal digits,
/// readable by its owner only.
public struct CheckpointKey: Sendable, Equatable {
    public let raw: [UInt8]
    /// A new random key.
    public static func generate() -> CheckpointKey { CheckpointKey(raw: Array(Curve25519.Signing.PrivateKey().rawRepresentation))! }
    /// Nil unless 32 bytes.
    public init?(raw: [UInt8]) { guard raw.count == 32 else { return nil }; self.raw = raw }
    /// From 64 hexadecimal digits (white space and line ends ignored).
    public init?(hex: String) {
        guard let b = SealedBid.bytes(hex: String(hex.filter { !$0.isWhitespace })), b.count == 32 else { return nil }
        raw = b
    }
    func privateKey() throws -> Curve25519.Signing.PrivateKey { try Curve25519.Signing.PrivateKey(rawRepresentation: raw) }
    /// The public key, lower-case hexadecimal: what the bureau publishes.
    public var publicKeyHex: String { (try? hexadecimal(privateKey().publicKey.rawRepresentation)) ?? "" }
}
