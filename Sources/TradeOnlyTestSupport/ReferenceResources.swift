import Foundation

/// A lettered section of the reference's list of denied endpoints (`"A"`, "Withdrawals and deposits-out").
package struct ReferenceSection: Sendable, Hashable, Decodable {
    /// The section's letter in the reference.
    package let section: String
    /// The section's title in the reference.
    package let title: String
    /// The endpoints the section lists, in the reference's order.
    package let endpoints: [Endpoint]
}

/// The reference lists of this target's `Resources/` folder.
enum ReferenceResources {
    /// Reads `Resources/<name>` of this target as `type`.
    static func load<File: Decodable>(_ type: File.Type, _ name: String) throws(TestResourceError) -> File {
        try PayloadLoader(bundle: .module, folder: "Resources").decoded(type, from: name)
    }
}
