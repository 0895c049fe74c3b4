import TradeOnly

extension Binance {
    /// Which Binance deployment a ``Binance`` value talks to. Nothing defaults to live trading: pick one.
    ///
    /// | Environment | Spot (`/api`, `/sapi`) | USDⓈ-M futures (`/fapi`) |
    /// |---|---|---|
    /// | ``live`` | `https://api.binance.com` | `https://fapi.binance.com` |
    /// | ``testnet`` | `https://testnet.binance.vision` (no `/sapi`) | refused: use ``demo`` |
    /// | ``demo`` | `https://demo-api.binance.com` | `https://demo-fapi.binance.com` |
    /// | ``local(_:)`` | the given base URL | the same base URL |
    ///
    /// The spot testnet has no USDⓈ-M futures and no `/sapi` endpoints. Binance's own futures
    /// documentation now names `demo-fapi.binance.com` as the futures test URL, and testnet keys
    /// (created at testnet.binance.vision) are not valid on the legacy `testnet.binancefuture.com`
    /// anyway, so a futures request on ``testnet`` is refused before anything is sent, with an error
    /// that points at ``demo``.
    public struct Environment: Sendable, Hashable, CustomStringConvertible {
        /// Which deployment: the one piece of state.
        private enum Deployment: Sendable, Hashable {
            case live, testnet, demo
            case local(URL)
        }

        private let deployment: Deployment

        private init(_ deployment: Deployment) { self.deployment = deployment }

        /// Real money: `api.binance.com` and `fapi.binance.com`.
        public static let live = Environment(.live)
        /// The spot test network, `testnet.binance.vision`: virtual balances, spot only, no `/sapi`
        /// (so keys cannot be verified there, see ``BinanceKeyInspector``).
        public static let testnet = Environment(.testnet)
        /// Demo trading: `demo-api.binance.com` and `demo-fapi.binance.com`, with prices and filters
        /// like live. Keys come from demo.binance.com.
        public static let demo = Environment(.demo)

        /// Every Binance host at one base URL (scheme, host and port, no path), for a simulator or a
        /// stand-in server, for example `http://127.0.0.1:8080`. Plain `http://` is only accepted by
        /// the default transport for loopback addresses.
        ///
        /// - Parameter url: The base URL.
        public static func local(_ url: URL) -> Environment { Environment(.local(url)) }

        /// The stand-in's base URL, for a ``local(_:)`` environment; `nil` otherwise.
        public var localURL: URL? {
            if case .local(let url) = deployment { return url }
            return nil
        }

        /// `live`, `testnet`, `demo` or `local(<url>)`.
        public var description: String {
            switch deployment {
            case .local(let url): return "local(\(Redaction.urlWithoutQuery(url)))"
            default: return name
            }
        }

        /// The display name: `live`, `testnet`, `demo` or `local`.
        public var name: String {
            switch deployment {
            case .live: return "live"
            case .testnet: return "testnet"
            case .demo: return "demo"
            case .local: return "local"
            }
        }

        /// The environment a key verified here belongs to, as ``KeyReport/environment`` and
        /// ``SafeKey/environment`` name it: `live`, `testnet`, `demo` or `local`. A client refuses a key
        /// verified in another one. (Binance has no regional hosts, so this is ``name``.)
        public var keyEnvironment: String { name }

        /// The base URL (scheme, host and port, no trailing slash) that serves `host` here.
        ///
        /// - Parameter host: Spot (`/api`, `/sapi`) or USDⓈ-M futures (`/fapi`).
        /// - Returns: For example `https://fapi.binance.com`.
        /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` for futures on
        ///   ``testnet``, or for a ``local(_:)`` URL that is not a plain base URL.
        public func baseURL(for host: Host) throws -> String {
            switch (deployment, host) {
            case (.live, .spot): return "https://api.binance.com"
            case (.live, .futures): return "https://fapi.binance.com"
            case (.testnet, .spot): return "https://testnet.binance.vision"
            case (.testnet, .futures):
                throw ExchangeError(
                    .invalidRequest,
                    message: "Binance's spot testnet (testnet.binance.vision) has no USDⓈ-M futures: "
                        + "use Binance.Environment.demo (demo-fapi.binance.com, keys from demo.binance.com) to test futures",
                    exchange: Binance.exchangeName)
            case (.demo, .spot): return "https://demo-api.binance.com"
            case (.demo, .futures): return "https://demo-fapi.binance.com"
            case (.local(let url), _): return try Self.localBase(url)
            }
        }

        /// Whether the environment serves `/sapi` (and so the key-permission check).
        var servesSAPI: Bool {
            deployment != .testnet
        }

        private static func localBase(_ url: URL) throws -> String {
            guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
                let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = components.host, !host.isEmpty,
                components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/",
                components.query == nil, components.fragment == nil, components.user == nil,
                components.password == nil
            else {
                throw ExchangeError(
                    .invalidRequest,
                    message: "Binance.Environment.local needs a base URL with a scheme, a host and an optional port, "
                        + "and no path, query or user information (for example http://127.0.0.1:8080)",
                    exchange: Binance.exchangeName)
            }
            let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            return scheme + "://" + shownHost + (components.port.map { ":\($0)" } ?? "")
        }
    }

    /// The two Binance REST hosts a client talks to, chosen by the path's first segment.
    public enum Host: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Spot: paths under `/api/` and `/sapi/` (`api.binance.com`).
        case spot
        /// USDⓈ-M futures: paths under `/fapi/` (`fapi.binance.com`).
        case futures

        /// The host that serves a path: `/fapi/…` is futures, `/api/…` and `/sapi/…` are spot.
        ///
        /// - Parameter path: A request path such as `/api/v3/order`.
        /// - Returns: The host, or `nil` for a path under neither.
        public init?(path: String) {
            if path.hasPrefix("/fapi/") {
                self = .futures
            } else if path.hasPrefix("/api/") || path.hasPrefix("/sapi/") {
                self = .spot
            } else {
                guard let first = (try? EndpointPath(path))?.segments.first else { return nil }
                switch first {
                case "fapi": self = .futures
                case "api", "sapi": self = .spot
                default: return nil
                }
            }
        }

        /// `spot` or `futures`.
        public var description: String { rawValue }
    }
}
