import Foundation
import Testing
import TradeOnly
import TradeOnlyTestSupport

@testable import TradeOnlyBinance

/// The one-pass reader of order answers agrees with `JSONDecoder` wherever it answers, and declines
/// (so `JSONDecoder` decides) wherever it could differ.
@Suite("Decoding recorded payloads: order answers")
struct OrderReaderTests {
    static let orderPayloads = [
        "spot-order-ack.json", "spot-order-result.json", "spot-order-full.json", "spot-order-query.json",
        "spot-cancel.json", "futures-order.json", "futures-order-query.json", "futures-cancel.json",
    ]

    private func same(_ left: WireOrder, _ right: WireOrder) -> Bool {
        left.symbol == right.symbol && left.orderId == right.orderId && left.clientOrderId == right.clientOrderId
            && left.origClientOrderId == right.origClientOrderId && left.price == right.price
            && left.origQty == right.origQty && left.executedQty == right.executedQty
            && left.cummulativeQuoteQty == right.cummulativeQuoteQty && left.avgPrice == right.avgPrice
            && left.status == right.status && left.timeInForce == right.timeInForce && left.type == right.type
            && left.side == right.side && left.reduceOnly == right.reduceOnly && left.positionSide == right.positionSide
            && left.time == right.time && left.transactTime == right.transactTime && left.updateTime == right.updateTime
    }

    @Test("every documented order answer reads the same as with JSONDecoder", arguments: orderPayloads)
    func documented(payload: String) throws {
        let data = try payloads.data(payload)
        let flat = try #require(WireOrder(flat: data), "the flat reader declined \(payload)")
        let decoded = try JSONDecoder().decode(WireOrder.self, from: data)
        #expect(same(flat, decoded))
    }

    @Test(
        "variants: numbers, nulls, empty strings, escapes, nesting, white space",
        arguments: [
            #"{"symbol":"BTCUSDT","orderId":1,"price":0.1,"origQty":12345678.123456789,"executedQty":"","avgPrice":null,"status":"NEW","side":"BUY"}"#,
            #"  {  "symbol" : "BTC\/USDT" , "orderId" : -1 , "clientOrderId" : "a\"b\\c\u0041" , "fills" : [ { "x" : [1, {"y": "]}"}] } ] }  "#,
            #"{"symbol":"X","orderId":9223372036854775807,"reduceOnly":true,"time":null,"updateTime":1566818724722,"nested":{"a":{"b":[]}}}"#,
            #"{"symbol":"X","orderId":0,"price":"1e-8","origQty":"0E-8","executedQty":1E+2}"#,
            #"{"symbol":"这是测试币456","orderId":1,"clientOrderId":"Ü\/x"}"#,
            // Escapes of any character (the core reader resolves them exactly as JSONDecoder does).
            #"{"symbol":"\u00DC","orderId":1}"#, #"{"symbol":"a\nb","orderId":1}"#, #"{"symbol":"\ud83d\ude00","orderId":1}"#,
            // A repeated name the reader skips changes nothing it reads.
            #"{"symbol":"X","orderId":1,"extra":1,"extra":[2]}"#,
        ])
    func variants(json: String) throws {
        let data = Data(json.utf8)
        let flat = try #require(WireOrder(flat: data))
        let decoded = try JSONDecoder().decode(WireOrder.self, from: data)
        #expect(same(flat, decoded))
    }

    @Test(
        "the reader declines what it cannot decide exactly",
        arguments: [
            "", " ", "[]", "null", #"{"symbol":"X","orderId":1"#, #"{"symbol":"X","orderId":1}x"#,
            #"{"symbol":"X","orderId":1,"symbol":"Y"}"#, // duplicate key
            #"{"symbol":"X","orderId":1,"\u0073ymbol":"Y"}"#, // duplicate key, one spelled with an escape
            #"{"symbol":"X","orderId":1,"price":"1","price":"2"}"#, // a repeated field the reader reads
            #"{"symbol":"X","orderId":"1"}"#, // id as a string
            #"{"symbol":"X","orderId":1.0}"#, // id not a plain integer
            #"{"symbol":"X","orderId":01}"#, // leading zero
            #"{"symbol":"X","orderId":1,"price":"0.1x"}"#, // bad decimal
            #"{"symbol":"X","orderId":1,"price":true}"#, // wrong type
            #"{"symbol":"X","orderId":1,"status":5}"#, // wrong type
            "{\"symbol\":\"a\u{1}b\",\"orderId\":1}", // raw control character
            #"{"symbol":"X","orderId":1,"n":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
            #"{"symbol":"X","orderId":1,"n":[}"#, // unbalanced
            #"{"orderId":1}"#, // missing symbol
            #"{"symbol":"X","orderId":1,"x":tru}"#,
            #"{"symbol":"X","orderId":-}"#,
        ])
    func declines(json: String) {
        #expect(WireOrder(flat: Data(json.utf8)) == nil, "\(json)")
    }

