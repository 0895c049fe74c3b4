import Testing

@testable import TradeOnly

@Suite("Permission and TradePermission")
struct PermissionTests {
    static let fundsMoving: [Permission] = [
        .withdraw, .internalTransfer, .universalTransfer, .subAccountTransfer, .convert, .earn, .borrow, .p2p,
        .payments, .card, .keyManagement, .subAccountManagement, .copyTrading, .bots, .blockTrade,
    ]
    static let notFundsMoving: [Permission] = [
        .read, .spotTrade, .marginTrade, .futuresTrade, .optionsTrade, .portfolioMarginTrade, .fixTrade, .fixRead,
    ]

    @Test("moves funds:", arguments: fundsMoving)
    func movesFunds(permission: Permission) {
        #expect(permission.movesFunds)
        #expect(permission.description.hasSuffix("(moves funds)"))
    }

    @Test("does not move funds:", arguments: notFundsMoving)
    func doesNotMoveFunds(permission: Permission) {
        #expect(!permission.movesFunds)
    }

    @Test("the built-in list is exactly the two tables, with unique names")
    func builtInListComplete() {
        #expect(Set(Permission.builtIn) == Set(Self.fundsMoving + Self.notFundsMoving))
        #expect(Set(Permission.builtIn.map(\.name)).count == Permission.builtIn.count)
    }

    @Test("every built-in permission has a title and a hint to turn it off")
    func titlesAndHints() {
        for permission in Permission.builtIn {
            #expect(!permission.title.isEmpty)
            #expect(!permission.disableHint.isEmpty)
        }
        #expect(Permission.withdraw.disableHint.contains("withdrawals"))
    }

    @Test("a custom permission reusing a fund-moving name moves funds whatever it says")
    func customReuseOfFundsMovingName() {
        let disguised = Permission(name: "withdraw", title: "Harmless", movesFunds: false)
        #expect(disguised.movesFunds)
        #expect(disguised == .withdraw)
        let custom = Permission(name: "byXPost", title: "Community posts", movesFunds: false)
        #expect(!custom.movesFunds)
        #expect(custom.disableHint.contains("Community posts"))
        #expect(Permission(name: "gateLoan", title: "Loans", movesFunds: true).movesFunds)
    }

    @Test("TradePermission has exactly read, spotTrade and futuresTrade")
    func tradePermissionIsClosed() {
        #expect(TradePermission.allCases == [.read, .spotTrade, .futuresTrade])
        #expect(TradePermission.allCases.map { String(describing: $0) } == ["read", "spotTrade", "futuresTrade"])
    }

    @Test("TradePermission maps to and from Permission; nothing else maps back")
    func tradePermissionMapping() {
        for permission in TradePermission.allCases {
            #expect(TradePermission(permission.permission) == permission)
            #expect(!permission.permission.movesFunds)
        }
        for permission in Permission.builtIn where ![Permission.read, .spotTrade, .futuresTrade].contains(permission) {
            #expect(TradePermission(permission) == nil)
        }
        #expect(TradePermission(Permission(name: "spotTrade", title: "Spot trade", movesFunds: true)) == nil)
    }
}

@Suite("KeyReport")
struct KeyReportTests {
    @Test("tradePermissions keeps only read, spot and futures")
    func tradePermissions() {
        let report = KeyReport(
            exchange: "bybit", permissions: [.read, .spotTrade, .optionsTrade, .withdraw, .futuresTrade])
        #expect(report.tradePermissions == [.read, .spotTrade, .futuresTrade])
        #expect(report.fundsMovingPermissions == [.withdraw])
        #expect(KeyReport(exchange: "okx", permissions: [.read]).tradePermissions == [.read])
    }

    @Test("an exchange-specific hint wins over the generic one")
    func hints() {
        let report = KeyReport(
            exchange: "binance", permissions: [.withdraw],
            hints: [.withdraw: "untick 'Enable Withdrawals' for this key in API Management"])
        #expect(report.disableHint(for: .withdraw) == "untick 'Enable Withdrawals' for this key in API Management")
        #expect(report.disableHint(for: .earn) == Permission.earn.disableHint)
    }

    @Test("reads as a multi-line summary")
    func description() {
        let report = KeyReport(
            exchange: "binance", permissions: [.read, .spotTrade, .withdraw], isIPRestricted: true,
            ipWhitelist: ["203.0.113.7", "2001:db8::1"], expiresAt: Date(timeIntervalSince1970: 1_628_985_600),
            unknownCapabilities: ["enableFooBar"], notes: ["a note"])
        let text = report.description
        #expect(text.hasPrefix("binance key report\n"))
        #expect(text.contains("permissions: Read, Spot trade, Withdraw (moves funds)"))
        #expect(text.contains("IP binding: restricted to 203.0.113.7, 2001:db8::1"))
        #expect(text.contains("expiry: 2021-08-15T00:00:00Z"))
        #expect(text.contains("unknown capabilities: 'enableFooBar'"))
        #expect(text.contains("note: a note"))

        let bare = KeyReport(exchange: "gate", isVerifiable: false, unverifiableReason: "main_keys refused").description
        #expect(bare.contains("permissions: none reported"))
        #expect(bare.contains("IP binding: none (the key works from any IP address)"))
        #expect(bare.contains("expiry: none reported"))
        #expect(bare.contains("not verifiable: main_keys refused"))
        #expect(
            KeyReport(exchange: "binance", isIPRestricted: true).description
                .contains("restricted (addresses not reported)"))
    }
}
