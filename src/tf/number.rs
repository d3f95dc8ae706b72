//! Exact decimal numbers, as cty's arbitrary-precision numbers appear on the wire.
//!
//! Terraform compares numbers exactly, so a value must come back bit-for-bit: integers beyond 2^53 and
//! decimal text stay exact, and a float64 from the wire is kept as its exact binary value (not its shortest
//! decimal), because cty re-parses decimal text at 512-bit precision and `0.1` text != float64 `0.1`.

use std::fmt;

/// `coefficient × 10^exponent`, normalised so equal numbers have equal representations.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// ASCII digits, no leading zeros, no trailing zeros; "0" only for zero.
    coefficient: String,
    exponent: i64,
}

/// Exponents beyond this are refused so that decimal text of hostile input stays small.
const MAX_EXPONENT: i64 = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NumberError {
    #[error("{0:?} is not a decimal number")]
    Syntax(String),
    #[error("number out of the supported range (|exponent| <= {MAX_EXPONENT})")]
    Range,
    #[error("infinite or NaN numbers are not supported")]
    NotFinite,
}

impl Number {
    pub fn zero() -> Number {
        Number {
            negative: false,
            coefficient: "0".into(),
            exponent: 0,
        }
    }

    fn normalised(negative: bool, digits: &str, exponent: i64) -> Result<Number, NumberError> {
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() {
            return Ok(Number::zero());
        }
        let significant = trimmed.trim_end_matches('0');
        let exponent = exponent + (trimmed.len() - significant.len()) as i64;
        // The position of the most significant digit must stay in range too, or plain text explodes.
        let top = exponent + significant.len() as i64;
        if exponent.abs() > MAX_EXPONENT || top.abs() > MAX_EXPONENT {
            return Err(NumberError::Range);
        }
        Ok(Number {
            negative,
            coefficient: significant.to_string(),
            exponent,
        })
    }

