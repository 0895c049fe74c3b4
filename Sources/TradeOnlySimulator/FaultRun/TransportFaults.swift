import Foundation
import TradeOnly

/// Faults on the client's side of the wire, which a ``FaultPlan`` (the exchange's side) cannot
/// produce: a transport timeout before the request reached the exchange, a timeout after the exchange
/// executed it (the answer lost in the network), and a connection that could not open.
enum TransportFault: String, Sendable, CaseIterable {
    /// The request was lost on its way: never executed; the client sees a timeout that may have sent it.
    case timeoutBeforeDelivery
    /// The exchange executed the request; its answer was lost: the client sees a timeout.
    case timeoutAfterExecution
    /// No connection could be opened: nothing was sent, and the client is told so.
    case cannotConnect

    /// The name in ``FaultRun/Report/faultsByKind``.
    var name: String {
        switch self {
        case .timeoutBeforeDelivery: return "transportTimeout(before delivery)"
        case .timeoutAfterExecution: return "transportTimeout(after execution)"
        case .cannotConnect: return "cannotConnect"
        }
    }
}

/// Wraps the client's transport and injects ``TransportFault``s with a seeded generator, while enabled.
final class FaultInjectingTransport: HTTPTransport {
    private struct State: Sendable {
        var generator: SplitMix64
        var probability: Double = 0
        var injected: [String: Int] = [:]
    }

    private let transport: any HTTPTransport
    private let state: LockedValue<State>
    private let faultsReads: Bool

    /// Creates the injector.
    ///
    /// - Parameters:
    ///   - transport: The transport to wrap.
    ///   - seed: The seed of its generator.
    ///   - faultsReads: Whether `GET` requests get faults too, or only writes.
    init(_ transport: any HTTPTransport, seed: UInt64, faultsReads: Bool = true) {
        self.transport = transport
        self.faultsReads = faultsReads
        state = LockedValue(State(generator: SplitMix64(seed: seed)))
    }

    /// Sets the probability that a request gets one of the faults (spread evenly); 0 stops them.
    func setProbability(_ probability: Double) {
        state.withLock { $0.probability = probability }
    }

    /// The faults injected, by name.
    var injected: [String: Int] { state.current.injected }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let eligible = faultsReads || request.method != .get
        let fault = state.withLock { state -> TransportFault? in
            guard eligible, state.probability > 0 else { return nil }
            let draw = state.generator.nextUnitInterval()
            guard draw < state.probability else { return nil }
            let all = TransportFault.allCases
            let fault = all[min(all.count - 1, Int(draw / state.probability * Double(all.count)))]
            state.injected[fault.name, default: 0] += 1
            return fault
        }
        switch fault {
        case nil:
            return try await transport.send(request)
        case .timeoutBeforeDelivery?:
            throw HTTPTransportError(
                kind: .timedOut, requestMayHaveBeenSent: true, request: request,
                reason: "injected: the request was lost on its way (never executed)")
        case .timeoutAfterExecution?:
            _ = try await transport.send(request)
            throw HTTPTransportError(
                kind: .timedOut, requestMayHaveBeenSent: true, request: request,
                reason: "injected: the exchange answered, the answer was lost")
        case .cannotConnect?:
            throw HTTPTransportError(
                kind: .cannotConnect, requestMayHaveBeenSent: false, request: request,
                reason: "injected: no connection could be opened (nothing was sent)")
        }
    }
}
