import TradeOnly

extension Binance {
    /// What Binance last reported about this IP's and account's rate-limit usage, read from the
    /// `X-MBX-USED-WEIGHT-*` and `X-MBX-ORDER-COUNT-*` headers of every response, per host.
    ///
    /// ```swift
    /// let usage = binance.rateLimitHeaders
    /// usage.spot.usedWeight["1M"]      // request weight used in the current minute, e.g. 46
    /// usage.futures.orderCount["10S"]  // orders placed in the current 10 seconds
    /// ```
    ///
    /// Intervals are written as Binance writes them in the header name, upper-cased: a number and one
    /// of `S`, `M`, `H`, `D` (`1M` is one minute, `1D` one day). The values are the latest seen, not
    /// sums; Binance's limits themselves are in `exchangeInfo.rateLimits`.
    public struct RateLimitHeaders: Sendable, Hashable, CustomStringConvertible {
        /// The counters of one host.
        public struct Counters: Sendable, Hashable, CustomStringConvertible {
            /// Request weight used, by interval (`"1M"` → 46), from `X-MBX-USED-WEIGHT-<interval>`.
            public var usedWeight: [String: Int]
            /// Orders placed, by interval (`"10S"` → 1, `"1D"` → 12), from `X-MBX-ORDER-COUNT-<interval>`.
            public var orderCount: [String: Int]
            /// When the last response carrying any of these headers arrived (local time), if any did.
            public var updatedAt: Date?
            /// Until when Binance banned this IP on this host (HTTP 418 or `-1003 … banned until`),
            /// while the ban lasts, as the ``Binance/governor`` enforces it: requests to the host are
            /// refused locally until then.
            public var bannedUntil: Date?

            /// Creates counters.
            public init(
                usedWeight: [String: Int] = [:], orderCount: [String: Int] = [:], updatedAt: Date? = nil,
                bannedUntil: Date? = nil
            ) {
                self.usedWeight = usedWeight
                self.orderCount = orderCount
                self.updatedAt = updatedAt
                self.bannedUntil = bannedUntil
            }

            /// `weight 1M=46; orders 10S=1, 1D=12`.
            public var description: String {
                func list(_ values: [String: Int]) -> String {
                    values.keys.sorted().map { "\($0)=\(values[$0] ?? 0)" }.joined(separator: ", ")
                }
                var parts: [String] = []
                if !usedWeight.isEmpty { parts.append("weight " + list(usedWeight)) }
                if !orderCount.isEmpty { parts.append("orders " + list(orderCount)) }
                if let bannedUntil { parts.append("banned until \(bannedUntil)") }
                return parts.isEmpty ? "no usage reported" : parts.joined(separator: "; ")
            }
        }

        /// The spot host (`/api`, `/sapi`).
        public var spot: Counters
        /// The USDⓈ-M futures host (`/fapi`).
        public var futures: Counters

        /// Creates a usage report.
        public init(spot: Counters = Counters(), futures: Counters = Counters()) {
            self.spot = spot
            self.futures = futures
        }

        /// The counters of one host.
        public subscript(host: Host) -> Counters {
            get { host == .spot ? spot : futures }
            set {
                if host == .spot { spot = newValue } else { futures = newValue }
            }
        }

        /// `spot: …; futures: …`.
        public var description: String { "spot: \(spot); futures: \(futures)" }

        /// One rate-limit header: used weight or order count, its interval, its value.
        struct Reading {
            let isWeight: Bool
            let interval: String
            let count: Int
        }

        /// The rate-limit headers of a response.
        static func readings(_ headers: HTTPHeaders) -> [Reading] {
            var readings: [Reading] = []
            for (name, value) in headers {
                guard let (isWeight, interval) = parseName(name), let count = parseCount(value) else { continue }
                readings.append(Reading(isWeight: isWeight, interval: interval, count: count))
            }
            return readings
        }

        /// Applies readings to `counters`.
        static func apply(_ readings: [Reading], to counters: inout Counters, at now: Date) {
            for reading in readings {
                if reading.isWeight {
                    counters.usedWeight[reading.interval] = reading.count
                } else {
                    counters.orderCount[reading.interval] = reading.count
                }
            }
            if !readings.isEmpty { counters.updatedAt = now }
        }

