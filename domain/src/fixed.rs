//! Exact decimal text to and from scaled integers: the one parser behind BGT (18 places) and
//! blur levels (2 places), so no value the engine compares ever passes through floating point.

/// Why a decimal text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecimalProblem {
    Empty,
    Negative,
    NotANumber,
    TooPrecise { digits: usize },
    TooLarge,
}

/// Parses a plain non-negative decimal ("500", "6.9", "0.000000000000000001") into an integer
/// counting units of `10^-scale`.
pub(crate) fn parse_scaled(text: &str, scale: u32) -> Result<u128, DecimalProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DecimalProblem::Empty);
    }
    if let Some(rest) = text.strip_prefix('-') {
        // "-0" is still a negative literal; refusing it keeps the rule simple to state.
        return if looks_numeric(rest) { Err(DecimalProblem::Negative) } else { Err(DecimalProblem::NotANumber) };
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalProblem::NotANumber);
    }
    let fraction = fraction.unwrap_or("");
    if text.ends_with('.') || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalProblem::NotANumber);
    }
    if fraction.len() > scale as usize {
        return Err(DecimalProblem::TooPrecise { digits: fraction.len() });
    }
    let unit = 10u128.pow(scale);
    let mut whole_value: u128 = 0;
    for digit in whole.bytes() {
        whole_value = whole_value.checked_mul(10).and_then(|v| v.checked_add(u128::from(digit - b'0'))).ok_or(DecimalProblem::TooLarge)?;
    }
    let mut fraction_value: u128 = 0;
    for digit in fraction.bytes() {
        fraction_value = fraction_value * 10 + u128::from(digit - b'0');
    }
    fraction_value *= 10u128.pow(scale - fraction.len() as u32);
    whole_value.checked_mul(unit).and_then(|v| v.checked_add(fraction_value)).ok_or(DecimalProblem::TooLarge)
}

fn looks_numeric(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Writes a scaled integer as the shortest exact decimal: no trailing zeros, no trailing dot.
pub(crate) fn format_scaled(value: u128, scale: u32) -> String {
    let unit = 10u128.pow(scale);
    let whole = value / unit;
    let fraction = value % unit;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = scale as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// The number of fractional digits in the shortest exact decimal of a scaled integer.
pub(crate) fn fractional_digits(value: u128, scale: u32) -> u32 {
    let mut fraction = value % 10u128.pow(scale);
    if fraction == 0 {
        return 0;
    }
    let mut digits = scale;
    while fraction.is_multiple_of(10) {
        fraction /= 10;
        digits -= 1;
    }
    digits
}

/// The text of a JSON, TOML or YAML float that reads back as the same float (shortest
/// round-trip digits, never an exponent), so `6.9` arrives as exactly "6.9".
pub(crate) fn float_text(value: f64) -> Result<String, DecimalProblem> {
    if !value.is_finite() {
        return Err(DecimalProblem::NotANumber);
    }
    if value == 0.0 {
        return Ok("0".to_owned());
    }
    Ok(format!("{value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_point_nine_is_exact() {
        assert_eq!(parse_scaled("6.9", 18), Ok(6_900_000_000_000_000_000));
    }

    #[test]
    fn nineteen_fractional_digits_are_too_precise() {
        assert_eq!(parse_scaled("0.0000000000000000001", 18), Err(DecimalProblem::TooPrecise { digits: 19 }));
    }

    #[test]
    fn malformed_texts_are_not_numbers() {
        for text in ["abc", "1.", ".5", "1e3", "NaN", "inf", "1.2.3", "+4", " - 2"] {
            assert_eq!(parse_scaled(text, 18), Err(DecimalProblem::NotANumber), "{text}");
        }
    }

    #[test]
    fn negatives_are_named_as_negative() {
        assert_eq!(parse_scaled("-0.5", 18), Err(DecimalProblem::Negative));
    }

    #[test]
    fn huge_values_overflow_cleanly() {
        assert_eq!(parse_scaled("999999999999999999999999999", 18), Err(DecimalProblem::TooLarge));
    }

    #[test]
    fn formatting_drops_trailing_zeros() {
        assert_eq!(format_scaled(6_900_000_000_000_000_000, 18), "6.9");
        assert_eq!(format_scaled(500_000_000_000_000_000_000, 18), "500");
        assert_eq!(format_scaled(1, 18), "0.000000000000000001");
        assert_eq!(fractional_digits(6_900_000_000_000_000_000, 18), 1);
        assert_eq!(fractional_digits(1, 18), 18);
    }

    #[test]
    fn floats_keep_their_shortest_text() {
        assert_eq!(float_text(6.9).as_deref(), Ok("6.9"));
        assert_eq!(float_text(1e21).as_deref(), Ok("1000000000000000000000"));
        assert_eq!(float_text(-0.0).as_deref(), Ok("0"));
        assert_eq!(float_text(f64::NAN), Err(DecimalProblem::NotANumber));
    }
}
