import Foundation

/// The Chinese of how layers were read, which the readers (`TextEncoding`) and the working-CRS
/// choice (`LayerSet`) describe in English: text encodings and the reason for the working CRS.
/// Here, below every stage, so that the verification report, the check and the annex say them
/// the same way.
public enum ReadingText {
    /// How the attribute text was decoded ("GB18030 (from .cpg "GBK")").
    public static func encodingZh(_ english: String) -> String {
        english.replacingOccurrences(of: "(from .cpg ", with: "（取自 .cpg ").replacingOccurrences(of: "(from DBF language driver ", with: "（取自 DBF 代码页字节 ")
            .replacingOccurrences(of: "(detected: no .cpg and no code page in the DBF)", with: "（按内容判定：无 .cpg，DBF 未指明代码页）")
            .replacingOccurrences(of: "(detected: no .cpg; the DBF language driver ", with: "（按内容判定：无 .cpg；DBF 代码页字节 ")
            .replacingOccurrences(of: " names no single code page)", with: " 未指明唯一代码页）")
            .replacingOccurrences(of: "ASCII (no .cpg, no code page; all text is ASCII)", with: "ASCII（无 .cpg 与代码页；全部为 ASCII 文字）")
            .replacingOccurrences(of: "\")", with: "\"）").closingParenthesisAfterCodePage
    }

    /// Why the working CRS was chosen (measurement-methods §0).
    public static func workingCRSReasonZh(_ english: String) -> String {
        let text = english.replacingOccurrences(of: "the only CGCS2000 Gauss–Krüger CRS among the layers (§0)", with: "各图层中唯一的 CGCS2000 高斯–克吕格坐标系（§0）")
        guard let c = TextPattern.match(text, "3° zone nearest the centre longitude {n}°E: CM {d}°E (§0)") else { return text }
        return TextPattern.fill("距中心经度 $1°E 最近的 3° 带：中央经线 $2°E（§0）", c)
    }
}

extension String {
    /// ")" after a code page byte ("0x" and two hexadecimal capitals) as a full-width "）".
    fileprivate var closingParenthesisAfterCodePage: String {
        let b = Array(utf8)
        guard b.count >= 5 else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(b.count + 8)
        func hex(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x46).contains(c) }
        for i in b.indices {
            if b[i] == 0x29, i >= 4, b[i - 4] == 0x30, b[i - 3] == 0x78, hex(b[i - 2]), hex(b[i - 1]) {
                out += Array("）".utf8)
            } else { out.append(b[i]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
