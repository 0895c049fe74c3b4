import Foundation

/// A ``LogSink`` that writes each event as one line to standard output or standard error: what the
/// examples use, and a quick way to see what a client does while you try it.
///
/// ```swift
/// let logger = TradeOnlyLogger(sink: ConsoleLogSink(.standardError), minimumLevel: .info)
/// let binance = Binance(environment: .testnet, transport: URLSessionTransport(), logger: logger)
/// // info [binance] waiting 54.210 s for the rate limit of api.binance.com (…) tradeonly.host=…
/// ```
///
/// Lines read `level [exchange] message key=value …`, the metadata sorted by key, as
/// ``InMemoryLogSink/lines`` shows them. Each line is written with one call, so lines from
/// concurrent tasks do not interleave. For a real logging system, forward events to it instead
/// (`Examples/SwiftLogSink` adapts swift-log).
public struct ConsoleLogSink: LogSink, Hashable {
    /// Where the lines go.
    public enum Stream: Sendable, Hashable {
        /// The process's standard output.
        case standardOutput
        /// The process's standard error.
        case standardError
    }

    /// Where the lines go.
    public let stream: Stream

    /// Creates a sink writing to `stream`.
    ///
    /// - Parameter stream: Standard output or standard error.
    public init(_ stream: Stream) {
        self.stream = stream
    }

    /// Writes `event` as one line.
    public func log(_ event: LogEvent) {
        let data = Data((InMemoryLogSink.line(for: event) + "\n").utf8)
        switch stream {
        case .standardOutput: FileHandle.standardOutput.write(data)
        case .standardError: FileHandle.standardError.write(data)
        }
    }
}
