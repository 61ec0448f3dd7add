//! A small JSON reader for the two documents that cross from JS as text: the policy (policy.rs)
//! and the engine's context configuration (crate/wasm config.rs).
//!
//! Hand-written rather than serde_json + serde: the engine ships to browsers, and those two
//! crates (with the float formatting their error messages pull in) were about a third of the
//! engine's wasm. Objects behave like serde_json's default map: keys in sorted order, a repeated
//! key keeps its last value. Numbers keep their source text, so error messages quote exactly
//! what the user wrote and no float formatting is needed.

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's text as written (valid JSON number syntax).
    Number(String),
    String(String),
    Array(Vec<Value>),
    /// Sorted by key; keys are unique.
    Object(Vec<(String, Value)>),
}

/// Nesting deeper than this is refused (as serde_json does), so hostile input cannot exhaust
/// the stack.
const MAX_DEPTH: usize = 128;

impl Value {
    /// Parses a whole JSON text. Errors say what was wrong and where (`line L column C`).
    pub fn parse(text: &str) -> Result<Value, String> {
        let mut reader = Reader {
            text: text.as_bytes(),
            at: 0,
        };
        let value = reader.value(0).and_then(|value| {
            reader.skip_space();
            if reader.at < reader.text.len() {
                return Err("trailing characters");
            }
            Ok(value)
        });
        value.map_err(|what| reader.error(what))
    }

    /// The value as a u64, when it is a non-negative integer that fits (no fraction or exponent).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(text) if is_integer(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The value as an f64, when it is a number. Exact (correctly rounded) whenever the digits
    /// fit in 2^53 and the decimal exponent is within ±22 (Clinger's fast path: one exact power
    /// of ten, one rounding), which covers any rate a policy names; otherwise within a few ulps.
    /// Hand-written because core's `str::parse::<f64>` brings a 10 KB table of powers of five.
    pub fn as_f64(&self) -> Option<f64> {
        let Value::Number(text) = self else {
            return None;
        };
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (digits, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
        // |exponent| beyond 400 is already 0 or infinity; saturating keeps the loop below short.
        let mut exponent: i32 = match exponent.strip_prefix('-') {
            Some(magnitude) => -saturating_decimal(magnitude),
            None => saturating_decimal(exponent.trim_start_matches('+')),
        };
        let mut mantissa: u64 = 0;
        let mut after_point = false;
        for d in digits.bytes() {
            if d == b'.' {
                after_point = true;
            } else if mantissa < (u64::MAX - 9) / 10 {
                mantissa = mantissa * 10 + (d - b'0') as u64;
                exponent -= after_point as i32;
            } else {
                // Digits past u64's precision: the integer part still scales by ten.
                exponent += !after_point as i32;
            }
        }
        let mut power = 1.0_f64;
        for _ in 0..exponent.unsigned_abs() {
            power *= 10.0;
        }
        let magnitude = if exponent < 0 {
            mantissa as f64 / power
        } else {
            mantissa as f64 * power
        };
        Some(if negative { -magnitude } else { magnitude })
    }

    /// What the value is, for "expected X (got Y)" messages, worded as serde's were
    /// (`integer \`5\``, `string "x"`, `null`, `sequence`, `map`…).
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => format!("boolean `{b}`"),
            Value::Number(text) if is_integer(text) => format!("integer `{text}`"),
            Value::Number(text) => format!("floating point `{text}`"),
            Value::String(s) => format!("string {}", quote(s)),
            Value::Array(_) => "sequence".into(),
            Value::Object(_) => "map".into(),
        }
    }
}

/// A run of decimal digits as a number, capped at 400.
fn saturating_decimal(digits: &str) -> i32 {
    digits
        .bytes()
        .fold(0, |n, d| (n * 10 + (d - b'0') as i32).min(400))
}

fn is_integer(number: &str) -> bool {
    !number.contains(['.', 'e', 'E'])
}

/// `s` as a JSON string literal: used for the engine's JSON events and to quote names in error
/// messages (readable, and without the Unicode tables Rust's `{:?}` carries along).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

