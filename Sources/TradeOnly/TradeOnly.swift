// TradeOnly: the core every exchange module builds on.
@_exported import Foundation
