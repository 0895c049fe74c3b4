import Foundation
import Testing
import TradeOnly

private func d(_ text: String) -> Decimal { MarketFixtures.decimal(text) }

private struct PricePayload: Codable {
    let price: WireDecimal
}

private struct OptionalPayload: Codable {
    let liqPrice: OptionalWireDecimal?
}

private struct Pair: Decodable {
    let a: WireDecimal
    let b: WireDecimal
}

private struct Nested: Decodable {
    struct Item: Decodable { let qty: WireDecimal }
    let list: [Item]
}

/// A hand-written wire model using the container helpers.
private struct HandWritten: Decodable {
    let price: Decimal
    let average: Decimal?
    enum CodingKeys: String, CodingKey { case price, average }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        price = try container.decodeDecimal(forKey: .price)
        average = try container.decodeDecimalIfPresent(forKey: .average)
    }
}

private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(json.utf8))
}

/// The coding path of a decoding error, as `list[0].qty`.
private func path(of error: DecodingError) -> String {
    let context: DecodingError.Context
    switch error {
    case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
    @unknown default: return ""
    }
    return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
}

private func debugDescription(of error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
        return c.debugDescription
    @unknown default: return ""
    }
}

@Suite("WireDecimal decoding of exchange JSON")
struct WireDecimalTests {
    @Test(arguments: [
        (#"{"price":"0.1"}"#, "0.1"),
        (#"{"price":0.1}"#, "0.1"),
        (#"{"price":12345678.123456789}"#, "12345678.123456789"),
        (#"{"price":"12345678.123456789"}"#, "12345678.123456789"),
        (#"{"price":1e-8}"#, "0.00000001"),
        (#"{"price":"1e-8"}"#, "0.00000001"),
        (#"{"price":0.691}"#, "0.691"),
        (#"{"price":"4723846.89208129"}"#, "4723846.89208129"),
        (#"{"price":-0.07819010}"#, "-0.0781901"),
        (#"{"price":6024}"#, "6024"),
        (#"{"price":"0.00000000"}"#, "0"),
    ])
    func decodesStringsAndNumbersExactly(json: String, expected: String) throws {
        let payload = try decode(PricePayload.self, json)
        #expect(payload.price.value == d(expected))
        #expect(payload.price.value.plainString == d(expected).plainString)
    }

    @Test func decodedNumbersAddExactly() throws {
        let numbers = try decode(Pair.self, #"{"a":0.1,"b":0.2}"#)
        #expect(numbers.a.value + numbers.b.value == d("0.3"))
        let strings = try decode(Pair.self, #"{"a":"0.1","b":"0.2"}"#)
        #expect(strings.a.value + strings.b.value == d("0.3"))
    }

    @Test(arguments: [#"{"price":""}"#, #"{"price":" "}"#, #"{"price":"abc"}"#, #"{"price":"12abc"}"#, #"{"price":"NaN"}"#, #"{"price":"1,5"}"#])
    func refusesBadStringsNamingTheField(json: String) {
        do {
            _ = try decode(PricePayload.self, json)
            Issue.record("decoded \(json)")
        } catch let error as DecodingError {
            guard case .dataCorrupted = error else {
                Issue.record("expected dataCorrupted, got \(error)")
                return
            }
            #expect(path(of: error) == ".price")
            #expect(debugDescription(of: error).contains("'price'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [#"{"price":true}"#, #"{"price":{}}"#, #"{"price":[1]}"#])
    func refusesOtherTypesNamingTheField(json: String) {
        do {
            _ = try decode(PricePayload.self, json)
            Issue.record("decoded \(json)")
        } catch let error as DecodingError {
            #expect(path(of: error) == ".price")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func refusesNull() {
        do {
            _ = try decode(PricePayload.self, #"{"price":null}"#)
            Issue.record("decoded null")
        } catch let error as DecodingError {
            guard case .valueNotFound = error else {
                Issue.record("expected valueNotFound, got \(error)")
                return
            }
            #expect(path(of: error) == ".price")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func namesNestedPaths() {
        do {
            _ = try decode(Nested.self, #"{"list":[{"qty":"1"},{"qty":"x"}]}"#)
            Issue.record("decoded garbage")
        } catch let error as DecodingError {
            #expect(path(of: error) == ".list[1].qty")
            #expect(debugDescription(of: error).contains("'list[1].qty'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        (#"{"liqPrice":""}"#, nil as String?),
        (#"{"liqPrice":null}"#, nil),
        (#"{}"#, nil),
        (#"{"liqPrice":"27464.5"}"#, "27464.5"),
        (#"{"liqPrice":0.5}"#, "0.5"),
    ])
    func optionalWireDecimal(json: String, expected: String?) throws {
        let payload = try decode(OptionalPayload.self, json)
        #expect(payload.liqPrice?.value == expected.map(d))
    }

    @Test func optionalWireDecimalStillRefusesGarbage() {
        #expect(throws: DecodingError.self) { try decode(OptionalPayload.self, #"{"liqPrice":"n/a"}"#) }
    }

    @Test func containerHelpers() throws {
        let full = try decode(HandWritten.self, #"{"price":"30000.10","average":0.5}"#)
        #expect(full.price == d("30000.1"))
        #expect(full.average == d("0.5"))
        let sparse = try decode(HandWritten.self, #"{"price":1,"average":""}"#)
        #expect(sparse.average == nil)
        #expect(throws: DecodingError.self) { try decode(HandWritten.self, #"{"average":"1"}"#) }
    }

    @Test func encodesPlainStrings() throws {
        let data = try JSONEncoder().encode(PricePayload(price: WireDecimal(d("1e-8"))))
        #expect(String(decoding: data, as: UTF8.self) == #"{"price":"0.00000001"}"#)
        let back = try JSONDecoder().decode(PricePayload.self, from: data)
        #expect(back.price.value == d("0.00000001"))
        #expect(WireDecimal(d("1e20")).description == "100000000000000000000")
    }
}
