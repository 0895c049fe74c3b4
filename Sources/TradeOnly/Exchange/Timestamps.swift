/// Milliseconds since 1970 ↔ `Date`, the one conversion every exchange module uses (exchanges write
/// times as whole milliseconds).
package enum Timestamps {
    /// The date `value` milliseconds after 1970.
    package static func date(milliseconds value: Int64) -> Date {
        Date(timeIntervalSince1970: Double(value) / 1000)
    }

    /// Whole milliseconds since 1970, rounded to the nearest (a `Date` holds seconds as a `Double`, so
    /// rounding down could turn `…094` into `…093`).
    package static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero))
    }
}
