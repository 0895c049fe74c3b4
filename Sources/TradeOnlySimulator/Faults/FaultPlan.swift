import Foundation

/// Something that goes wrong with one request, the way it goes wrong with real exchanges.
public enum Fault: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The request is executed (an order is placed) but the answer never arrives: the in-process
    /// transport throws `HTTPTransportError(kind: .timedOut, requestMayHaveBeenSent: true)`, the
    /// server closes the connection without answering.
    case lostResponse
    /// A 5xx answer (`500`, `502`, `503`, `504`), before the request is executed or after it.
    case serverError(status: Int, afterExecution: Bool)
    /// HTTP 429 with `Retry-After`: the request is not executed.
    case rateLimited(retryAfterSeconds: Int)
    /// An IP ban: Binance HTTP 418 (Bybit HTTP 403) with `Retry-After`, and every request from the
    /// same IP gets the same answer until the ban ends. The request is not executed.
    case banned(retryAfterSeconds: Int)
    /// HTTP 200 with a truncated, unparsable JSON body, before or after executing the request.
    case malformedJSON(afterExecution: Bool)
    /// An HTML error page from a proxy or CDN with the given status, before or after executing.
    case htmlPage(status: Int, afterExecution: Bool)

    /// Whether the request is executed before the fault strikes.
    public var executesRequest: Bool {
        switch self {
        case .lostResponse: return true
        case .serverError(_, let after), .malformedJSON(let after), .htmlPage(_, let after): return after
        case .rateLimited, .banned: return false
        }
    }

    /// `lostResponse`, `serverError(503, after execution)`, …
    public var description: String {
        switch self {
        case .lostResponse: return "lostResponse"
        case .serverError(let status, let after): return "serverError(\(status), \(after ? "after" : "before") execution)"
        case .rateLimited(let seconds): return "rateLimited(Retry-After \(seconds) s)"
        case .banned(let seconds): return "banned(Retry-After \(seconds) s)"
        case .malformedJSON(let after): return "malformedJSON(\(after ? "after" : "before") execution)"
        case .htmlPage(let status, let after): return "htmlPage(\(status), \(after ? "after" : "before") execution)"
        }
    }
}

/// Which requests a fault rule applies to: by method and by path (decoded, exact or prefix).
public struct RequestMatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The method (`POST`), or `nil` for any.
    public var method: String?
    /// The exact path (`/api/v3/order`), or `nil`.
    public var path: String?
    /// A path prefix (`/fapi/`), or `nil`.
    public var pathPrefix: String?

    /// Creates a match; all `nil` matches every request.
    public init(method: String? = nil, path: String? = nil, pathPrefix: String? = nil) {
        self.method = method?.uppercased()
        self.path = path
        self.pathPrefix = pathPrefix
    }

    /// Every request.
    public static let any = RequestMatch()

    /// Requests to exactly this path, with this method if given.
    public static func path(_ path: String, method: String? = nil) -> RequestMatch {
        RequestMatch(method: method, path: path)
    }

    /// Requests whose path starts with `prefix`, with this method if given.
    public static func prefix(_ prefix: String, method: String? = nil) -> RequestMatch {
        RequestMatch(method: method, pathPrefix: prefix)
    }

    /// Whether a request matches.
    public func matches(method: String, path: String) -> Bool {
        if let expected = self.method, expected != method.uppercased() { return false }
        if let expected = self.path, expected != path { return false }
        if let prefix = pathPrefix, !path.hasPrefix(prefix) { return false }
        return true
    }

    /// `POST /api/v3/order`, `any /fapi/*`, `any request`.
    public var description: String {
        let method = self.method ?? "any"
        if let path { return "\(method) \(path)" }
        if let pathPrefix { return "\(method) \(pathPrefix)*" }
        return "\(method) request"
    }
}

/// One rule of a ``FaultPlan``: a fault, which requests it hits, and either a probability or a count.
public struct FaultRule: Sendable, Hashable, Codable {
    /// The fault.
    public var fault: Fault
    /// The requests it applies to.
    public var match: RequestMatch
    /// For a random rule: the probability (0…1) that a matching request gets the fault.
    public var probability: Double?
    /// For a scripted rule: how many of the next matching requests still get the fault.
    public var remaining: Int?

    /// Creates a rule; give a probability or a count.
    public init(fault: Fault, match: RequestMatch = .any, probability: Double? = nil, remaining: Int? = nil) {
        self.fault = fault
        self.match = match
        self.probability = probability
        self.remaining = remaining
    }
}