        /// Changes the counters of one host in place.
        mutating func modify<Result>(_ host: Host, _ body: (inout Counters) -> Result) -> Result {
            switch host {
            case .spot: return body(&spot)
            case .futures: return body(&futures)
            }
        }

        private static let weightPrefix = Array("x-mbx-used-weight-".utf8)
        private static let orderPrefix = Array("x-mbx-order-count-".utf8)

        /// `(true, "1M")` for `X-MBX-USED-WEIGHT-1M`, `(false, "10S")` for `x-mbx-order-count-10s`;
        /// `nil` for any other header. Compared without case, byte by byte.
        private static func parseName(_ name: String) -> (isWeight: Bool, interval: String)? {
            let prefixLength = weightPrefix.count
            // Most headers are told apart by their length alone, before their bytes are read.
            guard name.utf8.count >= prefixLength + 2, name.utf8.count <= prefixLength + 5 else { return nil }
            var name = name
            return name.withUTF8 { bytes in parseName(bytes: bytes, prefixLength: prefixLength) }
        }

        private static func parseName(
            bytes: UnsafeBufferPointer<UInt8>, prefixLength: Int
        ) -> (isWeight: Bool, interval: String)? {
            guard bytes[0] == UInt8(ascii: "x") || bytes[0] == UInt8(ascii: "X") else { return nil }
            func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }
            var isWeight = true
            var isOrders = true
            for index in 0..<prefixLength {
                let byte = lower(bytes[index])
                if byte != weightPrefix[index] { isWeight = false }
                if byte != orderPrefix[index] { isOrders = false }
            }
            guard isWeight || isOrders else { return nil }
            // The interval: digits, then one of S, M, H, D.
            var interval: [UInt8] = []
            for index in prefixLength..<bytes.count {
                let byte = bytes[index]
                let isLast = index == bytes.count - 1
                if isLast {
                    let unit = byte >= 0x61 && byte <= 0x7A ? byte - 32 : byte
                    guard "SMHD".utf8.contains(unit) else { return nil }
                    interval.append(unit)
                } else {
                    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                    interval.append(byte)
                }
            }
            return (isWeight, String(decoding: interval, as: UTF8.self))
        }

        /// A non-negative decimal count, surrounding spaces allowed.
        private static func parseCount(_ value: String) -> Int? {
            var result = 0
            var digits = 0
            var trailing = false
            for byte in value.utf8 {
                if byte == 0x20 || byte == 0x09 {
                    if digits > 0 { trailing = true }
                    continue
                }
                guard !trailing, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), digits < 12 else { return nil }
                result = result * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            }
            return digits > 0 ? result : nil
        }
    }
}

extension Binance {
    /// Renamed ``RateLimitHeaders``: the name `RateLimitUsage` is the core type every module reports
    /// (``Binance/rateLimitUsage``).
    @available(*, deprecated, renamed: "Binance.RateLimitHeaders")
    public typealias RateLimitUsage = RateLimitHeaders
}

/// State shared by every client and inspector of one ``Binance`` value: the latest rate-limit usage
/// headers per host (bans and weight budgets are the ``RateLimitGovernor``'s).
final class BinanceSharedState: Sendable {
    private let usage = LockedValue(Binance.RateLimitHeaders())

    /// The latest headers.
    var rateLimitHeaders: Binance.RateLimitHeaders { usage.current }

    /// Records the headers of a response from `host`.
    ///
    /// - Returns: The request weight used in the current minute (`X-MBX-USED-WEIGHT-1M`), if the
    ///   response reports it.
    @discardableResult
    func observe(_ response: HTTPResponse, from host: Binance.Host, at now: Date) -> Int? {
        let readings = Binance.RateLimitHeaders.readings(response.headers)
        guard !readings.isEmpty else { return nil }
        usage.withLock { state in
            state.modify(host) { Binance.RateLimitHeaders.apply(readings, to: &$0, at: now) }
        }
        return readings.first { $0.isWeight && $0.interval == "1M" }?.count
    }
}