type Step<T> = Result<T, &'static str>;

impl Reader<'_> {
    fn error(&self, what: &str) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count();
        format!("{what} at line {line} column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `word` (after its first byte was seen).
    fn keyword(&mut self, word: &[u8], value: Value) -> Step<Value> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err("expected value")
        }
    }

    fn value(&mut self, depth: usize) -> Step<Value> {
        if depth > MAX_DEPTH {
            return Err("recursion limit exceeded");
        }
        self.skip_space();
        match self.peek().ok_or("EOF while parsing a value")? {
            b'n' => self.keyword(b"null", Value::Null),
            b't' => self.keyword(b"true", Value::Bool(true)),
            b'f' => self.keyword(b"false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.close(b']')? {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.separator(b']')? {
                        return Ok(Value::Array(items));
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut entries: Vec<(String, Value)> = Vec::new();
                if self.close(b'}')? {
                    return Ok(Value::Object(entries));
                }
                loop {
                    self.skip_space();
                    match self.peek() {
                        Some(b'"') => {}
                        Some(_) => return Err("key must be a string"),
                        None => return Err("EOF while parsing an object"),
                    }
                    let key = self.string()?;
                    self.skip_space();
                    if self.peek() != Some(b':') {
                        return Err("expected `:`");
                    }
                    self.at += 1;
                    let value = self.value(depth + 1)?;
                    match entries.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
                        Ok(i) => entries[i].1 = value,
                        Err(i) => entries.insert(i, (key, value)),
                    }
                    if self.separator(b'}')? {
                        return Ok(Value::Object(entries));
                    }
                }
            }
            _ => Err("expected value"),
        }
    }

    /// After `[` or `{`: consumes `close` if the container is empty.
    fn close(&mut self, close: u8) -> Step<bool> {
        self.skip_space();
        let empty = self.peek() == Some(close);
        if empty {
            self.at += 1;
        }
        Ok(empty)
    }

    /// After an item: `,` (more follow: false) or `close` (the container ends: true).
    fn separator(&mut self, close: u8) -> Step<bool> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.at += 1;
                Ok(true)
            }
            Some(_) => Err(if close == b']' {
                "expected `,` or `]`"
            } else {
                "expected `,` or `}`"
            }),
            None => Err("EOF while parsing a list or an object"),
        }
    }

    fn digits(&mut self) -> Step<()> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        if self.at == start {
            return Err("invalid number");
        }
        Ok(())
    }

    fn number(&mut self) -> Step<Value> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        if self.peek() == Some(b'0') {
            self.at += 1;
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err("invalid number");
            }
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        let text = std::str::from_utf8(&self.text[start..self.at]).map_err(|_| "invalid number")?;
        Ok(Value::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Step<u32> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .ok_or("EOF while parsing a string")?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + (d as char).to_digit(16).ok_or("invalid escape")?;
        }
        self.at += 4;
        Ok(n)
    }

    /// A string starting at its opening quote.
    fn string(&mut self) -> Step<String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            // Copy a run of plain bytes at once: byte-at-a-time pushes made a config with
            // 1,000 arguments and variables cost the engine milliseconds.
            let Some(run) = self.text[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            else {
                self.at = self.text.len();
                return Err("EOF while parsing a string");
            };
            out.extend_from_slice(&self.text[self.at..self.at + run]);
            self.at += run;
            let b = self.text[self.at];
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let escape = self.peek().ok_or("EOF while parsing a string")?;
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\x08',
                        b'f' => '\x0c',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xDC00..0xE000).contains(&code) {
                                return Err("lone trailing surrogate in hex escape");
                            }
                            if (0xD800..0xDC00).contains(&code) {
                                if !self.text[self.at..].starts_with(b"\\u") {
                                    return Err("lone leading surrogate in hex escape");
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err("lone leading surrogate in hex escape");
                                }
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            }
                            char::from_u32(code).ok_or("invalid escape")?
                        }
                        _ => return Err("invalid escape"),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                // The run above stops only at a quote, a backslash or a control byte.
                _ => {
                    return Err("control character (\\u0000-\\u001F) found while parsing a string")
                }
            }
        }
        // The input is a &str and escapes add whole characters, so this cannot fail.
        String::from_utf8(out).map_err(|_| "invalid unicode in string")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn parses_every_kind_of_value() {
        let v = Value::parse(r#" { "b": [1, -2.5e3, true, false, null], "a": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00" } "#)
            .unwrap();
        let array = Value::Array(vec![
            Value::Number("1".into()),
            Value::Number("-2.5e3".into()),
            Value::Bool(true),
            Value::Bool(false),
            Value::Null,
        ]);
        assert_eq!(
            v,
            Value::Object(vec![
                ("a".into(), s("x\"\\/\x08\x0c\n\r\t\u{e9}\u{1f600}")),
                ("b".into(), array)
            ])
        );
        assert_eq!(Value::parse("[]"), Ok(Value::Array(vec![])));
        assert_eq!(Value::parse("{}"), Ok(Value::Object(vec![])));
        assert_eq!(Value::parse("\"ü\""), Ok(s("ü")));
    }

    #[test]
    fn repeated_keys_keep_the_last_value_and_keys_are_sorted() {
        let v = Value::parse(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        assert_eq!(
            v,
            Value::Object(vec![
                ("a".into(), Value::Number("2".into())),
                ("b".into(), Value::Number("3".into()))
            ])
        );
    }

    #[test]
    fn numbers() {
        let n = |t: &str| Value::parse(t).unwrap();
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("1.0").as_u64(), None);
        assert_eq!(n("1e3").as_f64(), Some(1000.0));
        assert_eq!(n("-0.5").as_f64(), Some(-0.5));
        for exact in [
            "0",
            "1",
            "2",
            "0.1",
            "0.3",
            "1.5",
            "2.5e-3",
            "123456.789",
            "1E+2",
            "9007199254740993",
            "1e22",
            "0.000001",
        ] {
            assert_eq!(
                n(exact).as_f64(),
                Some(exact.parse::<f64>().unwrap()),
                "{exact}"
            );
        }
        assert_eq!(n("1e999").as_f64(), Some(f64::INFINITY));
        assert_eq!(n("1e-999").as_f64(), Some(0.0));
        assert_eq!(n("1e99999999999999999999").as_f64(), Some(f64::INFINITY));
        let long = n("3.14159265358979323846264338327950288").as_f64().unwrap();
        assert!((long - std::f64::consts::PI).abs() < 1e-15);
        assert_eq!(n("5").describe(), "integer `5`");
        assert_eq!(n("-1").describe(), "integer `-1`");
        assert_eq!(n("1.5").describe(), "floating point `1.5`");
        for bad in ["01", "-", "1.", ".5", "1e", "+1", "0x1", "1.e5"] {
            assert!(Value::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_malformed_text_with_a_position() {
        assert_eq!(
            Value::parse("{"),
            Err("EOF while parsing an object at line 1 column 1".into())
        );
        assert_eq!(
            Value::parse("[1"),
            Err("EOF while parsing a list or an object at line 1 column 2".into())
        );
        assert_eq!(
            Value::parse("{\n  \"a\" 1}"),
            Err("expected `:` at line 2 column 6".into())
        );
        for bad in [
            "",
            "nul",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{1: 2}",
            "\"a",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\nb\"",
            "1 2",
            "[",
            "\"\\u12\"",
        ] {
            assert!(Value::parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(
            Value::parse(&deep),
            Err("recursion limit exceeded at line 1 column 129".into())
        );
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(Value::parse(&ok).is_ok());
    }

    #[test]
    fn describes_values_as_serde_did() {
        assert_eq!(Value::Null.describe(), "null");
        assert_eq!(Value::Bool(true).describe(), "boolean `true`");
        assert_eq!(s("a\"b\n").describe(), r#"string "a\"b\n""#);
        assert_eq!(Value::Array(vec![]).describe(), "sequence");
        assert_eq!(Value::Object(vec![]).describe(), "map");
        assert_eq!(quote("x\u{1}é'"), "\"x\\u0001é'\"");
    }
}
