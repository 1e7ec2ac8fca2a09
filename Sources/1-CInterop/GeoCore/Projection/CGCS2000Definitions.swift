/// The CGCS2000 CRSs a run works in — EPSG:4490 (geographic) and the 64 Gauss–Krüger zones
/// EPSG:4491–4554 — as PROJ's database describes them, built without asking it.
///
/// Why: the first CRS a process takes from proj.db costs 15–20 ms (opening the SQLite
/// database and PROJ's checks of it), the largest fixed cost of an `ecocredit measure` run,
/// paid again by every worker process of the service; a bundle in CGCS2000 (what the
/// submission format asks for) needs nothing else from the database. Each value here is what
/// `CRS.fromDatabase` gives with Debian's PROJ 9.1.1 (`proj-data`), field by field and its
/// WKT2:2019 text byte for byte: `ProjectionTests.testCGCS2000DefinitionsAreWhatPROJsDatabaseSays`
/// compares all 65, so a PROJ whose database says otherwise fails the test rather than
/// giving a second description of the same code. Any other code still comes from proj.db.
///
/// The texts follow one pattern; what differs per zone is its name, central meridian, false
/// easting, and the EPSG area of use (text and bounding box, degrees), listed below by width
/// and central meridian (a zone with and without the zone number prefixed shares its area).
enum CGCS2000Definitions {
    /// The CRS for `code` (4490, 4491–4554), or nil for any other code.
    static func crs(epsg code: Int) -> CRS? {
        if code == 4490 { return geographic }
        guard let zone = GaussKrugerZone(epsg: code) else { return nil }
        return CRS(name: zone.name, epsg: code, kind: .projected, datum: datum, wkt: zone.wkt2,
                   semiMajorAxis: semiMajorAxis, inverseFlattening: inverseFlattening,
                   transverseMercator: TransverseMercatorInverse(
                    semiMajorAxis: semiMajorAxis, inverseFlattening: inverseFlattening,
                    // As PROJ gives a parameter: its value times its unit's factor to SI, for
                    // the degree π/180 (the WKT prints it rounded to 0.0174532925199433).
                    centralMeridianRadians: Double(zone.centralMeridian) * (.pi / 180), scale: 1,
                    falseEasting: zone.centralEasting, falseNorthing: 0))
    }

    /// The operation between two of these CRSs as the PROJ string PROJ finds for it in its
    /// database (`proj_create_crs_to_crs`, normalised to longitude/easting first): inverse and
    /// forward transverse Mercator steps on GRS80 (CGCS2000's ellipsoid), degrees ⇄ radians.
    /// Nil unless both values are exactly this table's (a CRS merely identified as one of these
    /// codes goes to the database).
    static func operation(from source: CRS, to target: CRS) -> String? {
        guard let s = source.epsg, let t = target.epsg, crs(epsg: s) == source, crs(epsg: t) == target else { return nil }
        if s == t { return "+proj=noop" }
        func tmerc(_ code: Int) -> String? {
            GaussKrugerZone(epsg: code).map {
                "+proj=tmerc +lat_0=0 +lon_0=\($0.centralMeridian) +k=1 +x_0=\(Int($0.centralEasting)) +y_0=0 +ellps=GRS80"
            }
        }
        let from = s == 4490 ? "+proj=unitconvert +xy_in=deg +xy_out=rad" : tmerc(s).map { "+inv " + $0 }
        let to = t == 4490 ? "+proj=unitconvert +xy_in=rad +xy_out=deg" : tmerc(t)
        guard let from, let to else { return nil }
        return "+proj=pipeline +step " + from + " +step " + to
    }

    /// CGCS2000's datum and prime meridian as PROJ's WKT2 writes them, each line indented by
    /// `indent` spaces (4 in the geographic CRS, 8 as the base of a projected one).
    static func datumAndMeridian(indent: Int) -> String {
        let i = String(repeating: " ", count: indent)
        return """
            \(i)DATUM["China 2000",
            \(i)    ELLIPSOID["CGCS2000",6378137,298.257222101,
            \(i)        LENGTHUNIT["metre",1]]],
            \(i)PRIMEM["Greenwich",0,
            \(i)    ANGLEUNIT["degree",0.0174532925199433]],
            """
    }

