extension Decimal {
    /// The most significant digits a `Double` carries reliably; a float literal's intent fits in them.
    static let floatLiteralSignificantDigits = 15

    /// The value with the noise of a binary floating-point literal removed.
    ///
    /// Swift builds a `Decimal` from a float literal through `Double`, so `let quantity: Decimal = 0.00015`
    /// is `0.00014999999999999995904`, and rounding that down to a step of `0.00001` would give `0.00014`
    /// — one step less than you wrote. A value with 17 or more significant digits cannot have come from
    /// an exchange or a human (no exchange quotes that many), so it is rounded to 15 significant digits,
    /// which gives back what the literal said. Values with 16 digits or fewer are returned unchanged.
    ///
    /// ``OrderRequest`` applies this to every quantity and price it is given. Prefer exact values anyway:
    /// `Decimal(exactly: "0.00015")`, or integer literals.
    ///
    /// - Returns: The value, rounded to 15 significant digits if it had 17 or more.
    public func removingFloatLiteralNoise() -> Decimal {
        guard let digits = DecimalDigits(self), digits.digits.count >= Self.floatLiteralSignificantDigits + 2 else {
            return self
        }
        // The value is d.ddd… × 10^(count − 1 + exponent); keep 15 significant digits.
        let magnitude = digits.digits.count - 1 + digits.exponent
        let fractionDigits = Self.floatLiteralSignificantDigits - 1 - magnitude
        guard fractionDigits >= 0 else { return self }
        return rounded(fractionDigits: fractionDigits, rule: .toNearestOrAwayFromZero)
    }
}
