import Foundation

extension FaultRun {
    /// What a run did and found.
    ///
    /// The safety properties, all zero in a passing run (``passed``):
    ///
    /// - ``duplicates``: orders the exchange holds beyond the first for one client order id: an order
    ///   placed twice.
    /// - ``lost``: orders the exchange holds that the bot does not know it has: never reported, or
    ///   reported as rejected, not placed or not found.
    /// - ``unsettled``: placements reported as unknown that `reconcile` still could not settle once the
    ///   faults stopped.
    /// - ``unknownWithoutClientOrderID``: unknown outcomes reported without the client order id needed to
    ///   settle them.
    /// - ``phantoms``: orders the bot was told were placed that the exchange does not hold.
    /// - ``cancelMismatches``: orders the bot was told were cancelled (or otherwise final) that are
    ///   still open on the exchange.
    /// - ``unexpectedErrors``: errors that are not `ExchangeError`s (a client must only throw those).
    public struct Report: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The exchange simulated (`binance`, `bybit`).
        public var exchange: String
        /// How many orders the bot placed (each counted once, whatever the attempts).
        public var orders: Int
        /// How many resting orders the bot then cancelled.
        public var cancels: Int
        /// How many faults were injected: by the exchange (per request) and by the transport.
        public var faultsInjected: Int
        /// The faults injected, by kind (`lostResponse`, `serverError(503, before execution)`, …).
        public var faultsByKind: [String: Int]
        /// How many times the exchange's clock skew changed while the bot ran.
        public var clockSkewChanges: Int
        /// Orders on the exchange beyond the first per client order id.
        public var duplicates: Int
        /// Orders on the exchange the bot does not know it has.
        public var lost: Int
        /// Placements reported as ``ExchangeError/Kind/outcomeUnknown`` with their client order id and
        /// then settled by `reconcile` (found, or not found after its receive window).
        public var reportedUnknownThenSettled: Int
        /// Placements reported as unknown and still not settled at the end.
        public var unsettled: Int
        /// Unknown outcomes reported without a client order id.
        public var unknownWithoutClientOrderID: Int
        /// Orders reported as placed that the exchange does not hold.
        public var phantoms: Int
        /// Orders reported as final (cancelled, filled) that are still open on the exchange.
        public var cancelMismatches: Int
        /// Errors that were not `ExchangeError`s.
        public var unexpectedErrors: Int
        /// How each placement attempt ended (`placed`, `unknown`, `notPlaced`, `rejected(…)`, …).
        public var placementOutcomes: [String: Int]
        /// How each cancel attempt ended (`cancelled`, `filled`, `notFound`, `unknown`, …).
        public var cancelOutcomes: [String: Int]
        /// How many orders the exchange holds at the end.
        public var exchangeOrders: Int
        /// How many requests the exchange received.
        public var requests: Int
        /// Resting orders still open at the end (their cancels kept failing); not a failure.
        public var openAtEnd: Int
        /// The first few violations, described, for debugging.
        public var problems: [String]
        /// Why the run could not start, if it could not.
        public var setupError: String?
        /// How much time passed on the simulated clock.
        public var simulatedSeconds: Double
        /// How long the run took, in wall-clock seconds.
        public var seconds: Double
        /// How many withdrawals and transfers the simulated exchange recorded during the run: a
        /// trade-only client must make none, whatever the faults.
        public var moneyMovements: Int = 0

        /// Whether every safety property held and the run could start.
        public var passed: Bool {
            setupError == nil && duplicates == 0 && lost == 0 && unsettled == 0 && unknownWithoutClientOrderID == 0
                && phantoms == 0 && cancelMismatches == 0 && unexpectedErrors == 0 && moneyMovements == 0
        }

        /// One JSON object on one line: `{"exchange": …, "orders": …, "faultsInjected": …,
        /// "duplicates": …, "lost": …, "reportedUnknownThenSettled": …, "seconds": …}`, then the other
        /// checks.
        public var jsonLine: String {
            var fields: [(String, String)] = [
                ("exchange", Self.quoted(exchange)),
                ("orders", String(orders)),
                ("faultsInjected", String(faultsInjected)),
                ("duplicates", String(duplicates)),
                ("lost", String(lost)),
                ("reportedUnknownThenSettled", String(reportedUnknownThenSettled)),
                ("seconds", String(format: "%.2f", seconds)),
                ("unsettled", String(unsettled)),
                ("phantoms", String(phantoms)),
                ("cancelMismatches", String(cancelMismatches)),
                ("unknownWithoutClientOrderID", String(unknownWithoutClientOrderID)),
                ("unexpectedErrors", String(unexpectedErrors)),
                ("cancels", String(cancels)),
                ("exchangeOrders", String(exchangeOrders)),
                ("requests", String(requests)),
                ("simulatedSeconds", String(format: "%.0f", simulatedSeconds)),
                ("moneyMovements", String(moneyMovements)),
                ("passed", passed ? "true" : "false"),
            ]
            if let setupError { fields.append(("setupError", Self.quoted(setupError))) }
            return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }

        /// A few lines: the counts, the faults by kind, the outcomes and the first problems.
        public var description: String {
            func list(_ counts: [String: Int]) -> String {
                counts.keys.sorted().map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
            }
            var lines = [
                "\(exchange): \(orders) orders, \(cancels) cancels, \(faultsInjected) faults, \(clockSkewChanges) clock-skew changes, "
                    + "\(requests) requests, \(String(format: "%.2f", seconds)) s (\(Int(simulatedSeconds)) s simulated): "
                    + (passed ? "passed" : "FAILED"),
                "duplicates \(duplicates), lost \(lost), unsettled \(unsettled), phantoms \(phantoms), "
                    + "unknown without id \(unknownWithoutClientOrderID), cancel mismatches \(cancelMismatches), "
                    + "unexpected errors \(unexpectedErrors), money movements \(moneyMovements); "
                    + "reported unknown then settled \(reportedUnknownThenSettled)",
                "faults: " + list(faultsByKind),
                "placements: " + list(placementOutcomes),
                "cancels: " + list(cancelOutcomes),
            ]
            if let setupError { lines.append("setup failed: \(setupError)") }
            lines += problems.map { "problem: \($0)" }
            return lines.joined(separator: "\n")
        }

        private static func quoted(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result + "\""
        }
    }
}
