import Foundation
import TradeOnly

extension Bybit {
    /// Which Bybit the client talks to. There is no default: name the environment, so that nothing
    /// trades on the live exchange by accident.
    ///
    /// Keys are not interchangeable between environments: a testnet key gives Bybit error `10003` on
    /// live, and a demo-trading key (created on mainnet after switching to Demo Trading) works only
    /// with ``demo``.
    ///
    /// ```swift
    /// let bybit = Bybit(environment: .testnet, transport: URLSessionTransport())
    /// let eu = Bybit(environment: .live(host: .europe), transport: URLSessionTransport())
    /// ```
    public struct Environment: Sendable, Hashable, CustomStringConvertible {
        /// A short name: `live`, `testnet`, `demo`, `live (api.bybit.eu)` or `local`.
        public let name: String
        /// The base URL every path is appended to.
        public let baseURL: URL

        /// The environment a key verified here belongs to, as ``KeyReport/environment`` and
        /// ``SafeKey/environment`` name it: `"live"` (every live host, regional ones included),
        /// `"testnet"`, `"demo"` or `"local"`. A client refuses a key verified in another one.
        public let keyEnvironment: String

        private init(name: String, keyEnvironment: String, baseURL: URL) {
            self.name = name
            self.keyEnvironment = keyEnvironment
            self.baseURL = baseURL
        }

        /// The live exchange, `https://api.bybit.com`. Real money.
        public static let live = Environment(name: "live", keyEnvironment: "live", baseURL: url("https://api.bybit.com"))

        /// The testnet, `https://api-testnet.bybit.com`, with keys from testnet.bybit.com.
        public static let testnet = Environment(name: "testnet", keyEnvironment: "testnet", baseURL: url("https://api-testnet.bybit.com"))

        /// Demo trading, `https://api-demo.bybit.com`: live prices, play money, keys created on mainnet
        /// after switching to Demo Trading. Bybit serves only a subset of the API there.
        public static let demo = Environment(name: "demo", keyEnvironment: "demo", baseURL: url("https://api-demo.bybit.com"))

        /// The live exchange through one of Bybit's other documented hosts (regional sites and the
        /// alternative `api.bytick.com`). Real money.
        ///
        /// - Parameter host: The host; a key created on a regional site works only with that site's host.
        public static func live(host: LiveHost) -> Environment {
            Environment(name: "live (\(host.rawValue))", keyEnvironment: "live", baseURL: url("https://" + host.rawValue))
        }

        /// Every path at one base URL: a simulator, a recorded-response server or a stand-in.
        ///
        /// Plain `http://` is only sent to loopback addresses by ``URLSessionTransport``.
        ///
        /// - Parameter baseURL: The base URL, for example `http://127.0.0.1:8080`. A path is kept as a
        ///   prefix (`http://127.0.0.1:8080/bybit` sends `/bybit/v5/…`); the signer checks the endpoint
        ///   policy on the path after it, and signs for this base URL only.
        public static func local(_ baseURL: URL) -> Environment {
            Environment(name: "local", keyEnvironment: "local", baseURL: baseURL)
        }

        /// The name and the base URL.
        public var description: String { "\(name) (\(baseURL.absoluteString))" }

        /// The rate-limit governor's name for this environment's host (`api.bybit.com`, or
        /// `127.0.0.1:8080` for a local stand-in with a port).
        var hostKey: String { RequestPipeline.hostKey(of: baseURL) }

        /// The URL of a path on this environment, with an optional raw query (already safe to send).
        func url(path: String, query: String?) -> URL? {
            var text = baseURL.absoluteString
            while text.hasSuffix("/") { text.removeLast() }
            text += path
            if let query, !query.isEmpty { text += "?" + query }
            return URL(string: text)
        }

        private static func url(_ text: String) -> URL {
            // The literals above are valid URLs; `URL(string:)` cannot fail on them.
            URL(string: text) ?? URL(fileURLWithPath: "/")
        }
    }

    /// Bybit's documented hosts for the live exchange besides `api.bybit.com`.
    public enum LiveHost: String, Sendable, Hashable, CaseIterable {
        /// `api.bytick.com`, Bybit's alternative global host.
        case bytick = "api.bytick.com"
        /// Bybit Netherlands, `api.bybit.nl`.
        case netherlands = "api.bybit.nl"
        /// Bybit Turkey, `api.bybit.tr`.
        case turkey = "api.bybit.tr"
        /// Bybit Kazakhstan, `api.bybit.kz`.
        case kazakhstan = "api.bybit.kz"
        /// Bybit Georgia, `api.bybitgeorgia.ge`.
        case georgia = "api.bybitgeorgia.ge"
        /// Bybit UAE, `api.bybit.ae`.
        case unitedArabEmirates = "api.bybit.ae"
        /// Bybit EU, `api.bybit.eu`.
        case europe = "api.bybit.eu"
        /// Bybit Indonesia, `api.bybit.id`.
        case indonesia = "api.bybit.id"
        /// Bybit Japan, `api.manepa.jp`.
        case japan = "api.manepa.jp"
    }
}
