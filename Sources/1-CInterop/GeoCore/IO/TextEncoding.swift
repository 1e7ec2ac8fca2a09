import Foundation

/// Text encodings met in Chinese GIS data.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    /// GB18030, a superset of GBK (CP936) and GB2312: GBK bytes decode identically.
    case gb18030 = "GB18030"
    case ascii = "ASCII"
    /// Windows-1252 ("ANSI" in Western locales).
    case windows1252 = "CP1252"

    var foundation: String.Encoding {
        switch self {
        case .utf8: return .utf8
        case .gb18030: return String.Encoding(rawValue: 0x8000_0632)   // kCFStringEncodingGB_18030_2000
        case .ascii: return .ascii
        case .windows1252: return .windowsCP1252
        }
    }

    /// Strict decoding: nil when the bytes are not valid in this encoding.
    public func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        String(data: Data(bytes), encoding: foundation)
    }

    /// Encoding for writing; nil when a character cannot be represented.
    public func encode(_ text: String) -> [UInt8]? {
        text.data(using: foundation, allowLossyConversion: false).map { [UInt8]($0) }
    }

    /// The encoding named by a `.cpg` file or a code-page label ("UTF-8", "GBK", "936", "CP936",
    /// "GB2312", "GB18030", "65001", "ANSI 936", "1252" …); nil when unknown.
    public init?(codePageLabel: String) {
        let l = codePageLabel.trimmingSpacesAndNewlines().uppercased().filter { $0 != "-" && $0 != "_" }
        switch l {
        case "UTF8", "65001", "UTF 8": self = .utf8
        case "GBK", "936", "CP936", "ANSI 936", "GB2312", "GB18030", "54936", "CP54936", "EUCCN": self = .gb18030
        case "1252", "CP1252", "ANSI 1252", "WINDOWS1252", "ANSI", "ISO88591", "LATIN1": self = .windows1252
        case "ASCII", "USASCII", "20127": self = .ascii
        default: return nil
        }
    }

    /// The encoding of a DBF language-driver byte (header offset 29) that names one code page;
    /// nil for 0 (none), for 0x57 and 0x03 ("ANSI": the writer's system code page, which on a
    /// Chinese Windows is GBK, so the text must be detected) and for unknown values.
    public init?(languageDriver ldid: UInt8) {
        switch ldid {
        case 0x4D, 0x7A: self = .gb18030     // 936 Chinese (PRC, GBK)
        case 0x58, 0x59: self = .windows1252  // Western European, Spanish ANSI
        default: return nil
        }
    }
}

/// How a layer's attribute text was decoded, for the verification report.
public struct EncodingReport: Sendable, Equatable {
    public enum Source: String, Sendable { case cpg, languageDriver = "ldid", detected, asciiOnly = "ascii-only" }
    public var encoding: TextEncoding
    public var source: Source
    /// What the file said (the `.cpg` text or the LDID byte), when it said anything.
    public var declared: String?
    public var description: String {
        switch source {
        case .cpg: return "\(encoding.rawValue) (from .cpg \"\(declared ?? "")\")"
        case .languageDriver: return "\(encoding.rawValue) (from DBF language driver \(declared ?? ""))"
        case .detected:
            if let declared { return "\(encoding.rawValue) (detected: no .cpg; the DBF language driver \(declared) names no single code page)" }
            return "\(encoding.rawValue) (detected: no .cpg and no code page in the DBF)"
        case .asciiOnly: return "ASCII (no .cpg, no code page; all text is ASCII)"
        }
    }
}
