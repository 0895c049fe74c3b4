import Testing
import TradeOnly

@Suite("Logging")
struct LoggingTests {
    let time = FixedTimeSource(Date(timeIntervalSince1970: 1_700_000_000))

    @Test("is off by default: nothing is emitted and nothing is built")
    func offByDefault() {
        let sink = InMemoryLogSink()
        var logger = TradeOnlyLogger.disabled
        logger.sink = sink
        #expect(logger.minimumLevel == nil)
        for level in LogLevel.allCases {
            #expect(!logger.isEnabled(level))
        }
        var built = false
        func expensive() -> String {
            built = true
            return "x"
        }
        logger.critical(expensive())
        logger.log(.error, "failure", metadata: ["a": "b"])
        #expect(sink.events.isEmpty)
        #expect(!built)
    }

    @Test("emits at and above its minimum level only")
    func minimumLevel() {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .warning, timeSource: time)
        logger.trace("t")
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.warning("w")
        logger.error("e")
        logger.critical("c")
        #expect(sink.events.map(\.message) == ["w", "e", "c"])
        #expect(sink.events.map(\.level) == [.warning, .error, .critical])
        #expect(sink.events.allSatisfy { $0.time == time.now() })
    }

    @Test("levels are ordered from trace to critical and name swift-log's levels")
    func levels() {
        #expect(LogLevel.allCases == [.trace, .debug, .info, .notice, .warning, .error, .critical])
        #expect(LogLevel.allCases.sorted() == LogLevel.allCases)
        #expect(LogLevel.trace < .critical)
        #expect(LogLevel.allCases.map(\.rawValue) == ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    }

    @Test("at trace level, a signed query in the message comes out redacted")
    func redactsSignedQuery() {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace, exchange: "binance", timeSource: time)
        logger.trace("POST /api/v3/order?symbol=BTCUSDT&timestamp=1499827319559&signature=abc123def")
        let line = sink.lines.joined(separator: "\n")
        #expect(!line.contains("abc123def"))
        #expect(line == "trace [binance] POST /api/v3/order?symbol=BTCUSDT&timestamp=1499827319559&signature=<redacted>")
        #expect(sink.events.first?.exchange == "binance")
    }

    @Test("at trace level, an API-key header comes out redacted in metadata keys and values")
    func redactsHeaders() {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .trace, timeSource: time)
        let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
        logger.trace(
            "sending",
            metadata: [
                "X-MBX-APIKEY": key,
                "tradeonly.headers": "[\"X-MBX-APIKEY\": \"\(key)\", \"Content-Type\": \"application/json\"]",
                "tradeonly.raw": "X-MBX-APIKEY: \(key)\r\nHost: api.binance.com",
                "tradeonly.query": "timestamp=1&signature=abc",
                "tradeonly.path": "/api/v3/order",
            ])
        logger.trace("header X-MBX-APIKEY: \(key)")
        let event = sink.events[0]
        #expect(event.metadata["X-MBX-APIKEY"] == "<redacted>")
        #expect(event.metadata["tradeonly.path"] == "/api/v3/order")
        #expect(event.metadata["tradeonly.query"] == "timestamp=1&signature=<redacted>")
        #expect(event.metadata["tradeonly.raw"] == "X-MBX-APIKEY: <redacted>\r\nHost: api.binance.com")
        #expect(event.metadata["tradeonly.headers"]?.contains("application/json") == true)
        for line in sink.lines {
            #expect(!line.contains(key))
            #expect(!line.contains("abc"))
        }
    }

    @Test("base metadata is merged and redacted too")
    func baseMetadata() {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(
            sink: sink, minimumLevel: .info,
            metadata: [
                "OK-ACCESS-PASSPHRASE": "hunter2",
                "tradeonly.client": "a",
            ],
            timeSource: time
        ).forExchange("okx")
        logger.info("hello", metadata: ["tradeonly.client": "b"])
        #expect(sink.events[0].metadata == ["OK-ACCESS-PASSPHRASE": "<redacted>", "tradeonly.client": "b"])
        #expect(sink.events[0].exchange == "okx")
        #expect(sink.lines == ["info [okx] hello OK-ACCESS-PASSPHRASE=<redacted> tradeonly.client=b"])
    }

    @Test("the in-memory sink is safe to share and can be cleared")
    func inMemorySinkConcurrency() async {
        let sink = InMemoryLogSink()
        let logger = TradeOnlyLogger(sink: sink, minimumLevel: .debug, timeSource: time)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask { logger.debug("event \(index)") }
            }
        }
        #expect(sink.events.count == 100)
        sink.removeAll()
        #expect(sink.events.isEmpty)
    }

    @Test("the disabled sink drops events")
    func disabledSink() {
        let sink: some LogSink = .disabled
        sink.log(LogEvent(level: .critical, message: "x", time: time.now()))
    }
}
