extension EndpointPolicy {
    /// A rule about one parameter name that holds on every endpoint, whatever the allow rules accept.
    ///
    /// Parameter rules are to parameters what deny rules are to paths: they win over everything. An
    /// exchange module refuses with them the names that move funds (`address`, `toAccountType`, …),
    /// the values that borrow (Bybit `isLeverage` other than `0`) and the parameters only its signer
    /// may add (`signature`, `timestamp`, …):
    ///
    /// ```swift
    /// let rules: [EndpointPolicy.ParameterRule] = [
    ///     .refusing("address").because("withdrawal addresses are never signed"),
    ///     .refusing("isLeverage", unlessValueIsOneOf: ["0"]).because("isLeverage=1 borrows"),
    /// ]
    /// ```
    ///
    /// Names are compared ignoring ASCII letter case and the separators `_`, `-` and `.`, so
    /// `to_account_type`, `ToAccountType` and `toAccountType` are one name here. (The names an
    /// endpoint accepts are compared exactly; see ``Rule/acceptedParameters``.) Values are compared
    /// exactly, after the request's own decoding (percent-escapes, JSON escapes); a JSON number is
    /// compared as written.
    public struct ParameterRule: Sendable, Hashable, CustomStringConvertible {
        /// The parameter name as written.
        public let name: String
        /// The values the parameter may take, or `nil` if the parameter is refused whatever its value.
        public let allowedValues: Set<String>?
        /// Why the parameter (or the value) is refused, in plain words; `nil` uses a default.
        public let reason: String?
        /// ``name`` lower-cased, without `_`, `-` and `.`.
        let folded: [UInt8]
        /// Whether the rule concerns every name that *contains* ``name`` (folded), not only ``name``.
        public let matchesNamesContaining: Bool

        private init(name: String, allowedValues: Set<String>?, reason: String?, containing: Bool = false) {
            self.name = name
            self.allowedValues = allowedValues
            self.reason = reason
            self.folded = Self.fold(name.utf8)
            self.matchesNamesContaining = containing
        }

        /// Refuses the parameter `name` on every endpoint, whatever its value.
        ///
        /// - Parameter name: The parameter's name, for example `"address"`.
        public static func refusing(_ name: String) -> ParameterRule {
            ParameterRule(name: name, allowedValues: nil, reason: nil)
        }

        /// Refuses every parameter whose name contains `fragment` (ignoring case and `_`, `-`, `.`), on
        /// every endpoint, whatever its value: `refusingNames(containing: "email")` refuses `toEmail`,
        /// `fromUserEmail` and `email`.
        ///
        /// - Parameter fragment: A part of a name, for example `"address"`.
        public static func refusingNames(containing fragment: String) -> ParameterRule {
            ParameterRule(name: fragment, allowedValues: nil, reason: nil, containing: true)
        }

        /// Refuses the parameter `name` unless its value is one of `values`.
        ///
        /// - Parameters:
        ///   - name: The parameter's name, for example `"isLeverage"`.
        ///   - values: The values that are safe, compared exactly, for example `["0"]`.
        public static func refusing(_ name: String, unlessValueIsOneOf values: Set<String>) -> ParameterRule {
            ParameterRule(name: name, allowedValues: values, reason: nil)
        }

        /// This rule with a plain-words reason, shown when it refuses a request.
        ///
        /// - Parameter reason: For example `"withdrawal addresses are never signed by TradeOnly"`.
        public func because(_ reason: String) -> ParameterRule {
            ParameterRule(name: name, allowedValues: allowedValues, reason: reason, containing: matchesNamesContaining)
        }

        /// Whether this rule is about the parameter `name` (ignoring case and `_`, `-`, `.`): the same
        /// name, or for a rule made with ``refusingNames(containing:)`` any name containing it.
        ///
        /// - Parameter name: A parameter name as a request spells it.
        public func concerns(_ name: String) -> Bool {
            let candidate = Self.fold(name.utf8)
            guard matchesNamesContaining else { return candidate == folded }
            guard !folded.isEmpty, candidate.count >= folded.count else { return false }
            for start in 0...(candidate.count - folded.count)
            where candidate[start..<(start + folded.count)].elementsEqual(folded) {
                return true
            }
            return false
        }

        /// `refuse address`, `refuse names containing email` or `refuse isLeverage unless 0`.
        public var description: String {
            if matchesNamesContaining { return "refuse names containing \(name)" }
            guard let allowedValues else { return "refuse \(name)" }
            return "refuse \(name) unless " + allowedValues.sorted().joined(separator: " or ")
        }

        /// The reason given when a rule without its own reason refuses a parameter.
        public static let defaultReason =
            "this parameter can move funds or borrow, so TradeOnly never signs a request that carries it"

        /// Parameter names that only requests moving funds carry: withdrawal addresses and networks,
        /// transfer sources and destinations, other users and sub-accounts. Every exchange module's
        /// signer refuses them on every endpoint, whatever its policy says (a policy cannot remove
        /// them), because Binance and Bybit signatures do not cover the path: a signed order that
        /// carried a withdrawal's parameters would be a signed withdrawal once a transport rewrote
        /// the path.
        public static let fundMovement: [ParameterRule] = {
            let reason = "withdrawal and transfer parameters are never signed by TradeOnly, on any endpoint"
            let names = [
                // Withdrawals: where the funds go.
                "address", "addressTag", "addressName", "toAddress", "withdrawAddress", "walletAddress",
                "network", "chain", "chainType", "forceChain", "memo", "tag", "destination",
                "withdrawOrderId", "withdrawId", "transactionFeeFlag", "walletType", "beneficiary",
                "vaspEntityId", "questionnaire", "feeType",
                // Transfers: between wallets, sub-accounts and users.
                "toAccountType", "fromAccountType", "toAccount", "fromAccount", "toMemberId", "fromMemberId",
                "toUid", "fromUid", "toUserId", "fromUserId", "toEmail", "fromEmail", "email",
                "toSubAccount", "fromSubAccount", "subAccountId", "subUid", "subMemberId", "transferId",
                "transferType", "clientTranId", "fromSymbol", "toSymbol", "transFrom", "transTo", "receiver", "recipient", "payee",
            ]
            // Parts of names that only withdrawals, transfers, gifts and loans use, in whatever compound
            // (`toUserEmail`, `withdrawAddress`, `subUid`, `loanCoin`, `collateralAmount`, …).
            let fragments = [
                "address", "email", "uid", "memberid", "subaccount", "loan", "collateral", "withdraw", "transfer",
                "beneficiary", "recipient", "giftcard",
            ]
            let tokens = ["token", "baseToken", "faceToken", "baseTokenAmount", "margin", "ltAmount", "requestAmount"]
            return names.map { ParameterRule.refusing($0).because(reason) }
                + tokens.map { ParameterRule.refusing($0).because(reason) }
                + fragments.map { ParameterRule.refusingNames(containing: $0).because(reason) }
        }()

        /// `name` lower-cased, without `_`, `-` and `.`.
        static func fold<Bytes: Sequence>(_ name: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
            var folded: [UInt8] = []
            for byte in name {
                switch byte {
                case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."): continue
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): folded.append(byte + 32)
                default: folded.append(byte)
                }
            }
            return folded
        }
    }
}
