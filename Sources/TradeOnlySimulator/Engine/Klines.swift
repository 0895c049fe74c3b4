import Foundation
import TradeOnly

/// One candle built from the recorded prices and fills.
struct Candle: Sendable {
    var open: Int64
    var openPrice: Decimal
    var high: Decimal
    var low: Decimal
    var close: Decimal
    var volume: Decimal
    var quoteVolume: Decimal
    var trades: Int
}

/// Builds candles from the price history (every scripted or walked price) and the fills.
enum KlineBuilder {
    static func intervalMilliseconds(binance interval: String) -> Int64? {
        let minute: Int64 = 60_000
        let table: [String: Int64] = [
            "1s": 1000, "1m": minute, "3m": 3 * minute, "5m": 5 * minute, "15m": 15 * minute, "30m": 30 * minute,
            "1h": 60 * minute, "2h": 120 * minute, "4h": 240 * minute, "6h": 360 * minute, "8h": 480 * minute,
            "12h": 720 * minute, "1d": 1440 * minute, "3d": 3 * 1440 * minute, "1w": 7 * 1440 * minute,
            "1M": 30 * 1440 * minute,
        ]
        return table[interval]
    }

    static func intervalMilliseconds(bybit interval: String) -> Int64? {
        let minute: Int64 = 60_000
        switch interval {
        case "D": return 1440 * minute
        case "W": return 7 * 1440 * minute
        case "M": return 30 * 1440 * minute
        default:
            guard let minutes = Int64(interval), [1, 3, 5, 15, 30, 60, 120, 240, 360, 720].contains(minutes) else { return nil }
            return minutes * minute
        }
    }

    /// Up to `limit` candles, oldest first: from the bucket of `start` if given, else the last ones
    /// up to the bucket of `end` (or now).
    static func candles(
        venue: Venue, instrument: Instrument, intervalMilliseconds length: Int64, limit: Int,
        start: Int64?, end: Int64?, now: Int64
    ) -> [Candle] {
        let points = venue.priceHistory[instrument.symbol] ?? []
        guard let first = points.first else { return [] }
        let lastBucket = (end ?? now) - (end ?? now) % length
        var firstBucket: Int64
        if let start {
            firstBucket = start - start % length
        } else {
            firstBucket = lastBucket - Int64(max(limit, 1) - 1) * length
        }
        firstBucket = max(firstBucket, first.milliseconds - first.milliseconds % length)
        guard firstBucket <= lastBucket else { return [] }
        let fills = venue.fills.filter { $0.symbol == instrument.symbol }
        var candles: [Candle] = []
        var pointIndex = 0
        var lastPrice = first.price
        while pointIndex < points.count, points[pointIndex].milliseconds < firstBucket {
            lastPrice = points[pointIndex].price
            pointIndex += 1
        }
        var bucket = firstBucket
        while bucket <= lastBucket, candles.count < limit {
            let bucketEnd = bucket + length
            var candle = Candle(
                open: bucket, openPrice: lastPrice, high: lastPrice, low: lastPrice, close: lastPrice,
                volume: 0, quoteVolume: 0, trades: 0)
            while pointIndex < points.count, points[pointIndex].milliseconds < bucketEnd {
                let price = points[pointIndex].price
                candle.high = max(candle.high, price)
                candle.low = min(candle.low, price)
                candle.close = price
                lastPrice = price
                pointIndex += 1
            }
            for fill in fills {
                let time = fill.time.milliseconds
                guard time >= bucket, time < bucketEnd else { continue }
                candle.volume += fill.quantity
                candle.quoteVolume += fill.quoteQuantity
                candle.trades += 1
            }
            candles.append(candle)
            bucket = bucketEnd
        }
        return candles
    }
}
