import Foundation

/// Prints an HTML file to PDF with headless Chromium (found on PATH as chromium,
/// chromium-browser, google-chrome or google-chrome-stable).
public enum PDFPrinter {
    public static func browser() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") {
                let p = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    public static func print(html: String, to pdf: String) throws {
        guard let chrome = browser() else {
            throw PrintError.noBrowser("no Chromium found; on Debian: apt-get install chromium fonts-noto-cjk")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chrome)
        let url = URL(fileURLWithPath: html).absoluteString
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", url]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf) else {
            throw PrintError.failed("Chromium exited with status \(p.terminationStatus) printing \(html)")
        }
    }

    public enum PrintError: Error, CustomStringConvertible {
        case noBrowser(String), failed(String)
        public var description: String {
            switch self {
            case .noBrowser(let s): return "[ANNEX.NO_BROWSER] \(s)"
            case .failed(let s): return "[ANNEX.PDF_FAILED] \(s)"
            }
        }
    }
}
