import Foundation

/// Loads `Vectors/<name>.json` from the test bundle and decodes it.
///
/// - Parameters:
///   - name: The file name without extension, for example `"sha2"`.
///   - type: The type to decode, usually an array of vectors.
/// - Returns: The decoded vectors.
/// - Throws: If the file is missing or does not decode as `type`.
func loadVectors<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
        throw MissingVectorFile(name: name)
    }
    return try JSONDecoder().decode(type, from: Data(contentsOf: url))
}

/// Thrown by `loadVectors(_:as:)` when the resource is not in the bundle.
struct MissingVectorFile: Error, CustomStringConvertible {
    let name: String
    var description: String { "Vectors/\(name).json is not in the test bundle" }
}
