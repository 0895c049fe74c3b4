import Foundation
import TradeOnly

/// `GET /v5/user/query-api`: what Bybit says about the key that signed the request.
///
/// `permissions` is decoded generically, group by group, so a group TradeOnly does not know is seen
/// (and, if it grants anything, refuses the key) instead of being dropped by the decoder.
struct WireAPIKeyInfo: Decodable {
    /// One permission group's values: normally an array of strings.
    struct Grants: Decodable, Hashable {
        /// The granted values, as spelled.
        let values: [String]
        /// Whether the group held something other than an array of strings or `null`.
        let isUnreadable: Bool

        init(values: [String], isUnreadable: Bool = false) {
            self.values = values
            self.isUnreadable = isUnreadable
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self.init(values: [])
            } else if let strings = try? container.decode([String].self) {
                self.init(values: strings)
            } else if let single = try? container.decode(String.self) {
                self.init(values: single.isEmpty ? [] : [single])
            } else {
                self.init(values: [], isUnreadable: true)
            }
        }
    }

    let apiKey: String?
    let readOnly: FlexibleInt?
    let permissions: [String: Grants]?
    let ips: [String]?
    let type: FlexibleInt?
    let deadlineDay: FlexibleInt?
    let expiredAt: String?
    let uta: FlexibleInt?
    let isMaster: Bool?
}

/// An integer Bybit may write as a number or as a numeric string.
struct FlexibleInt: Decodable, Hashable {
    let value: Int?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            value = Int(text)
        } else {
            value = nil
        }
    }
}
