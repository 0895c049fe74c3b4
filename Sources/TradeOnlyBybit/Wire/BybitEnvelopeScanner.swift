import Foundation
import TradeOnly

/// The head of a Bybit response, `{"retCode": …, "retMsg": "…", …}`, read without decoding the rest.
///
/// Every Bybit answer is classified by its `retCode` before it is decoded; a full decoding pass just for
/// that would read large answers (2,000 instruments) twice. The scanner walks the top-level object with
/// the core ``JSONReader``, skips nested values, and stops as soon as it has both fields (Bybit writes
/// them first).
struct BybitEnvelopeHead: Sendable, Hashable {
    /// The `retCode`, if the object has an integer one.
    var retCode: Int?
    /// The `retMsg`, if the object has a string one.
    var retMessage: String?
}

enum BybitEnvelopeScanner {
    /// Reads `retCode` and `retMsg` from a JSON object, or returns `nil` if the bytes are not a JSON
    /// object (an HTML page, plain text, a truncated body) up to where both are known.
    static func scan(_ data: Data) -> BybitEnvelopeHead? {
        try? JSONReader.read(data, options: .responses) { (reader: inout JSONReader) throws(JSONError) -> BybitEnvelopeHead in
            var object = try reader.beginObject()
            var head = BybitEnvelopeHead()
            while let key = try reader.nextKey(&object) {
                if key.matches("retCode") {
                    head.retCode = integer(try reader.readToken())
                } else if key.matches("retMsg") {
                    head.retMessage = try reader.readToken().optionalString ?? nil
                } else {
                    try reader.skipValue()
                }
                if head.retCode != nil && head.retMessage != nil { return head }
            }
            try reader.finish()
            return head
        }
    }

    /// Reads an order acknowledgement, `{"result":{"orderId":"…","orderLinkId":"…"},"time":…}`, in one
    /// pass; `nil` if the bytes are not of that shape (the caller then decodes them the ordinary way,
    /// for a typed error).
    static func orderAcknowledgement(_ data: Data) -> (orderId: String, orderLinkId: String?, time: Int64?)? {
        let ack = try? JSONReader.read(data, options: .responses) {
            (reader: inout JSONReader) throws(JSONError) -> (orderId: String, orderLinkId: String?, time: Int64?)? in
            var orderId: String?
            var orderLinkId: String?
            var time: Int64?
            var object = try reader.beginObject()
            while let key = try reader.nextKey(&object) {
                if key.matches("result"), try reader.peekKind() == .object {
                    var result = try reader.beginObject()
                    while let field = try reader.nextKey(&result) {
                        if field.matches("orderId") {
                            orderId = try reader.readToken().optionalString ?? nil
                        } else if field.matches("orderLinkId") {
                            orderLinkId = try reader.readToken().optionalString ?? nil
                        } else {
                            try reader.skipValue()
                        }
                    }
                } else if key.matches("time") {
                    time = integer(try reader.readToken()).map(Int64.init)
                } else {
                    try reader.skipValue()
                }
            }
            try reader.finish()
            guard let orderId, !orderId.isEmpty else { return nil }
            return (orderId, orderLinkId, time)
        }
        return ack ?? nil
    }

    /// A number token's value if it is an integer that fits `Int`.
    private static func integer(_ token: JSONReader.Token) -> Int? {
        guard case .number(let bytes) = token, let value = JSONReader.int64(bytes) else { return nil }
        return Int(exactly: value)
    }
}
