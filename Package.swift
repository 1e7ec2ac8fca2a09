// swift-tools-version:6.0
// EcoCredit — geospatial validation of ecological-restoration credits (Shanwei coastline
// indicators, Jiangyin eco-vouchers). The target list follows the pipeline:
//   C libraries → GeoCore (the only Swift module that touches
//   C) → Submission (bundles) → CLI.
import PackageDescription

// The service (`ecocredit serve`: Hummingbird) is left out when ECOCREDIT_CORE_ONLY is set: the
// ASan leak check and the fuzz build cover the C boundary and the readers, which the service does
// not touch (its jobs run in `ecocredit` worker processes), and they would otherwise build
// SwiftNIO and Hummingbird again under the sanitizer.
let coreOnly = Context.environment["ECOCREDIT_CORE_ONLY"] != nil

let package = Package(
    name: "EcoCredit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ecocredit", targets: ["EcoCreditCLI"]),
        .executable(name: "ecocredit-geodata", targets: ["GeodataGenerator"]),
        .executable(name: "ecocredit-bench", targets: ["EcoCreditBench"]),
        .executable(name: "ecocredit-ledger-load", targets: ["LedgerLoad"]),
        .library(name: "GeoCore", targets: ["GeoCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ] + (coreOnly ? [] : [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // The service's types from openapi.yaml: the generator only through its command plugin
        // (`make openapi`), the output committed; the runtime those types use.
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        // GET /metrics in Prometheus's text format (swift-metrics backend).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    ]),
    targets: [
        // MARK: C libraries from Debian (libgeos-dev, libproj-dev, libshp-dev)
        .systemLibrary(name: "CGEOS", path: "Sources/1-CInterop/CGEOS", pkgConfig: "geos",
                       providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", path: "Sources/1-CInterop/CPROJ", pkgConfig: "proj",
                       providers: [.apt(["libproj-dev", "proj-data"])]),
        .systemLibrary(name: "CShapelib", path: "Sources/1-CInterop/CShapelib", pkgConfig: "shapelib",
                       providers: [.apt(["libshp-dev"])]),

        // MARK: Plumbing without C: JSON values and writing, dates, locale-free text, regular
        // files, the parallel map, errors, the version. Rules (and the registry) stand on it alone.
        .target(name: "Plumbing", path: "Sources/0-Plumbing/Plumbing"),

        // MARK: The safe layer: the only Swift code that calls GEOS, PROJ or shapelib.
        .target(name: "GeoCore", dependencies: ["Plumbing", "CGEOS", "CPROJ", "CShapelib"], path: "Sources/1-CInterop/GeoCore"),

        // MARK: Submission bundles: folder or zip, manifest, layers by role, working CRS.
        .target(name: "Submission", dependencies: ["GeoCore", "Rules", .product(name: "ZIPFoundation", package: "ZIPFoundation")], path: "Sources/3-Intake/Submission"),

        // MARK: Rulebooks and vocabularies as versioned data (JSON files, compiled into the program
        // byte for byte: no resource folder to find or lose beside the binary), read into values.
        .target(name: "Rules", dependencies: ["Plumbing"], path: "Sources/6-RulesAndCheck/Rules", resources: [
            .embedInCode("Data/shanwei-coastline.json"), .embedInCode("Data/jiangyin-eco-voucher.json"),
            .embedInCode("Data/vocabularies.json"),
        ]),

        // MARK: Geometry algorithms both verification and measuring use: convex clipping and the
        // convex test, overlap areas, the side of a line, the balanced parallel GEOS map.
        .target(name: "GeometryAlgorithms", dependencies: ["GeoCore"], path: "Sources/2-Geometry/GeometryAlgorithms"),

        // MARK: Verification: findings with stable codes over a read bundle.
        .target(name: "Verify", dependencies: ["GeoCore", "Submission", "Rules", "GeometryAlgorithms"], path: "Sources/4-Verify/Verify"),

        // MARK: Measuring: pure computation on geometry values (no files, no CLI).
        .target(name: "Measure", dependencies: ["GeoCore", "GeometryAlgorithms"], path: "Sources/5-Measure/Measure"),

        // MARK: Measuring a bundle: layers, fields, parameters and articles around Measure's arithmetic.
        .target(name: "BundleMeasure", dependencies: ["GeoCore", "Submission", "Measure", "GeometryAlgorithms", "Rules"], path: "Sources/5-Measure/BundleMeasure"),

        // MARK: Check and quantify: rulebook criteria over measurements; revenue split (integer fen).
        .target(name: "Check", dependencies: ["GeoCore", "Measure", "BundleMeasure", "Rules"], path: "Sources/6-RulesAndCheck/Check"),

        // MARK: The measurement annex: HTML from a Mustache template, SVG maps, provenance.
        .target(name: "Annex", dependencies: ["GeoCore", "Submission", "Verify", "BundleMeasure", "Check", "Measure", "Rules",
                                              .product(name: "Mustache", package: "swift-mustache"),
                                              .product(name: "Crypto", package: "swift-crypto")], path: "Sources/7-Annex/Annex",
                resources: [.copy("Resources")]),

        // MARK: The pipeline as one library call (open → verify → measure → check), typed result and errors.
        // MARK: The registry of both rules: a pure state machine over a hash-chained event log (no geometry, no C).
        .target(name: "Registry", dependencies: ["Plumbing", "Rules", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/8-Registry/Registry"),
        .target(name: "RegistryStore", dependencies: ["Registry", "Plumbing", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")], path: "Sources/8-Registry/RegistryStore"),
        // The same ledger on PostgreSQL (several instances on one server): the head row locked by every write.
        .target(name: "RegistryPostgres", dependencies: ["Registry", "RegistryStore", "Plumbing", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Crypto", package: "swift-crypto")],
                path: "Sources/8-Registry/RegistryPostgres"),
        .target(name: "Workflow", dependencies: ["GeoCore", "Submission", "Rules", "Verify", "BundleMeasure", "Check"], path: "Sources/8-Pipeline/Workflow"),
        // MARK: The one place outputs are written (atomically, indexed with SHA-256), the annex included.
        .target(name: "Outputs", dependencies: ["GeoCore", "Submission", "Verify", "BundleMeasure", "Check", "Annex", "Workflow",
                                                .product(name: "Crypto", package: "swift-crypto")], path: "Sources/8-Pipeline/Outputs"),

        // MARK: Synthetic sample data (geodata/ and test variants)
        .target(name: "SampleData", dependencies: ["GeoCore", "Rules"], path: "Tools/SampleData"),

        // MARK: Executables
        .executableTarget(name: "EcoCreditCLI", dependencies: [
            "GeoCore", "Submission", "Verify", "BundleMeasure", "Rules", "Check", "Annex", "Workflow", "Outputs", "Registry", "RegistryStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
        ] + (coreOnly ? [] : ["Service", "RegistryPostgres", .product(name: "Prometheus", package: "swift-prometheus"),
                              .product(name: "Metrics", package: "swift-metrics")]), path: "Sources/9-Executables/EcoCreditCLI"),
        .executableTarget(name: "GeodataGenerator", dependencies: ["GeoCore", "SampleData"], path: "Sources/9-Executables/GeodataGenerator"),
        // Benchmarks (`make bench`): timing on synthetic workloads, never a test.
        .executableTarget(name: "EcoCreditBench", dependencies: ["GeoCore", "Submission", "Measure", "BundleMeasure", "Rules", "Verify", "SampleData"], path: "Tools/EcoCreditBench"),
        // A deterministic command stream for the ledger's crash test and its throughput bench.
        .executableTarget(name: "LedgerLoad", dependencies: ["Registry", "RegistryStore", "RegistryPostgres", "Plumbing"], path: "Tools/LedgerLoad"),
        // libFuzzer target over the readers; built only by `make fuzz` (-sanitize=fuzzer).
        .target(name: "FuzzHarness", dependencies: ["GeoCore", "Submission", "Workflow", "SampleData"], path: "Tools/FuzzHarness"),
        .executableTarget(name: "EcoCreditFuzz", dependencies: ["GeoCore", "FuzzHarness"], path: "Tools/EcoCreditFuzz"),

        // MARK: Tests
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore", "Plumbing", "CPROJ", "SampleData"]),
        .testTarget(name: "MeasureTests", dependencies: ["Measure", "GeometryAlgorithms", "GeoCore", "Rules", "SampleData"]),
        .testTarget(name: "AnnexTests", dependencies: ["Annex", "Check", "BundleMeasure", "Verify", "Submission", "GeoCore", "Rules", "SampleData"]),
        .testTarget(name: "CheckTests", dependencies: ["Check", "BundleMeasure", "Measure", "Submission", "GeoCore", "Rules", "SampleData"]),
        .testTarget(name: "BundleMeasureTests", dependencies: ["BundleMeasure", "Measure", "Submission", "GeoCore", "Rules", "SampleData"]),
        .testTarget(name: "SubmissionTests", dependencies: ["Submission", "GeoCore", "SampleData", "Measure"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "RegistryStore", "RegistryPostgres", "Rules", "Plumbing", "SampleData",
                                                       .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "VerifyTests", dependencies: ["Verify", "Submission", "GeoCore", "SampleData", "Rules", "FuzzHarness", "Workflow", "Outputs", "Check", "Annex", "Registry",
                                                     .product(name: "GRDB", package: "GRDB.swift"),
                                                     .product(name: "Crypto", package: "swift-crypto"),
                                                     .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ] + (coreOnly ? [] : [
        // MARK: The service: HTTP on Hummingbird 2; jobs in the database, each run by an `ecocredit` worker process.
        // No GEOS, PROJ or shapelib here: untrusted bundles are opened only in the worker.
        // The contract: openapi.yaml and the types generated from it (committed in GeneratedSources/).
        .target(name: "ServiceAPI", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
                path: "Sources/9-Service/ServiceAPI",
                // The generator's config is a resource only so that its command plugin sees it among the target's files.
                resources: [.copy("openapi.yaml"), .copy("openapi-generator-config.yaml")]),
        .target(name: "Service", dependencies: ["ServiceAPI", "Plumbing", "Rules", "Registry", "RegistryStore", "RegistryPostgres",
                                                .product(name: "PostgresNIO", package: "postgres-nio"),
                                                .product(name: "Hummingbird", package: "hummingbird"),
                                                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                .product(name: "HTTPTypes", package: "swift-http-types"),
                                                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                                                .product(name: "Mustache", package: "swift-mustache"),
                                                .product(name: "Logging", package: "swift-log"),
                                                .product(name: "Prometheus", package: "swift-prometheus"),
                                                .product(name: "GRDB", package: "GRDB.swift"),
                                                .product(name: "Crypto", package: "swift-crypto")],
                path: "Sources/9-Service/Service", resources: [.copy("Resources/pages")]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "Registry", "RegistryStore", "RegistryPostgres",
                                                        .product(name: "PostgresNIO", package: "postgres-nio"),
                                                        .product(name: "Crypto", package: "swift-crypto"),
                                                        .product(name: "Logging", package: "swift-log"),
                                                        .product(name: "Hummingbird", package: "hummingbird"),
                                                        .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                        .product(name: "HTTPTypes", package: "swift-http-types"),
                                                        .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ]),
    swiftLanguageModes: [.v6]
)
