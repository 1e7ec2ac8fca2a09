import Foundation
import GeoCore

/// The sample bundles of `geodata/`: realistic, synthetic Shanwei and Jiangyin submissions.
/// Each function documents what its data was built to show.
public enum Samples {
    public static let all: [(name: String, build: @Sendable (String, ProjContext) throws -> Void)] = [
        ("shanwei-beach", beach), ("shanwei-mudflat", mudflat), ("shanwei-mangrove", mangrove),
        ("shanwei-eco-seawall", ecoSeawall), ("shanwei-dike-removal", dikeRemoval),
        ("jiangyin-restoration", jiangyinRestoration), ("jiangyin-land-supply", jiangyinLandSupply),
    ]

    /// Writes every bundle under `root`.
    public static func writeAll(to root: String, proj: ProjContext) throws {
        for s in all { try s.build((root as NSString).appendingPathComponent(s.name), proj) }
    }

    static let sw = JSONLike.s("shanwei-coastline")
    static let jy = JSONLike.s("jiangyin-eco-voucher")

    /// 城区 coast near 115.36°E 22.76°N (CM 114°E, EPSG:4547), stored in EPSG:4490, GBK with `.cpg`.
    /// Restored shoreline 600 m running east, sea to the south (right). Beach: 0–400 m 25 m wide
    /// (qualifies), 440–480 m 25 m wide (40 m: too short), 500–600 m 18 m wide (qualifies):
    /// qualifying length 500 m. Shorelines of 2025-06-01 and 2026-09-01 show 2 m accretion.
    public static func beach(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(115.36, 22.76), storeEPSG: 4490, proj: proj)
        let y: (Double) -> Double = { 5 * sin(2 * Double.pi * $0 / 600) }
        try w.shapefile("restored_shoreline", family: .line,
                        fields: [Field(name: "岸线编号", type: .character), Field(name: "岸线类型", type: .character)],
                        rows: [(.lineString(Shapes.curve(0, 600, step: 5, y)), [.string("SW-CQ-01"), .string("砂质岸线")])])
        let fields = [Field(name: "编号", type: .character), Field(name: "砂质", type: .character)]
        try w.shapefile("beach", family: .polygon, fields: fields, rows: [
            (Shapes.band(0, 400, along: y, width: { _ in 25 }), [.string("B1"), .string("中细砂")]),
            (Shapes.band(440, 480, along: y, width: { _ in 25 }), [.string("B2"), .string("中细砂")]),
            (Shapes.band(500, 600, along: y, width: { _ in 18 }), [.string("B3"), .string("中细砂")]),
        ])
        try w.shapefile("intertidal", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.band(0, 600, along: y, width: { _ in 120 }), [.string("潮间带")])])
        let dated = [Field(name: "测量日期", type: .date)]
        try w.shapefile("shoreline_2025", family: .line, fields: dated,
                        rows: [(.lineString(Shapes.curve(-20, 620, step: 5) { y($0) + 0.5 }), [.date("2025-06-01")])])
        try w.shapefile("shoreline_2026", family: .line, fields: dated,
                        rows: [(.lineString(Shapes.curve(-20, 620, step: 5) { y($0) - 1.5 }), [.date("2026-09-01")])])
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "SW-2026-014", "name": "城区红草湾沙滩修复工程", "rule": sw, "kind": "beach",
                        "measures": ["beach-nourishment"], "district": "市城区", "funding": ["government": 0.4, "social": 0.6]],
            "checkDate": "2026-11-20", "crs": .null,
            "layers": ["shoreline": "restored_shoreline.shp", "beach": "beach.shp", "intertidal": "intertidal.shp",
                       "dated_shorelines": [["path": "shoreline_2025.shp", "date": "2025-06-01"], ["path": "shoreline_2026.shp", "date": "2026-09-01"]]],
            "declared": ["sandGrade": "medium-fine", "intertidalIntact": true, "noMuddification": true, "seaSide": "right", "restoredLength_m": 600.0],
            "parameters": ["transectSpacing_m": 10, "transectHalfLength_m": 250, "smoothingWindow_m": 50],
        ])
    }

    /// 红海湾 coast near 115.56°E 22.70°N (CM 117°E, EPSG:4548), stored in EPSG:4490, GBK declared by
    /// the DBF language-driver byte only. Straight 1000 m shoreline; intertidal 150 ± 20 m wide
    /// (sinusoidal, mean 150 m over whole periods): passes > 100 m.
    public static func mudflat(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(115.56, 22.70), storeEPSG: 4490, proj: proj)
        let gbkLDID = ShapefileWriter.Options(encoding: .gb18030, declaration: .languageDriver)
        try w.shapefile("restored_shoreline", family: .line, fields: [Field(name: "岸线编号", type: .character)],
                        rows: [(.lineString(Shapes.curve(0, 1000, step: 10) { _ in 0 }), [.string("SW-HHW-03")])], options: gbkLDID)
        try w.shapefile("intertidal", family: .polygon, fields: [Field(name: "名称", type: .character), Field(name: "底质", type: .character)],
                        rows: [(Shapes.band(0, 1000, step: 5, along: { _ in 0 }, width: { 150 + 20 * sin(2 * Double.pi * $0 / 500) }),
                                [.string("红海湾泥滩"), .string("淤泥质")])], options: gbkLDID)
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "SW-2026-021", "name": "红海湾退养还滩工程", "rule": sw, "kind": "mudflat",
                        "measures": ["aquaculture-removal"], "district": "红海湾经济开发区", "funding": ["government": 1.0]],
            "checkDate": "2026-11-20",
            "layers": ["shoreline": "restored_shoreline.shp", "intertidal": "intertidal.shp"],
            "declared": ["intertidalIntact": true, "coastDynamic": "accreting", "habitat": "大型底栖生物和鸟类栖息觅食", "seaSide": "right"],
            "parameters": ["transectSpacing_m": 10, "transectHalfLength_m": 1000],
        ])
    }

    /// 海丰 coast near 115.25°E 22.80°N (EPSG:4547), stored in EPSG:4490, GBK with neither `.cpg`
    /// nor code page (the reader must detect it). Seawall line 800 m; mangrove 2 m seaward of it
    /// in three belts: 0–250 m 30 m wide, 300–560 m 28 m, 600–780 m 32 m → mean coverage width
    /// (zeros included) 25.675 m; intertidal band 60 m × 800 m → cover 20540/48000 = 42.8 %.
    public static func mangrove(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(115.25, 22.80), storeEPSG: 4490, proj: proj)
        let undeclared = ShapefileWriter.Options(encoding: .gb18030, declaration: .none)
        try w.shapefile("seawall_line", family: .line, fields: [Field(name: "名称", type: .character)],
                        rows: [(.lineString([XY(0, 0), XY(400, 0), XY(800, 0)]), [.string("联安围海堤")])], options: undeclared)
        let sp = [Field(name: "物种", type: .character), Field(name: "种植年份", type: .numeric, width: 4)]
        try w.shapefile("mangrove", family: .polygon, fields: sp, rows: [
            (Shapes.rect(0, -32, 250, -2), [.string("秋茄 Kandelia obovata"), .integer(2022)]),
            (Shapes.rect(300, -30, 560, -2), [.string("桐花树 Aegiceras corniculatum"), .integer(2022)]),
            (Shapes.rect(600, -34, 780, -2), [.string("白骨壤 Avicennia marina"), .integer(2023)]),
        ], options: undeclared)
        try w.shapefile("intertidal", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.rect(0, -62, 800, -2), [.string("潮间带")])], options: undeclared)
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "SW-2026-008", "name": "海丰联安围红树林种植", "rule": sw, "kind": "mangrove",
                        "district": "海丰县", "funding": ["social": 1.0]],
            "checkDate": "2026-11-20",
            "layers": ["seawall_line": "seawall_line.shp", "mangrove": "mangrove.shp", "intertidal": "intertidal.shp"],
            "fields": ["mangrove.species": "物种"],
            "declared": ["seaSide": "right"],
        ])
    }

    /// 陆丰 coast near 115.65°E 22.83°N, stored in the Gauss–Krüger CRS EPSG:4548 (CM 117°E).
    /// Seawall footprint 500 × 20 m (10 000 m²). Native vegetation 0–180 m and 250–300 m (5–20 m),
    /// Spartina alterniflora (互花米草) 150–200 m overlapping the native patch 150–180 m:
    /// union 4750 m² − invasive 1000 m² = 3750 m² → cover 37.5 % (passes ≥ 30 %).
    public static func ecoSeawall(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(115.65, 22.83), storeEPSG: 4548, proj: proj)
        try w.shapefile("seawall", family: .polygon, fields: [Field(name: "名称", type: .character), Field(name: "结构", type: .character)],
                        rows: [(Shapes.rect(0, 0, 500, 20), [.string("碣石湾生态海堤"), .string("生态化护坡")])])
        try w.shapefile("vegetation", family: .polygon, fields: [Field(name: "物种", type: .character)], rows: [
            (Shapes.rect(0, 0, 180, 20), [.string("海马齿")]),
            (Shapes.rect(250, 5, 300, 20), [.string("厚藤")]),
            (Shapes.rect(150, 0, 200, 20), [.string("互花米草")]),
        ])
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "SW-2026-030", "name": "陆丰碣石湾海堤生态化", "rule": sw, "kind": "eco-seawall",
                        "measures": ["eco-seawall"], "district": "陆丰市", "funding": ["government": 0.5, "social": 0.5]],
            "checkDate": "2026-11-20",
            "layers": ["seawall": "seawall.shp", "vegetation": "vegetation.shp"],
            "fields": ["vegetation.species": "物种"],
            "declared": ["habitat": "迎海面设置生态槽和潮池", "stableSince": "2025-06-30", "restoredLength_m": 500.0],
        ])
    }

    /// 城区 coast near 115.30°E 22.74°N (EPSG:4547), stored in EPSG:4490. Dike before removal:
    /// 800 m impermeable (不透水) + 200 m permeable (透水) = 1000 m; after: 0–250 m and 550–800 m
    /// remain → 300 m of impermeable dike removed = 30 % (passes ≥ 1/4).
    public static func dikeRemoval(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(115.30, 22.74), storeEPSG: 4490, proj: proj)
        let f = [Field(name: "名称", type: .character), Field(name: "透水性", type: .character)]
        try w.shapefile("dike_before", family: .line, fields: f, rows: [
            (.lineString([XY(0, 0), XY(800, 0)]), [.string("围海堤坝"), .string("不透水")]),
            (.lineString([XY(800, 0), XY(1000, 0)]), [.string("抛石潜堤"), .string("透水")]),
        ])
        try w.shapefile("dike_after", family: .line, fields: [Field(name: "名称", type: .character)], rows: [
            (.lineString([XY(0, 0), XY(250, 0)]), [.string("保留段西")]),
            (.lineString([XY(550, 0), XY(800, 0)]), [.string("保留段东")]),
        ])
        try w.shapefile("bedrock", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.rect(260, -60, 540, -5), [.string("基岩裸露区")])])
        try w.shapefile("intertidal", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.rect(0, -150, 1000, 0), [.string("潮间带")])])
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "SW-2026-017", "name": "城区退围还海工程", "rule": sw, "kind": "dike-removal",
                        "measures": ["dike-removal"], "district": "市城区", "funding": ["government": 1.0]],
            "checkDate": "2026-11-20",
            "layers": ["dike_before": "dike_before.shp", "dike_after": "dike_after.shp", "bedrock": "bedrock.shp", "intertidal": "intertidal.shp"],
            "fields": ["dike_before.permeability": "透水性"],
            "values": ["dike_before.permeability.impermeable": ["不透水", "非透水"], "dike_before.permeability.permeable": ["透水"]],
            "declared": ["stableSince": "2025-05-01", "bedrockLandform": "较完整基岩海岸地貌", "restoredLength_m": 1000.0],
        ])
    }

    /// 江阴 near 120.30°E 31.88°N (CM 120°E, EPSG:4549), stored in EPSG:4490, GBK with `.cpg`.
    /// Parcel JY-001 100 × 80 m (12 mu) from industrial land 0601 to 0301 arbor forest (60 × 80 m,
    /// 7.2 mu) and 0101 paddy (40 × 80 m, 4.8 mu); parcel JY-002 60 × 50 m (4.5 mu) from homestead
    /// 0702 (exit agreement declared) to 0404 other grassland. Both inside third-survey
    /// construction land; the heritage area lies 150 m away, restricted-rights land and a
    /// geohazard zone further off.
    public static func jiangyinRestoration(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(120.30, 31.88), storeEPSG: 4490, proj: proj)
        let pf = [Field(name: "地块编号", type: .character), Field(name: "权利人", type: .character), Field(name: "面积", type: .numeric, width: 12, decimals: 2)]
        try w.shapefile("parcels", family: .polygon, fields: pf, rows: [
            (Shapes.rect(0, 0, 100, 80), [.string("JY-001"), .string("江阴市某镇人民政府"), .double(8000.00)]),
            (Shapes.rect(200, 0, 260, 50), [.string("JY-002"), .string("江阴市某村村民委员会"), .double(3000.00)]),
        ])
        let lf = [Field(name: "DLBM", type: .character), Field(name: "DLMC", type: .character)]
        try w.shapefile("landuse_before", family: .polygon, fields: lf, rows: [
            (Shapes.rect(-10, -10, 110, 90), [.string("0601"), .string("工业用地")]),
            (Shapes.rect(190, -10, 270, 60), [.string("0702"), .string("农村宅基地")]),
        ])
        try w.shapefile("landuse_after", family: .polygon, fields: lf, rows: [
            (Shapes.rect(0, 0, 60, 80), [.string("0301"), .string("乔木林地")]),
            (Shapes.rect(60, 0, 100, 80), [.string("0101"), .string("水田")]),
            (Shapes.rect(200, 0, 260, 50), [.string("0404"), .string("其他草地")]),
        ])
        try w.shapefile("construction_land", family: .polygon, fields: [Field(name: "DLBM", type: .character), Field(name: "调查年份", type: .numeric, width: 4)],
                        rows: [(Shapes.rect(-20, -20, 280, 100), [.string("20"), .integer(2019)])])
        try w.shapefile("heritage", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.rect(410, 0, 500, 90), [.string("某传统村落保护范围")])])
        try w.shapefile("restricted_rights", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.rect(-200, 150, -100, 250), [.string("查封土地")])])
        try w.shapefile("geohazard", family: .polygon, fields: [Field(name: "名称", type: .character)],
                        rows: [(Shapes.rect(300, 200, 400, 300), [.string("滑坡隐患点影响范围")])])
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "JY-2025-003", "name": "江阴某镇建设用地生态修复", "rule": jy, "kind": "restoration-parcels", "district": "江阴市"],
            "checkDate": "2025-10-15",
            "layers": ["parcels": "parcels.shp", "landuse_before": "landuse_before.shp", "landuse_after": "landuse_after.shp",
                       "construction_land": "construction_land.shp", "heritage": "heritage.shp",
                       "restricted_rights": "restricted_rights.shp", "geohazard": "geohazard.shp"],
            "fields": ["parcels.id": "地块编号", "landuse_before.class": "DLBM", "landuse_after.class": "DLBM"],
            "declared": ["homesteadExitAgreement": ["JY-002"], "spatialPlanConformity": true],
        ])
    }

    /// 江阴 near 120.25°E 31.90°N, stored in the Gauss–Krüger CRS EPSG:4549. Land-supply parcel
    /// 150 × 100 m (22.5 mu) taking 0103 dry land (60 × 100 m, 9 mu), 0301 arbor forest
    /// (40 × 100 m, 6 mu), 1101 river water (20 × 100 m, 3 mu) and 0601 industrial land (4.5 mu).
    public static func jiangyinLandSupply(_ folder: String, _ proj: ProjContext) throws {
        let w = try SampleWriter(folder: folder, originLonLat: XY(120.25, 31.90), storeEPSG: 4549, proj: proj)
        try w.shapefile("parcels", family: .polygon, fields: [Field(name: "地块编号", type: .character), Field(name: "用途", type: .character)],
                        rows: [(Shapes.rect(0, 0, 150, 100), [.string("JY-GY-2025-11"), .string("工业用地出让")])])
        let lf = [Field(name: "DLBM", type: .character), Field(name: "DLMC", type: .character)]
        try w.shapefile("landuse_before", family: .polygon, fields: lf, rows: [
            (Shapes.rect(0, 0, 60, 100), [.string("0103"), .string("旱地")]),
            (Shapes.rect(60, 0, 100, 100), [.string("0301"), .string("乔木林地")]),
            (Shapes.rect(100, 0, 120, 100), [.string("1101"), .string("河流水面")]),
            (Shapes.rect(120, 0, 150, 100), [.string("0601"), .string("工业用地")]),
        ])
        try w.manifest([
            "format": "ecocredit-submission/1",
            "project": ["id": "JY-GY-2025-11", "name": "江阴某工业地块供地", "rule": jy, "kind": "land-supply", "district": "江阴市"],
            "checkDate": "2025-09-01",
            "layers": ["parcels": "parcels.shp", "landuse_before": "landuse_before.shp"],
            "fields": ["parcels.id": "地块编号", "landuse_before.class": "DLBM"],
        ])
    }
}