    /// Parses decimal text: optional sign, digits with optional fraction, optional `e`/`E` exponent.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let syntax = || NumberError::Syntax(text.chars().take(64).collect());
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exp_text) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty())
            || !all_digits(int_part)
            || !all_digits(frac_part)
        {
            return Err(syntax());
        }
        let mut exponent: i64 = 0;
        if let Some(e) = exp_text {
            let (eneg, edigits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if edigits.is_empty() || !all_digits(edigits) {
                return Err(syntax());
            }
            let significant = edigits.trim_start_matches('0');
            if significant.len() > 9 {
                return Err(NumberError::Range);
            }
            let magnitude: i64 = if significant.is_empty() {
                0
            } else {
                significant.parse().map_err(|_| syntax())?
            };
            if magnitude > MAX_EXPONENT * 4 {
                return Err(NumberError::Range);
            }
            exponent = if eneg { -magnitude } else { magnitude };
        }
        let digits = format!("{int_part}{frac_part}");
        if digits.len() as i64 > MAX_EXPONENT * 4 {
            return Err(NumberError::Range);
        }
        Number::normalised(negative, &digits, exponent - frac_part.len() as i64)
    }

    pub fn from_i64(v: i64) -> Number {
        Number::from_u64_signed(v < 0, v.unsigned_abs())
    }

    pub fn from_u64(v: u64) -> Number {
        Number::from_u64_signed(false, v)
    }

    fn from_u64_signed(negative: bool, magnitude: u64) -> Number {
        // A u64 has at most 20 digits: always in range.
        Number::normalised(negative, &magnitude.to_string(), 0).unwrap_or_else(|_| Number::zero())
    }

    /// The exact value of a finite float64 (e.g. `0.1` becomes `0.1000000000000000055511151231257827…`).
    pub fn from_f64(v: f64) -> Result<Number, NumberError> {
        if !v.is_finite() {
            return Err(NumberError::NotFinite);
        }
        if v == 0.0 {
            return Ok(Number::zero());
        }
        let bits = v.to_bits();
        let negative = bits >> 63 == 1;
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, exp2) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), biased - 1075)
        };
        let mut limbs = Limbs::from_u64(mantissa);
        if exp2 >= 0 {
            for _ in 0..exp2 {
                limbs.mul_small(2);
            }
            Number::normalised(negative, &limbs.to_decimal(), 0)
        } else {
            // m × 2^-k = m × 5^k × 10^-k
            for _ in 0..(-exp2) {
                limbs.mul_small(5);
            }
            Number::normalised(negative, &limbs.to_decimal(), exp2)
        }
    }

    pub fn is_integer(&self) -> bool {
        self.exponent >= 0
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    pub fn as_i64(&self) -> Option<i64> {
        let magnitude = self.integer_magnitude()?;
        if self.negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        if self.negative {
            return None;
        }
        self.integer_magnitude()
    }

    /// |self| as a u64 when it is an integer that fits. Arithmetic rather than text: plans read numbers on every
    /// refresh, and the old format-and-parse route allocated twice per read.
    fn integer_magnitude(&self) -> Option<u64> {
        if !self.is_integer() || self.coefficient.len() as i64 + self.exponent > 20 {
            return None;
        }
        let mut magnitude: u64 = 0;
        for digit in self.coefficient.bytes() {
            magnitude = magnitude
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
        }
        for _ in 0..self.exponent {
            magnitude = magnitude.checked_mul(10)?;
        }
        Some(magnitude)
    }

    /// The nearest float64 (correctly rounded); infinite when out of float64 range.
    pub fn as_f64(&self) -> f64 {
        let text = format!(
            "{}{}e{}",
            if self.negative { "-" } else { "" },
            self.coefficient,
            self.exponent
        );
        text.parse().unwrap_or(f64::NAN)
    }

    /// The float64 holding exactly this value, if there is one.
    pub fn as_exact_f64(&self) -> Option<f64> {
        let f = self.as_f64();
        if !f.is_finite() {
            return None;
        }
        (Number::from_f64(f).ok().as_ref() == Some(self)).then_some(f)
    }

    /// Plain decimal text without exponent (cty's `Text('f', -1)`), e.g. `-12.5`, `100000000000000000000`.
    pub fn to_decimal_string(&self) -> String {
        let sign = if self.negative { "-" } else { "" };
        if self.exponent >= 0 {
            if self.coefficient == "0" {
                return "0".into();
            }
            return format!(
                "{sign}{}{}",
                self.coefficient,
                "0".repeat(self.exponent as usize)
            );
        }
        let frac_len = (-self.exponent) as usize;
        if self.coefficient.len() > frac_len {
            let (i, f) = self.coefficient.split_at(self.coefficient.len() - frac_len);
            format!("{sign}{i}.{f}")
        } else {
            format!(
                "{sign}0.{}{}",
                "0".repeat(frac_len - self.coefficient.len()),
                self.coefficient
            )
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.to_decimal_string())
    }
}

impl std::str::FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Number::parse(s)
    }
}

macro_rules! from_int {
    ($($t:ty => $via:ident),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Number {
                Number::$via(v.into())
            }
        }
    )*};
}
from_int!(i64 => from_i64, i32 => from_i64, i16 => from_i64, i8 => from_i64, u64 => from_u64, u32 => from_u64, u16 => from_u64, u8 => from_u64);

impl TryFrom<f64> for Number {
    type Error = NumberError;
    fn try_from(v: f64) -> Result<Number, NumberError> {
        Number::from_f64(v)
    }
}

impl TryFrom<&serde_json::Number> for Number {
    type Error = NumberError;
    fn try_from(v: &serde_json::Number) -> Result<Number, NumberError> {
        Number::parse(&v.to_string())
    }
}

