import Foundation

/// The service's contract: `openapi.yaml` (OpenAPI 3.1), served at `/openapi.yaml`, and the
/// types swift-openapi-generator makes from it (`GeneratedSources/Types.swift`, committed:
/// `make openapi` regenerates it with the generator's command plugin, `make openapi-check`
/// fails when the committed file is not what the document generates).
public enum ServiceContract {
    /// The document's bytes.
    public static func document() -> Data? {
        Bundle.module.url(forResource: "openapi", withExtension: "yaml").flatMap { FileManager.default.contents(atPath: $0.path) }
    }
}
