import Foundation
import Plumbing
import Rules

/// The Chinese of what the check and the annex receive as data in English: measured values' labels and
/// methods (by value id), article citations, notes, encodings and working-CRS reasons. One
/// catalogue, so that the Chinese annex holds no English word but codes, units' symbols and
/// proper names (`AnnexChineseTests` scans every sample's annex). English outputs keep the
/// English texts as measured.
public enum ChineseText {
    /// A measured value's label, by its id (`beach.segment[2].length_m`, `parcel[JY-001].vouchers`).
    public static func label(id: String, english: String) -> String {
        let (pattern, subject) = normalise(id)
        let s = subject ?? ""
        let roleName = { (r: String) in roleNames[r] ?? r }
        if pattern.hasPrefix("layer.") {
            let parts = pattern.split(separator: ".").map(String.init)   // layer, role, measure
            let role = parts.count > 1 ? roleName(parts[1]) : ""
            return parts.last?.hasPrefix("length") == true ? "\(role)：总长度" : "\(role)：总面积"
        }
        if let stat = widthStatistics[String(pattern.split(separator: ".").last ?? "")], ["beach", "mangrove", "mudflat"].contains(String(pattern.split(separator: ".").first ?? "")) {
            return formulaWords(stat)
        }
        if pattern.hasPrefix("parcel[*].after.") || pattern.hasPrefix("parcel[*].current.") {
            // "parcel JY-001, class 0301 乔木林地": the class code and its Chinese name are kept.
            let cls = english.components(separatedBy: ", class ").last ?? ""
            return "地块 \(s)：\(pattern.hasPrefix("parcel[*].after.") ? "修复后" : "现状")地类 \(cls)"
        }
        if let t = labels[pattern] { return t.replacingOccurrences(of: "{s}", with: s) }
        if pattern.hasPrefix("beach.segment[*]") || pattern == "beach.qualifyingLength_m" { return segmentLabel(pattern, s, english) }
        return english
    }

    /// A measured value's method.
    public static func method(_ english: String) -> String {
        formulaWords(methodText(english))
    }
    /// Function names in formulas, in Chinese.
    public static func formulaWords(_ s: String) -> String {
        s.replacingOccurrences(of: "area(", with: "面积(").replacingOccurrences(of: "length(", with: "长度(").replacingOccurrences(of: "buffer(", with: "缓冲(")
    }
    public static func methodText(_ english: String) -> String {
        if let m = methods[english] { return m }
        if let n = TextPattern.match(english, "§8 area(parcel ∩ ∪ class polygons), slivers < {n} m² dropped")?.first {
            return "§8 area(地块 ∩ ∪ 地类图斑)，舍去小于 \(n) m² 的碎片"
        }
        if english.hasPrefix("intersection rule ") {
            let rule = String(english.dropFirst("intersection rule ".count))
            return "交点规则：" + (["closest": "最近", "seaward": "最向海", "landward": "最向陆", "farthest": "最远"][rule] ?? rule)
        }
        return english
    }

    /// An article with the quantity's source in parentheses ("SW Art. 3, 22 (beach.qualifyingLength_m)",
    /// "… (declared restoredLength_m)"): the article in Chinese, and the source id apart (shown as code).
    public static func articleAndSource(_ english: String) -> (article: String, source: String?) {
        // " (source)" at the end: an optional "declared ", then an identifier (letters, digits, _ . [ ]).
        guard english.hasSuffix(")"), let open = english.range(of: " (", options: .backwards) else { return (article(english), nil) }
        var inner = english[open.upperBound..<english.index(before: english.endIndex)]
        let declared = inner.hasPrefix("declared ")
        if declared { inner = inner.dropFirst("declared ".count) }
        guard let first = inner.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_",
              inner.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.[]".unicodeScalars.contains($0)) })
        else { return (article(english), nil) }
        return (article(String(english[..<open.lowerBound])), (declared ? "申报 " : "") + inner)
    }

