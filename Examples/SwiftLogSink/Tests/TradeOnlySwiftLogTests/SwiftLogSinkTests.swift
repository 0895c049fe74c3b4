import Foundation
import Logging
import Testing
import TradeOnly
import TradeOnlyBinance
import TradeOnlySimulator
import TradeOnlySwiftLog

/// A swift-log handler that keeps what it receives.
struct RecordingHandler: LogHandler {
    /// One record: what swift-log handed the handler.
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    /// The records, shared by every copy of the handler.
    final class Records: @unchecked Sendable {
        // @unchecked: `list` is only touched while `lock` is held.
        private let lock = NSLock()
        private var list: [Record] = []

        func append(_ record: Record) {
            lock.lock()
            defer { lock.unlock() }
            list.append(record)
        }

        var all: [Record] {
            lock.lock()
            defer { lock.unlock() }
            return list
        }
    }

    let records: Records
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    // swift-log's `log(event:)` (swift-log 1.11 and later, which these tests resolve; the sink itself
    // calls only `Logger.log(level:_:metadata:)` and works from 1.6).
    func log(event: Logging.LogEvent) {
        var strings: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            strings[key] = "\(value)"
        }
        records.append(Record(level: event.level, message: event.message.description, metadata: strings))
    }
}

@Suite("swift-log sink")
struct SwiftLogSinkTests {
    static func logger(level: Logger.Level) -> (Logger, RecordingHandler.Records) {
        let records = RecordingHandler.Records()
        let logger = Logger(label: "tradeonly.test") { _ in RecordingHandler(records: records, logLevel: level) }
        return (logger, records)
    }

    @Test("levels map one to one, both ways", arguments: TradeOnly.LogLevel.allCases)
    func levels(level: TradeOnly.LogLevel) {
        let swiftLog = Logger.Level(level)
        #expect(swiftLog.rawValue == level.rawValue)
        #expect(TradeOnly.LogLevel(swiftLog) == level)
    }

    @Test("an event reaches swift-log with its level, message, metadata and exchange")
    func forwardsAnEvent() throws {
        let (swiftLogger, records) = Self.logger(level: .trace)
        let logger = TradeOnlyLogger(swiftLog: swiftLogger, exchange: "binance")
        logger.notice("clock resynchronised", metadata: ["tradeonly.offset": "12"])
        let record = try #require(records.all.first)
        #expect(records.all.count == 1)
        #expect(record.level == .notice)
        #expect(record.message == "clock resynchronised")
        #expect(record.metadata["tradeonly.offset"] == "12")
        #expect(record.metadata["tradeonly.exchange"] == "binance")
    }

    @Test("the TradeOnly logger takes swift-log's level: nothing below it is built or sent")
    func minimumLevelFollowsSwiftLog() {
        let (swiftLogger, records) = Self.logger(level: .warning)
        let logger = TradeOnlyLogger(swiftLog: swiftLogger)
        #expect(logger.minimumLevel == .warning)
        logger.info("dropped")
        logger.error("kept")
        #expect(records.all.map(\.message) == ["kept"])
    }

    @Test("a client's events arrive redacted: the key's secret and signature never reach swift-log")
    func clientEventsAreRedacted() async throws {
        let (swiftLogger, records) = Self.logger(level: .debug)
        let simulator = SimulatedExchange.standard(for: .binance)
        let client = try await simulator.client(for: Binance.self, logger: TradeOnlyLogger(swiftLog: swiftLogger))
        _ = try await client.balances()
        let all = records.all
        #expect(!all.isEmpty, "at .debug a client logs its requests")
        #expect(all.allSatisfy { $0.metadata["tradeonly.exchange"] == "binance" })
        let key = SimulatedExchange.standardTradeKey
        for record in all {
            let text = record.message + " " + record.metadata.values.joined(separator: " ")
            #expect(!text.contains(key.secret), "\(record)")
            #expect(!text.contains(key.apiKey), "\(record)")
        }
    }
}