/// The faults a simulated exchange injects: deterministic for a seed.
///
/// Scripted rules ("the next 2 `POST /api/v3/order` get a lost response") are consulted first, in
/// order; then random rules, with one draw of a ``SplitMix64`` per request, so the same seed and the
/// same sequence of requests give the same faults. Latency is drawn per request from its range.
/// Clock skew and expired keys are standing conditions, not per-request faults.
///
/// ```swift
/// let plan = FaultPlan(seed: 7)
///     .injecting(.lostResponse, next: 1, on: .path("/api/v3/order", method: "POST"))
///     .injecting(.serverError(status: 503, afterExecution: false), probability: 0.1)
///     .withClockSkew(milliseconds: 3_000)
/// await exchange.setFaultPlan(plan)
/// ```
public struct FaultPlan: Sendable, Hashable, Codable {
    /// The seed of the generator behind random rules and latency.
    public var seed: UInt64
    /// The latency range added to every request, in milliseconds, or `nil` for none.
    public var latencyMilliseconds: ClosedRange<Int>?
    /// The rules, scripted and random.
    public var rules: [FaultRule]
    /// How far the server clock runs ahead (positive) or behind (negative) the time source, in
    /// milliseconds. A client that does not synchronise its clock gets Binance `-1021` / Bybit `10002`.
    public var clockSkewMilliseconds: Int64
    /// API keys treated as expired (Binance `-2015`, Bybit `33004`).
    public var expiredAPIKeys: Set<String>

    /// Creates a plan with no faults.
    public init(seed: UInt64 = 0) {
        self.seed = seed
        self.latencyMilliseconds = nil
        self.rules = []
        self.clockSkewMilliseconds = 0
        self.expiredAPIKeys = []
    }

    /// The plan plus a random rule: each matching request gets `fault` with `probability`.
    public func injecting(_ fault: Fault, probability: Double, on match: RequestMatch = .any) -> FaultPlan {
        var copy = self
        copy.rules.append(FaultRule(fault: fault, match: match, probability: min(max(probability, 0), 1)))
        return copy
    }

    /// The plan plus a scripted rule: the next `count` matching requests get `fault`.
    public func injecting(_ fault: Fault, next count: Int, on match: RequestMatch = .any) -> FaultPlan {
        var copy = self
        copy.rules.append(FaultRule(fault: fault, match: match, remaining: max(count, 0)))
        return copy
    }

    /// The plan with a latency range (milliseconds) on every request.
    public func withLatency(milliseconds range: ClosedRange<Int>) -> FaultPlan {
        var copy = self
        copy.latencyMilliseconds = max(range.lowerBound, 0)...max(range.upperBound, 0)
        return copy
    }

    /// The plan with the server clock running `milliseconds` ahead (or behind, if negative).
    public func withClockSkew(milliseconds: Int64) -> FaultPlan {
        var copy = self
        copy.clockSkewMilliseconds = milliseconds
        return copy
    }

    /// The plan with an API key treated as expired.
    public func expiringKey(_ apiKey: String) -> FaultPlan {
        var copy = self
        copy.expiredAPIKeys.insert(apiKey)
        return copy
    }
}

/// A fault the simulator injected: which, and into which request.
public struct InjectedFault: Sendable, Hashable, Codable {
    /// The fault.
    public var fault: Fault
    /// The request's method.
    public var method: String
    /// The request's path.
    public var path: String
    /// The number of the request (1 for the first the exchange received).
    public var requestNumber: Int
}

/// The fault machinery of one exchange: the plan, its generator, the scripted counts, IP bans.
struct FaultState: Sendable {
    /// The decision for one request.
    struct Decision {
        var latencyMilliseconds = 0
        var fault: Fault?
    }

    private(set) var plan: FaultPlan
    private var generator: SplitMix64
    private(set) var injected: [InjectedFault] = []
    /// Ban end per dialect and IP.
    private var bans: [String: Date] = [:]
    private(set) var requestCount = 0

    init(plan: FaultPlan) {
        self.plan = plan
        generator = SplitMix64(seed: plan.seed)
    }

    /// Replaces the plan and restarts its generator; bans and the log stay.
    mutating func replace(with plan: FaultPlan) {
        self.plan = plan
        generator = SplitMix64(seed: plan.seed)
    }

    /// Decides what happens to the next request (and records an injected fault).
    mutating func decide(method: String, path: String) -> Decision {
        requestCount += 1
        var decision = Decision()
        if let range = plan.latencyMilliseconds {
            decision.latencyMilliseconds = generator.nextInt(in: range)
        }
        let draw = generator.nextUnitInterval()
        if let index = plan.rules.firstIndex(where: { ($0.remaining ?? 0) > 0 && $0.match.matches(method: method, path: path) }) {
            plan.rules[index].remaining = (plan.rules[index].remaining ?? 1) - 1
            decision.fault = plan.rules[index].fault
        } else {
            var cumulative = 0.0
            for rule in plan.rules where rule.remaining == nil && rule.match.matches(method: method, path: path) {
                guard let probability = rule.probability else { continue }
                cumulative += probability
                if draw < cumulative {
                    decision.fault = rule.fault
                    break
                }
            }
        }
        if let fault = decision.fault {
            injected.append(InjectedFault(fault: fault, method: method, path: path, requestNumber: requestCount))
        }
        return decision
    }

    /// Starts a ban of `ip` on `dialect` until `end`.
    mutating func ban(ip: String, dialect: String, until end: Date) {
        bans[dialect + " " + ip] = end
    }

    /// The end of the ban of `ip` on `dialect`, if it is banned at `now`.
    mutating func banEnd(ip: String, dialect: String, now: Date) -> Date? {
        let key = dialect + " " + ip
        guard let end = bans[key] else { return nil }
        if end <= now {
            bans[key] = nil
            return nil
        }
        return end
    }
}
