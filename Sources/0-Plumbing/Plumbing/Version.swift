/// The program's version: `ecocredit --version`, the annex's provenance and every output that
/// names the software read it here, and only here.
public enum EcoCreditVersion {
    public static let string = "0.4.0"
}