    @Test("invalid UTF-8 inside a string is declined")
    func invalidUTF8() {
        var bytes = Array(#"{"symbol":"AB","orderId":1}"#.utf8)
        bytes[12] = 0xFF
        #expect(WireOrder(flat: Data(bytes)) == nil)
        #expect((try? JSONDecoder().decode(WireOrder.self, from: Data(bytes))) == nil)
    }

    @Test("random byte damage never crashes and never disagrees with JSONDecoder")
    func fuzz() throws {
        var generator = SystemRandomNumberGenerator()
        let base = Array(try payloads.data("spot-order-result.json"))
        for _ in 0..<600 {
            let bytes = damaged(base, edits: 1...4, using: &generator)
            let data = Data(bytes)
            if let flat = WireOrder(flat: data) {
                let decoded = try #require(
                    try? JSONDecoder().decode(WireOrder.self, from: data),
                    "\(String(decoding: bytes, as: UTF8.self))")
                #expect(same(flat, decoded), "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}

@Suite("Decoding recorded payloads: exchange info")
struct ExchangeInfoReaderTests {
    private func same(_ left: WireExchangeInfo, _ right: WireExchangeInfo) -> Bool {
        guard left.symbols.count == right.symbols.count else { return false }
        for (a, b) in zip(left.symbols, right.symbols) {
            guard a.symbol == b.symbol, a.status == b.status, a.baseAsset == b.baseAsset, a.quoteAsset == b.quoteAsset,
                a.contractType == b.contractType, a.marginAsset == b.marginAsset,
                a.filters.map(\.kind) == b.filters.map(\.kind)
            else { return false }
        }
        return true
    }

    @Test(
        "the documented spot and futures answers read the same as with JSONDecoder",
        arguments: ["spot-exchangeInfo.json", "futures-exchangeInfo.json"])
    func documented(payload: String) throws {
        let data = try payloads.data(payload)
        let fast = try #require(BinanceExchangeInfoReader.read(data))
        let decoded = try JSONDecoder().decode(WireExchangeInfo.self, from: data)
        #expect(same(fast, decoded))
        #expect(fast.symbols.count > 3)
    }

    @Test(
        "variants agree with JSONDecoder; unusual ones are declined",
        arguments: [
            (#"{"symbols":[]}"#, true),
            (
                #"{"x":[{"a":"b"}],"symbols":[{"symbol":"AB","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[],"contractType":null}],"y":1}"#,
                true
            ),
            (
                #"{"symbols":[{"symbol":"这是测试币456","status":"TRADING","baseAsset":"这是测试币","quoteAsset":"456","filters":[{"filterType":"MIN_NOTIONAL","notional":"5.0"},{"filterType":"NEW","maxQty":{"a":[1]}}]}]}"#,
                true
            ),
            (
                #"{"symbols":[{"symbol":"AB","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[{"filterType":"PRICE_FILTER","tickSize":0.01,"minPrice":"","maxPrice":null}]}]}"#,
                true
            ),
            (#"{"symbols":[{"symbol":"AB","status":"TRADING","baseAsset":"A","quoteAsset":"B"}]}"#, false), // no filters
            (
                #"{"symbols":[{"symbol":"AB","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[{"filterType":"LOT_SIZE","stepSize":"x"}]}]}"#,
                false
            ),
            (
                #"{"symbols":[{"symbol":"AB","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[{"filterType":"NOTIONAL","applyMinToMarket":"yes"}]}]}"#,
                false
            ),
            (#"{"symbols":[{"symbol":1,"status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[]}]}"#, false),
            (#"{"symbols":[],"symbols":[]}"#, false),
            (#"{"symbols":[]} x"#, false),
            (#"{"rateLimits":[]}"#, false),
        ])
    func variants(json: String, readable: Bool) throws {
        let data = Data(json.utf8)
        let fast = BinanceExchangeInfoReader.read(data)
        #expect((fast != nil) == readable, "\(json)")
        if let fast {
            let decoded = try JSONDecoder().decode(WireExchangeInfo.self, from: data)
            #expect(same(fast, decoded))
        }
    }

    @Test("random damage never crashes and never disagrees with JSONDecoder")
    func fuzz() throws {
        var generator = SystemRandomNumberGenerator()
        let base = Array(try payloads.data("futures-exchangeInfo.json"))
        for _ in 0..<400 {
            let bytes = damaged(base, edits: 1...3, using: &generator)
            let data = Data(bytes)
            if let fast = BinanceExchangeInfoReader.read(data) {
                do {
                    let decoded = try JSONDecoder().decode(WireExchangeInfo.self, from: data)
                    #expect(same(fast, decoded))
                } catch {
                    Issue.record("accepted what JSONDecoder refuses (\(error)): \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
    }
}

/// `bytes` with a few random edits: a byte replaced by any value, a byte removed, or a printable
/// byte inserted.
func damaged(_ bytes: [UInt8], edits: ClosedRange<Int>, using generator: inout some RandomNumberGenerator) -> [UInt8] {
    var bytes = bytes
    for _ in 0..<Int.random(in: edits, using: &generator) where !bytes.isEmpty {
        let position = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
        case 1: bytes.remove(at: position)
        default: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &generator), at: position)
        }
    }
    return bytes
}
