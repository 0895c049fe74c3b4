import Foundation
import TradeOnly

/// `GET /v5/user/query-api`: what Bybit says about the key that signed the request.
///
/// `permissions` is decoded generically, group by group, so a group TradeOnly does not know is seen
/// (and, if it grants anything, refuses the key) instead of being dropped by the decoder. The same
/// holds for the answer's own fields: one that is not in ``knownFields`` is kept in ``unknownFields``
/// unless it is `false` or an empty list.
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
    /// Fields of the answer that are not in ``knownFields`` and are not plainly off (`false` or an
    /// empty list), sorted: capabilities TradeOnly cannot judge, so each refuses the key.
    var unknownFields: [String] = []

    /// Every field Bybit documents for `GET /v5/user/query-api` (reference §2.2 and the official
    /// example). Capabilities live in `permissions`; every other field here describes the key or the
    /// account and grants nothing.
    static let knownFields: Set<String> = [
        "id", "note", "apiKey", "readOnly", "secret", "permissions", "ips", "type", "deadlineDay", "expiredAt",
        "createdAt", "unified", "uta", "userID", "inviterID", "vipLevel", "mktMakerLevel", "affiliateID",
        "rsaPublicKey", "isMaster", "parentUid", "kycLevel", "kycRegion", "userIDInt64", "inviterIDInt64",
        "affiliateIDInt64",
    ]
}

extension WireAPIKeyInfo {
    private enum CodingKeys: String, CodingKey {
        case apiKey, readOnly, permissions, ips, type, deadlineDay, expiredAt, uta, isMaster
    }

    /// Any field name.
    private struct FieldName: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// Decodes anything, to count the elements of a list without reading them.
    private struct Anything: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// Decodes the known fields as they are, and notes every other field that is not plainly off, so
    /// that a capability Bybit adds outside `permissions` is seen (and refuses the key) instead of
    /// being dropped by the decoder.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiKey = try container.decodeIfPresent(String.self, forKey: .apiKey)
        readOnly = try container.decodeIfPresent(FlexibleInt.self, forKey: .readOnly)
        permissions = try container.decodeIfPresent([String: Grants].self, forKey: .permissions)
        ips = try container.decodeIfPresent([String].self, forKey: .ips)
        type = try container.decodeIfPresent(FlexibleInt.self, forKey: .type)
        deadlineDay = try container.decodeIfPresent(FlexibleInt.self, forKey: .deadlineDay)
        expiredAt = try container.decodeIfPresent(String.self, forKey: .expiredAt)
        uta = try container.decodeIfPresent(FlexibleInt.self, forKey: .uta)
        isMaster = try container.decodeIfPresent(Bool.self, forKey: .isMaster)

        let fields = try decoder.container(keyedBy: FieldName.self)
        var unknown: [String] = []
        for field in fields.allKeys where !Self.knownFields.contains(field.stringValue) {
            if (try? fields.decode(Bool.self, forKey: field)) == false { continue }
            if let list = try? fields.decode([Anything].self, forKey: field), list.isEmpty { continue }
            unknown.append(field.stringValue)
        }
        unknownFields = unknown.sorted()
    }
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
