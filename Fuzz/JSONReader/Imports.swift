// The core module re-exports Foundation (Sources/TradeOnly/TradeOnly.swift); the harness does the same for
// the reader sources it compiles.
@_exported import Foundation