/// Little-endian base-10^9 unsigned integer, just enough to expand a float64 exactly.
struct Limbs(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl Limbs {
    fn from_u64(mut v: u64) -> Limbs {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % LIMB) as u32);
            v /= LIMB;
        }
        Limbs(limbs)
    }

    fn mul_small(&mut self, m: u64) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let x = u64::from(*limb) * m + carry;
            *limb = (x % LIMB) as u32;
            carry = x / LIMB;
        }
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    fn to_decimal(&self) -> String {
        let mut out = String::new();
        for (i, limb) in self.0.iter().rev().enumerate() {
            if i == 0 {
                out.push_str(&limb.to_string());
            } else {
                out.push_str(&format!("{limb:09}"));
            }
        }
        if out.is_empty() {
            out.push('0');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn parse_normalises() {
        assert_eq!(n("1.50"), n("15e-1"));
        assert_eq!(n("-0"), Number::zero());
        assert_eq!(n("000120"), Number::from(120));
        assert_eq!(n("1e3").to_string(), "1000");
        assert_eq!(n("-0.00125").to_string(), "-0.00125");
        assert_eq!(n(".5").to_string(), "0.5");
        assert_eq!(n("5.").to_string(), "5");
        assert_eq!(n("+7").as_i64(), Some(7));
    }

    #[test]
    fn parse_rejects_garbage() {
        for bad in [
            "", "-", "e5", "1e", "1.2.3", "0x10", "NaN", "Inf", "1e+", " 1", "1_000",
        ] {
            assert!(Number::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Number::parse("1e999999999999999999999"),
            Err(NumberError::Range)
        );
        assert_eq!(Number::parse("1e5000"), Err(NumberError::Range));
    }

    #[test]
    fn large_integers_stay_exact() {
        let big = n("123456789012345678901234567890");
        assert_eq!(big.to_string(), "123456789012345678901234567890");
        assert_eq!(big.as_i64(), None);
        assert_eq!(Number::from(i64::MIN).as_i64(), Some(i64::MIN));
        assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::from(u64::MAX).as_i64(), None);
        assert_eq!(n("9007199254740993").as_i64(), Some(9_007_199_254_740_993));
    }

    #[test]
    fn floats_expand_exactly() {
        assert_eq!(Number::from_f64(0.5).unwrap(), n("0.5"));
        assert_eq!(
            Number::from_f64(0.1).unwrap().to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_ne!(Number::from_f64(0.1).unwrap(), n("0.1"));
        assert_eq!(n("0.1").as_exact_f64(), None);
        assert_eq!(n("0.25").as_exact_f64(), Some(0.25));
        assert_eq!(Number::from_f64(1e300).unwrap().as_f64(), 1e300);
        assert_eq!(
            Number::from_f64(f64::MIN_POSITIVE / 4.0).unwrap().as_f64(),
            f64::MIN_POSITIVE / 4.0
        );
        assert!(Number::from_f64(f64::NAN).is_err());
    }

    proptest! {
        #[test]
        fn f64_round_trips(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            let num = Number::from_f64(f).unwrap();
            prop_assert_eq!(num.as_f64(), f);
            prop_assert_eq!(num.as_exact_f64(), Some(f));
            prop_assert_eq!(Number::parse(&num.to_string()).unwrap(), num);
        }

        #[test]
        fn i64_round_trips(i in any::<i64>()) {
            prop_assert_eq!(Number::from(i).as_i64(), Some(i));
            prop_assert_eq!(Number::parse(&i.to_string()).unwrap(), Number::from(i));
        }

        #[test]
        fn integer_reads_agree_with_the_decimal_text(text in "-?[0-9]{1,22}(e[0-9]{1,2})?") {
            let num = n(&text);
            let plain = num.to_string();
            prop_assert_eq!(num.as_i64(), if num.is_integer() { plain.parse::<i64>().ok() } else { None });
            prop_assert_eq!(num.as_u64(), if num.is_integer() { plain.parse::<u64>().ok() } else { None });
        }

        #[test]
        fn decimal_text_round_trips(int in "-?[0-9]{1,40}", frac in "[0-9]{0,30}") {
            let text = if frac.is_empty() { int.clone() } else { format!("{int}.{frac}") };
            let num = n(&text);
            prop_assert_eq!(Number::parse(&num.to_string()).unwrap(), num);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Number::parse(&s);
        }
    }
}