    /// A two-axis coordinate system, the first axis north, the second east, as PROJ's WKT2 writes it.
    static func axes(_ kind: String, _ north: String, _ east: String, unit: String) -> String {
        """
            CS[\(kind),2],
                AXIS["\(north)",north,
                    ORDER[1],
                    \(unit)],
                AXIS["\(east)",east,
                    ORDER[2],
                    \(unit)],
        """
    }

    /// The end of a CRS's WKT2 text: its EPSG usage (scope, area, bounding box) and identifier.
    static func usage(scope: String, area: String, bbox: String, epsg: Int) -> String {
        """
            USAGE[
                SCOPE["\(scope)"],
                AREA["\(area)"],
                BBOX[\(bbox)]],
            ID["EPSG",\(epsg)]]
        """
    }

    static let datum = "China 2000"
    static let semiMajorAxis = 6_378_137.0
    static let inverseFlattening = 298.257222101

    static let geographic = CRS(
        name: "China Geodetic Coordinate System 2000", epsg: 4490, kind: .geographic, datum: datum,
        wkt: """
        GEOGCRS["China Geodetic Coordinate System 2000",
        \(datumAndMeridian(indent: 4))
        \(axes("ellipsoidal", "geodetic latitude (Lat)", "geodetic longitude (Lon)", unit: #"ANGLEUNIT["degree",0.0174532925199433]"#))
        \(usage(scope: "Horizontal component of 3D system.", area: "China - onshore and offshore.", bbox: "16.7,73.62,53.56,134.77", epsg: 4490))
        """,
        semiMajorAxis: semiMajorAxis, inverseFlattening: inverseFlattening)

    /// EPSG's area of use of the 3° zones, central meridian by central meridian (75, 78, … 135°E):
    /// text, and bounding box (south, west, north, east) as PROJ writes it. (Arrays, not
    /// dictionaries: the first use of a new generic type costs a scan of the program's protocol
    /// conformances, ≈ 0.3 ms here.)
    static let threeDegreeAreas: [(cm: Int, area: String, bbox: String)] = [
        (75, "China - west of 76°30'E.", "35.81,73.62,40.65,76.5"),
        (78, "China - between 76°30'E and 79°30'E.", "31.03,76.5,41.83,79.5"),
        (81, "China - between 79°30'E and 82°30'E.", "29.95,79.5,45.88,82.51"),
        (84, "China - between 82°30'E and 85°30'E.", "28.26,82.5,47.23,85.5"),
        (87, "China - between 85°30'E and 88°30'E.", "27.8,85.5,49.18,88.5"),
        (90, "China - between 88°30'E and 91°30'E.", "27.32,88.49,48.42,91.51"),
        (93, "China - between 91°30'E and 94°30'E.", "27.71,91.5,45.13,94.5"),
        (96, "China - between 94°30'E and 97°30'E.", "28.23,94.5,44.5,97.51"),
        (99, "China - between 97°30'E and 100°30'E.", "21.43,97.5,42.76,100.5"),
        (102, "China - between 100°30'E and 103°30'E.", "21.13,100.5,42.69,103.5"),
        (105, "China - between 103°30'E and 106°30'E.", "22.5,103.5,42.21,106.51"),
        (108, "China - onshore between 106°30'E and 109°30'E.", "18.19,106.5,42.47,109.51"),
        (111, "China - onshore between 109°30'E and 112°30'E.", "18.11,109.5,45.11,112.5"),
        (114, "China - onshore between 112°30'E and 115°30'E.", "21.52,112.5,45.45,115.5"),
        (117, "China - onshore between 115°30'E and 118°30'E.", "22.6,115.5,49.88,118.5"),
        (120, "China - onshore between 118°30'E and 121°30'E.", "24.43,118.5,53.33,121.5"),
        (123, "China - onshore between 121°30'E and 124°30'E.", "28.22,121.5,53.56,124.5"),
        (126, "China - onshore between 124°30'E and 127°30'E.", "40.19,124.5,53.2,127.5"),
        (129, "China - between 127°30'E and 130°30'E.", "41.37,127.5,50.25,130.5"),
        (132, "China - between 130°30'E and 133°30'E.", "42.42,130.5,48.88,133.5"),
        (135, "China - east of 133°30'E.", "45.85,133.5,48.4,134.77"),
    ]

