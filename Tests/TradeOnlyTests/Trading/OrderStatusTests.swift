import Foundation
import Testing
import TradeOnly

/// Mapping tables as the exchange modules will write them (from the reference notes).
private let binance: [String: OrderStatus] = [
    "NEW": .new, "PENDING_NEW": .new, "PARTIALLY_FILLED": .partiallyFilled, "FILLED": .filled,
    "CANCELED": .cancelled, "PENDING_CANCEL": .pendingCancel, "REJECTED": .rejected,
    "EXPIRED": .expired, "EXPIRED_IN_MATCH": .expired,
]
private let bybit: [String: OrderStatus] = [
    "New": .new, "PartiallyFilled": .partiallyFilled, "Filled": .filled, "Cancelled": .cancelled,
    "PartiallyFilledCanceled": .cancelled, "Rejected": .rejected,
]
private let okx: [String: OrderStatus] = [
    "live": .new, "partially_filled": .partiallyFilled, "filled": .filled, "canceled": .cancelled, "mmp_canceled": .cancelled,
]

@Suite("OrderStatus")
struct OrderStatusTests {
    @Test(arguments: [
        ("NEW", OrderStatus.new), ("PARTIALLY_FILLED", .partiallyFilled), ("FILLED", .filled),
        ("CANCELED", .cancelled), ("REJECTED", .rejected), ("EXPIRED_IN_MATCH", .expired),
        ("PENDING_CANCEL", .pendingCancel), ("SOMETHING_NEW", .unknown("SOMETHING_NEW")),
        ("new", .unknown("new")),
    ])
    func binanceMapping(wire: String, expected: OrderStatus) {
        #expect(OrderStatus(wireValue: wire, mapping: binance) == expected)
    }

    @Test(arguments: [
        ("New", OrderStatus.new), ("PartiallyFilledCanceled", .cancelled), ("Untriggered", .unknown("Untriggered")),
    ])
    func bybitMapping(wire: String, expected: OrderStatus) {
        #expect(OrderStatus(wireValue: wire, mapping: bybit) == expected)
    }

    @Test(arguments: [("live", OrderStatus.new), ("mmp_canceled", .cancelled), ("", .unknown(""))])
    func okxMapping(wire: String, expected: OrderStatus) {
        #expect(OrderStatus(wireValue: wire, mapping: okx) == expected)
    }

    @Test(arguments: [
        (OrderStatus.new, true, false), (.partiallyFilled, true, false), (.pendingCancel, true, false),
        (.filled, false, true), (.cancelled, false, true), (.rejected, false, true), (.expired, false, true),
        (.unknown("Untriggered"), false, false),
    ])
    func openAndFinal(status: OrderStatus, isOpen: Bool, isFinal: Bool) {
        #expect(status.isOpen == isOpen)
        #expect(status.isFinal == isFinal)
    }

    @Test(arguments: [
        OrderStatus.new, .partiallyFilled, .filled, .cancelled, .rejected, .expired, .pendingCancel, .unknown("Deactivated"),
    ])
    func namesRoundTrip(status: OrderStatus) throws {
        #expect(OrderStatus(name: status.name) == status)
        let data = try JSONEncoder().encode([status])
        #expect(try JSONDecoder().decode([OrderStatus].self, from: data) == [status])
    }

    @Test func descriptions() {
        #expect(OrderStatus.partiallyFilled.description == "partiallyFilled")
        #expect(OrderStatus.unknown("Untriggered").description == "unknown(Untriggered)")
    }
}
