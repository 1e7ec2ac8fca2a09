import Foundation
import Plumbing

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

    public enum PrintError: CodedError {
        case noBrowser(String), failed(String)
        public var code: String {
            switch self {
            case .noBrowser: return "ANNEX.NO_BROWSER"
            case .failed: return "ANNEX.PDF_FAILED"
            }
        }
        public var message: Bilingual {
            switch self {
            case .noBrowser(let s): return .init(zh: "找不到用于打印 PDF 的 Chromium 浏览器；细节见英文信息", en: s)
            case .failed(let s): return .init(zh: "PDF 打印失败；细节见英文信息", en: s)
            }
        }
    }
}