    /// "SW Art. 19(1), (4)" → "汕尾办法第19(1)、(4)条"; "measurement-methods §3" → "量测方法 §3".
    public static func article(_ english: String) -> String {
        var s = english
        for (code, name) in [("SW", "汕尾办法"), ("JY", "江阴办法")] { s = citations(in: s, code: code, name: name) }
        for (en, zh) in articlePhrases { s = s.replacingOccurrences(of: en, with: zh) }
        return s
    }

    /// Each "CODE Art. 19(1), (4), 22" in `s` (an article number with an optional paragraph,
    /// then ", " and further numbers or paragraphs) as "name第19(1)、(4)、22条".
    static func citations(in s: String, code: String, name: String) -> String {
        let b = Array(s.utf8), head = Array((code + " Art. ").utf8)
        func isDigit(_ i: Int) -> Bool { i < b.count && (0x30...0x39).contains(b[i]) }
        func digits(_ i: Int) -> Int { var j = i; while isDigit(j) { j += 1 }; return j }
        /// The end of "(n)" at `i`, or `i` when there is none.
        func paragraph(_ i: Int) -> Int {
            guard i < b.count, b[i] == 0x28, isDigit(i + 1) else { return i }
            let j = digits(i + 1)
            return j < b.count && b[j] == 0x29 ? j + 1 : i
        }
        var out: [UInt8] = [], i = 0
        while i < b.count {
            guard b[i...].starts(with: head), isDigit(i + head.count) else { out.append(b[i]); i += 1; continue }
            var items: [String] = []
            var j = paragraph(digits(i + head.count))
            items.append(String(decoding: b[(i + head.count)..<j], as: UTF8.self))
            while j + 1 < b.count, b[j] == 0x2C, b[j + 1] == 0x20 {
                let end = paragraph(digits(j + 2))
                guard end > j + 2 else { break }
                items.append(String(decoding: b[(j + 2)..<end], as: UTF8.self)); j = end
            }
            out += Array("\(name)第\(items.joined(separator: "、"))条".utf8)
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A note of the measurement or the check (known forms; anything else is kept as written).
    public static func note(_ english: String) -> String {
        for (pattern, template) in notePatterns {
            if let captures = TextPattern.match(english, pattern) { return TextPattern.fill(template, captures) }
        }
        return english
    }

    /// How the attribute text was decoded, in Chinese (`ReadingText.encodingZh`).
    public static func encoding(_ english: String) -> String { ReadingText.encodingZh(english) }
    /// Why the working CRS was chosen, in Chinese (`ReadingText.workingCRSReasonZh`).
    public static func workingCRSReason(_ english: String) -> String { ReadingText.workingCRSReasonZh(english) }

    /// "parcel JY-001" → "地块 JY-001", "segment 2" → "第 2 段".
    public static func subject(_ english: String) -> String { CriterionResult.subjectZh(english) }

    /// A declared or expected value in words.
    public static func value(_ english: String) -> String {
        ["true": "是", "false": "否", "left": "左侧", "right": "右侧", "present": "已申报", "accreting": "淤积", "stable": "稳定", "eroding": "侵蚀",
         "medium-fine": "中细砂", "fine": "细砂", "medium": "中砂", "coarse": "粗砂"][english] ?? english
    }

    /// A unit as the Chinese annex writes it (symbols stay symbols).
    public static func unit(_ u: String) -> String {
        ["ratio": "", "count": "个", "unit": "单位", "days": "天"][u] ?? u
    }

    /// Where the check date came from.
    public static func dateSource(_ english: String) -> String {
        ["--date": "--date 选项", "the manifest's checkDate": "提交清单的核查日期", "today in China time (no checkDate given)": "今日（北京时间；未给出 checkDate）"][english] ?? english
    }

    /// How geodesic cross-checks are computed (`GeodesicCheck.method`), in Chinese.
    public static func geodesicMethod(_ english: String) -> String {
        english.hasPrefix("CGCS2000 ellipsoid") ? geodesicMethodZh : english
    }
    public static let geodesicMethodZh = "CGCS2000 椭球（a = 6378137 m，f = 1/298.257222101），顶点由高斯–克吕格平面坐标按克吕格级数（至 n⁶ 阶，Karney 2011；与 PROJ 横轴墨卡托算法相差小于 1·10⁻¹²°）换算，边按测地线计算、不加密：面积用 Karney 算法；长度短于 100 m 的边用中纬度公式（与 Karney 相差小于 2·10⁻⁸ m），其余用 Karney 反算"

    // MARK: Catalogue

    /// Role names in Chinese, from the one table (`LayerRole.name`).
    public static let roleNames: [String: String] = Dictionary(uniqueKeysWithValues: LayerRole.allCases.map { ($0.rawValue, $0.name.zh) })

    public static let widthStatistics: [String: String] = [
        "meanWidth_m": "全部测站平均宽度", "minWidth_m": "最小宽度", "p10Width_m": "第 10 百分位宽度", "medianWidth_m": "宽度中位数",
        "maxWidth_m": "最大宽度", "stationShare": "宽度大于 0 的测站比例", "stations": "测站数",
        "truncatedStations": "截取段到达断面端点的测站数（要素可能宽于 h）", "areaWidth_m": "面积宽度 Σ area(F ∩ C_k) / Σ L_k",
    ]

    public static let labels: [String: String] = [
        "beach.segments": "沙滩段数（连续段）",
        "dike.bedrockShare": "潮间带中基岩所占比例", "dike.bedrock_m2": "出露基岩面积", "dike.removedFraction": "已拆除不透水长度 / 堤坝总长度",
        "dike.removedImpermeable_m": "已拆除不透水长度", "dike.removedPieces": "已拆除不透水堤段数", "dike.totalBefore_m": "拆除前堤坝总长度（含透水段）",
        "mangrove.averageCoverageWidth_m": "红树林平均覆盖宽度（§5，含零值）", "mangrove.coveredIntertidal_m2": "潮间带内红树林面积",
        "mangrove.intertidalCover": "红树林占潮间带比例", "mangrove.intertidal_m2": "潮间带面积",
        "mudflat.averageWidth_m": "潮间带平均宽度（§4：全部测站 w_i 的平均）",
        "parcel[*].area_m2": "地块 {s} 面积", "parcel[*].constructionShare": "地块 {s} 位于三调建设用地内的比例",
        "parcel[*].spatialPlanShare": "地块 {s} 位于适宜修复的空间规划分区内的比例",
        "parcel[*].geohazardOverlap_m2": "地块 {s} 与地质灾害区的重叠面积", "parcel[*].heritageOverlap_m2": "地块 {s} 与文物保护范围的重叠面积",
        "parcel[*].restricted_rightsOverlap_m2": "地块 {s} 与权利受限土地的重叠面积",
        "parcel[*].homesteadWithoutAgreement": "地块 {s}：修复前为宅基地（0702）且未申报退出协议",
        "parcel[*].vouchers": "地块 {s} 产生的生态券", "parcel[*].vouchersRequired": "地块 {s} 应购买的生态券",
        "parcels.vouchers": "全部地块产生的生态券", "parcels.vouchersRequired": "全部地块应购买的生态券",
        "seawall.area_m2": "海堤占地面积", "seawall.invasivePolygons": "外来入侵物种植被图斑数", "seawall.vegetated_m2": "扣除入侵物种后的植被面积",
        "seawall.vegetationCover": "扣除入侵物种后的植被覆盖率",
        "seawall_line.length_m": "海堤线长度", "shoreline.length_m": "生态恢复岸线长度",
        "stability.accreting": "净变化为正（淤积）的断面数", "stability.ambiguousTransects": "与同一历史岸线多次相交的断面数",
        "stability.daysSinceEarliest": "最早历史岸线至核查日期的天数", "stability.endPointRate_m_per_yr": "端点变化速率",
        "stability.eroding": "净变化为负（侵蚀）的断面数", "stability.erosionShare": "变化小于 −5 m 的断面比例",
        "stability.netChangeMax_m": "净变化最大值", "stability.netChangeMin_m": "净变化最小值", "stability.netChange_m": "净变化，断面平均（向海为正）",
        "stability.transectsWithoutBoth": "未同时与最早和最新岸线相交的断面数",
    ]

    public static func segmentLabel(_ pattern: String, _ s: String, _ english: String) -> String {
        // "segment 0 length (0.00 – 400.27 m along part 0)": the numbers are kept.
        let where_ = TextPattern.match(english, "{*} ({n} – {n} m along part {d})").map { "（第 \($0[3]) 部分 \($0[1]) – \($0[2]) m）" } ?? ""
        switch pattern {
        case "beach.segment[*].length_m": return "第 \(s) 段长度\(where_)"
        case "beach.segment[*].averageWidth_m": return "第 \(s) 段平均宽度\(where_)"
        default:
            // "qualifying length (segments > 50 m long, > 15 m wide on average)"
            return TextPattern.match(english, "qualifying length (segments {w} {d} m long, {w} {d} m wide on average)")
                .map { TextPattern.fill("符合条件的岸线长度（长度 $1 $2 m、平均宽度 $3 $4 m 的段）", $0) } ?? english
        }
    }

    public static let methods: [String: String] = [
        "DSAS-style summary": "DSAS 式汇总",
        "§0 m² / (10000/15)": "§0 m² / (10000/15)",
        "§0 planar area": "§0 工作坐标系平面面积", "§0 planar area, sum over features": "§0 平面面积，各要素之和",
        "§0 planar length in the working CRS": "§0 工作坐标系平面长度", "§0 planar length, sum over features": "§0 平面长度，各要素之和",
        "§2 cross-check: flat-capped buffer of h": "§2 校核：半宽 h 的平头缓冲区",
        "§2 widths along §1 transects, all stations, zeros included": "§2 沿 §1 断面量取宽度，全部测站，含零值",
        "§3": "§3",
        "§3 change earliest → latest along T_i, intersection closest to P(t_i)": "§3 沿 T_i 自最早至最新岸线的变化，取最接近 P(t_i) 的交点",
        "§3 check date − earliest survey": "§3 核查日期 − 最早测量日期",
        "§3 each run of the beach along the shoreline is a segment": "§3 沙滩沿岸线的每个连续段为一段",
        "§3 erosion rule": "§3 侵蚀判定规则",
        "§3 mean w_i over the run's stations": "§3 该段各测站 w_i 的平均",
        "§3 net change / (days / 365.25)": "§3 净变化 / (天数 / 365.25)",
        "§3 run length = stations × L/n": "§3 段长 = 测站数 × L/n",
        "§3 sum of qualifying segments' lengths (strict, unrounded)": "§3 符合条件各段长度之和（严格比较，不取整）",
        "§5 area(mangrove ∩ intertidal)": "§5 area(红树林 ∩ 潮间带)",
        "§5 area(mangrove ∩ intertidal) / area(intertidal)": "§5 area(红树林 ∩ 潮间带) / area(潮间带)",
        "§5 area(∪intertidal)": "§5 area(∪潮间带)",
        "§6 area((∪vegetation − ∪invasive) ∩ seawall) / area(seawall)": "§6 area((∪植被 − ∪入侵物种) ∩ 海堤) / area(海堤)",
        "§6 area(∪seawall)": "§6 area(∪海堤)", "§6 numerator": "§6 分子",
        "§6 species matched after collapsing white space and case-folding": "§6 物种名合并空白并忽略大小写后匹配",
        "§7 area of the bedrock layer": "§7 基岩图层面积",
        "§7 area(bedrock ∩ intertidal) / area(intertidal)": "§7 area(基岩 ∩ 潮间带) / area(潮间带)",
        "§7 connected pieces of the removed length": "§7 已拆除长度的连通段数",
        "§7 length of the union of dike_before": "§7 拆除前堤坝并集长度",
        "§7 length(before_impermeable − buffer(after, 0.5 m, round caps)) / length(before)": "§7 length(拆除前不透水段 − buffer(拆除后, 0.5 m, 圆头)) / length(拆除前)",
        "§8 area(parcel ∩ construction land) / area(parcel)": "§8 area(地块 ∩ 建设用地) / area(地块)",
        "§8 area(parcel ∩ spatial plan) / area(parcel)": "§8 area(地块 ∩ 空间规划分区) / area(地块)",
        "§8 area(parcel ∩ exclusion layer)": "§8 area(地块 ∩ 排除图层)",
        "§8 class 0702 in landuse_before, and declared.homesteadExitAgreement": "§8 修复前地类 0702，及申报的宅基地退出协议",
        "§8 sum of parcel quantities": "§8 各地块数量之和",
        "§8 Σ mu(after)·c − Σ mu(before)·c, rounded down to 0.0001": "§8 Σ 亩(修复后)·c − Σ 亩(修复前)·c，向下取至 0.0001",
        "§8 Σ mu(current ecological class) · c, rounded up to 0.0001": "§8 Σ 亩(现状生态地类)·c，向上取至 0.0001",
        "§0 planar area in the working CRS": "§0 工作坐标系平面面积",
    ]

    public static let articlePhrases: [(String, String)] = [
        ("draft for comment: the start date is left blank in the text", "征求意见稿：正文未填写施行日期"),
        ("measurement-methods", "量测方法"), ("EcoCredit default", "EcoCredit 默认值"), ("tolerance chosen by EcoCredit", "容差由 EcoCredit 确定"),
        ("not used by the Jiangyin measures", "江阴办法不适用"),
    ]

    /// Notes by `TextPattern` (the whole text; {d} digits, {n} a decimal, {w} a word, {*} any
    /// text), with their Chinese ($1, $2… the captures in order).
    public static let notePatterns: [(String, String)] = [
        ("coefficient table {w} is an example, not official: voucher quantities are for reference only (JY Art. 19)",
         "折算系数表 $1 为示例，非正式：生态券数量仅供参考（江阴办法第19条）"),
        ("rulebook loaded from {*} instead of the shipped one", "规则库取自 $1，而非随附规则库"),
        ("{d} pairs of transects cross on tight bends ({d} transects in {d} stretches; crossings.csv lists them); a smoothing window of {n} m avoids it",
         "急弯处有 $1 对断面相交（$3 段共 $2 个断面；见 crossings.csv）；平滑窗口取 $4 m 可避免"),
        ("{d} pairs of transects cross on tight bends ({d} transects in {d} stretches; crossings.csv lists them); no smoothing window up to the part length avoids it",
         "急弯处有 $1 对断面相交（$3 段共 $2 个断面；见 crossings.csv）；不超过该部分长度的平滑窗口均无法避免"),
        ("§2 cross-check: area width {n} m differs from the transect mean {n} m by more than {d} %",
         "§2 校核：面积宽度 $1 m 与断面平均 $2 m 相差超过 $3 %"),
        ("segment {d}: transect mean width {n} m exceeds the largest inscribed-circle diameter {n} m: transects cut the feature obliquely",
         "第 $1 段：断面平均宽度 $2 m 超过最大内切圆直径 $3 m：断面斜切要素"),
        ("WHAT-IF: the submission's own rulebook tables replaced those of {*}; nothing here is official", "假设情景：提交文件的表格替换了规则库 $1 的表格；结果均非正式"),
    ]

    /// `beach.segment[2].length_m` → (`beach.segment[*].length_m`, "2").
    public static func normalise(_ id: String) -> (String, String?) {
        guard let open = id.firstIndex(of: "["), let close = id[open...].firstIndex(of: "]") else { return (id, nil) }
        return (String(id[..<open]) + "[*]" + String(id[id.index(after: close)...]), String(id[id.index(after: open)..<close]))
    }
}