    /// The same for the 6° zones (central meridians 75, 81, … 135°E).
    static let sixDegreeAreas: [(cm: Int, area: String, bbox: String)] = [
        (75, "China - west of 78°E.", "35.42,73.62,41.07,78.01"),
        (81, "China - between 78°E and 84°E.", "29.16,77.98,47.23,84"),
        (87, "China - between 84°E and 90°E.", "27.32,84,49.18,90"),
        (93, "China - between 90°E and 96°E.", "27.71,90,47.9,96.01"),
        (99, "China - between 96°E and 102°E.", "21.13,96,43.18,102.01"),
        (105, "China - onshore and offshore between 102°E and 108°E.", "17.75,102,42.47,108"),
        (111, "China - onshore and offshore between 108°E and 114°E.", "16.7,108,45.11,114"),
        (117, "China - onshore and offshore between 114°E and 120°E.", "19.02,114,51.52,120"),
        (123, "China - onshore and offshore between 120°E and 126°E.", "24.64,120,53.56,126"),
        (129, "China - onshore and offshore between 126°E and 132°E.", "29.7,126,52.79,132"),
        (135, "China - east of 132°E.", "45.02,132,48.4,134.77"),
    ]
}

extension GaussKrugerZone {
    /// The CRS name in EPSG, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 114E".
    var name: String { "CGCS2000 / " + (widthDegrees == 3 ? "3-degree " : "") + suffix }

    /// "Gauss-Kruger zone 38" or "Gauss-Kruger CM 114E".
    private var suffix: String { zonePrefixed ? "Gauss-Kruger zone \(zoneNumber)" : "Gauss-Kruger CM \(centralMeridian)E" }

    /// The name of EPSG's conversion. A 3° zone without prefix whose central meridian is also a
    /// 6° zone's shares that zone's conversion ("Gauss-Kruger CM 75E"); the others name their width.
    var conversionName: String {
        if !zonePrefixed { return ((centralMeridian - 75) % 6 == 0 ? "" : "3-degree ") + suffix }
        return (widthDegrees == 3 ? "3-degree " : "6-degree ") + suffix
    }

    /// The zone's WKT2:2019 text as PROJ writes it from its database.
    var wkt2: String {
        let (cm, area, bbox) = (widthDegrees == 3 ? CGCS2000Definitions.threeDegreeAreas : CGCS2000Definitions.sixDegreeAreas)[(centralMeridian - 75) / widthDegrees]
        precondition(cm == centralMeridian, "the table of areas is in order of central meridian")
        let scope = widthDegrees == 3 ? "Cadastre, engineering survey, topographic mapping (large scale)." : "Topographic mapping (medium scale)."
        return """
        PROJCRS["\(name)",
            BASEGEOGCRS["China Geodetic Coordinate System 2000",
        \(CGCS2000Definitions.datumAndMeridian(indent: 8))
                ID["EPSG",4490]],
            CONVERSION["\(conversionName)",
                METHOD["Transverse Mercator",
                    ID["EPSG",9807]],
                PARAMETER["Latitude of natural origin",0,
                    ANGLEUNIT["degree",0.0174532925199433],
                    ID["EPSG",8801]],
                PARAMETER["Longitude of natural origin",\(centralMeridian),
                    ANGLEUNIT["degree",0.0174532925199433],
                    ID["EPSG",8802]],
                PARAMETER["Scale factor at natural origin",1,
                    SCALEUNIT["unity",1],
                    ID["EPSG",8805]],
                PARAMETER["False easting",\(Int(centralEasting)),
                    LENGTHUNIT["metre",1],
                    ID["EPSG",8806]],
                PARAMETER["False northing",0,
                    LENGTHUNIT["metre",1],
                    ID["EPSG",8807]]],
        \(CGCS2000Definitions.axes("Cartesian", "northing (X)", "easting (Y)", unit: #"LENGTHUNIT["metre",1]"#))
        \(CGCS2000Definitions.usage(scope: scope, area: area, bbox: bbox, epsg: epsg))
        """
    }
}
