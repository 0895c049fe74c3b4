extension KeyReport {
    /// What differs in this report from an earlier one of the same key, in plain words: permissions
    /// gained and lost, new unknown capabilities, IP binding, expiry and verifiability.
    ///
    /// - Parameter earlier: The report the key was accepted with.
    /// - Returns: One phrase per change; empty if nothing TradeOnly judges changed.
    func changes(since earlier: KeyReport) -> [String] {
        var changes: [String] = []
        let gained = permissions.subtracting(earlier.permissions).sorted { $0.name < $1.name }
        let lost = earlier.permissions.subtracting(permissions).sorted { $0.name < $1.name }
        if !gained.isEmpty {
            changes.append("gained " + gained.map { "'\($0.description)'" }.joined(separator: ", "))
        }
        if !lost.isEmpty {
            changes.append("lost " + lost.map { "'\($0.title)'" }.joined(separator: ", "))
        }
        let newUnknown = unknownCapabilities.filter { !earlier.unknownCapabilities.contains($0) }
        if !newUnknown.isEmpty {
            changes.append("now reports unknown capabilities " + newUnknown.map { "'\($0)'" }.joined(separator: ", "))
        }
        if earlier.isIPRestricted && !isIPRestricted {
            changes.append("is no longer bound to an IP whitelist")
        } else if !earlier.isIPRestricted && isIPRestricted {
            changes.append("is now bound to an IP whitelist")
        }
        if expiresAt != earlier.expiresAt {
            changes.append(
                "expiry changed from " + (earlier.expiresAt.map { KeyReport.format($0) } ?? "none")
                    + " to " + (expiresAt.map { KeyReport.format($0) } ?? "none"))
        }
        if earlier.isVerifiable && !isVerifiable {
            changes.append("can no longer be verified" + (unverifiableReason.map { " (\($0))" } ?? ""))
        }
        return changes
    }
}
