import Foundation
import TradeOnly

/// A test resource that could not be used: which file, in which bundle, and why.
///
/// Thrown by ``PayloadLoader`` and by the reference lists; Swift Testing records it as the failure
/// of the test that asked, with this description.
package struct TestResourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong with the file.
    package enum Reason: Sendable, Equatable {
        /// The bundle has no such file.
        case missing
        /// The file is there but could not be read.
        case unreadable(String)
        /// The file was read but its content is not what the loader expects (not UTF-8, or not the
        /// JSON shape asked for).
        case malformed(String)
    }

    /// The file asked for, relative to the bundle: `Payloads/spot-depth.json`.
    package let file: String
    /// The bundle's file name: `TradeOnly_TradeOnlyBinanceTests.resources`.
    package let bundle: String
    /// Why the file could not be used.
    package let reason: Reason

    /// An error about `file` of `bundle`.
    package init(file: String, bundle: String, reason: Reason) {
        self.file = file
        self.bundle = bundle
        self.reason = reason
    }

    /// `"Payloads/x.json is not in TradeOnly_TradeOnlyBinanceTests.resources"`, and so on.
    package var description: String {
        switch reason {
        case .missing: "\(file) is not in \(bundle)"
        case .unreadable(let why): "\(file) in \(bundle) cannot be read: \(why)"
        case .malformed(let why): "\(file) in \(bundle) is malformed: \(why)"
        }
    }
}

/// The one loader of test payloads: recorded exchange answers kept as files in a folder of a test
/// target's bundle.
///
/// Each test target passes its own bundle, so each keeps its own `Payloads/` folder
/// (`resources: [.copy("Payloads")]` in the manifest):
///
/// ```swift
/// let payloads = PayloadLoader(bundle: .module)
/// let response = try payloads.response("spot-depth.json")
/// ```
package struct PayloadLoader: @unchecked Sendable {
    // `Bundle` is thread-safe for the lookups made here, but is not marked `Sendable` on every platform.

    /// The bundle the files are looked up in.
    package let bundle: Bundle
    /// The folder of the bundle the files are in.
    package let folder: String

    /// A loader of the files in `folder` of `bundle`.
    package init(bundle: Bundle, folder: String = "Payloads") {
        self.bundle = bundle
        self.folder = folder
    }

    /// The URL of `name` (its extension included), or ``TestResourceError/Reason/missing``.
    package func url(_ name: String) throws(TestResourceError) -> URL {
        guard let url = bundle.url(forResource: name, withExtension: nil, subdirectory: folder) else {
            throw error(name, .missing)
        }
        return url
    }

    /// The bytes of `name`.
    package func data(_ name: String) throws(TestResourceError) -> Data {
        let url = try url(name)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw self.error(name, .unreadable(String(describing: error)))
        }
    }

    /// The text of `name`, which must be UTF-8.
    package func text(_ name: String) throws(TestResourceError) -> String {
        guard let text = String(data: try data(name), encoding: .utf8) else {
            throw error(name, .malformed("not UTF-8"))
        }
        return text
    }

    /// `name` decoded as JSON into `type`; a mismatch is ``TestResourceError/Reason/malformed`` with the
    /// decoder's coding path and explanation.
    package func decoded<Value: Decodable>(_ type: Value.Type, from name: String) throws(TestResourceError) -> Value {
        let data = try data(name)
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw self.error(name, .malformed(Self.explain(error)))
        } catch {
            throw self.error(name, .malformed(String(describing: error)))
        }
    }

    /// A response carrying `name` as its body. Unless `headers` has a `Content-Type`, it gets the one of
    /// the file's extension: `application/json` for `.json`, `text/html` for `.html`, `text/plain` for
    /// `.txt` (none for other extensions).
    package func response(
        _ name: String, status: Int = 200, headers: HTTPHeaders = [:]
    ) throws(TestResourceError) -> HTTPResponse {
        var headers = headers
        if headers["Content-Type"] == nil, let type = Self.contentType(of: name) {
            headers["Content-Type"] = type
        }
        return HTTPResponse(status: status, headers: headers, body: try data(name))
    }

    /// The `Content-Type` of a file name's extension, or `nil` for an extension not listed.
    package static func contentType(of name: String) -> String? {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "json"?: "application/json"
        case "html"?, "htm"?: "text/html"
        case "txt"?: "text/plain"
        default: nil
        }
    }

    private func error(_ name: String, _ reason: TestResourceError.Reason) -> TestResourceError {
        TestResourceError(file: folder + "/" + name, bundle: bundle.bundleURL.lastPathComponent, reason: reason)
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return keys.isEmpty ? "at the top" : "at \(keys)"
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)): no key \"\(key.stringValue)\""
        case .typeMismatch(let type, let context): return "\(path(context)): not a \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "\(path(context)): no \(type) value"
        @unknown default: return String(describing: error)
        }
    }
}

extension HTTPResponse {
    /// A response whose body is the JSON `text`, for answers written inline in a test.
    package static func json(_ text: String, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        if headers["Content-Type"] == nil { headers["Content-Type"] = "application/json" }
        return HTTPResponse(status: status, headers: headers, body: Data(text.utf8))
    }
}
