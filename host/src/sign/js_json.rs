//! JSON text exactly as JavaScript's `JSON.stringify(JSON.parse(text))` writes it, so that a
//! signature over it verifies in a Node receiver that re-serializes what it parsed.
//!
//! Where JavaScript differs from a plain serializer: every number is an IEEE double written by
//! `Number.prototype.toString` (`1.0` → `1`, `1e21` → `1e+21`, integers past 2^53 rounded);
//! object keys that are array indices (`"0"`, `"42"`) come first in numeric order, the others
//! keep their order; a repeated key keeps its first position and its last value.

use serde_json::{Map, Value};

/// Serializes `value` as `JSON.stringify` would after `JSON.parse`.
pub fn stringify(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64() {
            Some(f) => out.push_str(&number(f)),
            None => out.push_str("null"),
        },
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => object(out, map),
    }
}

/// An array index: the canonical decimal form of an integer in 0 ..= 2^32 - 2.
fn array_index(key: &str) -> Option<u32> {
    let n: u32 = key.parse().ok()?;
    (n != u32::MAX && n.to_string() == key).then_some(n)
}

fn object(out: &mut String, map: &Map<String, Value>) {
    let mut indexed: Vec<(u32, &String, &Value)> = map
        .iter()
        .filter_map(|(k, v)| array_index(k).map(|i| (i, k, v)))
        .collect();
    indexed.sort_by_key(|(i, _, _)| *i);
    let named = map.iter().filter(|(k, _)| array_index(k).is_none());
    out.push('{');
    let entries = indexed.into_iter().map(|(_, k, v)| (k, v)).chain(named);
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, key);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

/// `QuoteJSONString`: the short escapes, `\u00xx` (lowercase) for other control characters,
/// everything else as is.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `Number::toString(x)` for a finite double (non-finite numbers are `null` in JSON).
fn number(x: f64) -> String {
    if !x.is_finite() {
        return "null".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as JavaScript uses.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().unwrap_or(0) + 1;
    let sign = if x < 0.0 { "-" } else { "" };
    let zeros = |count: i32| "0".repeat(usize::try_from(count).unwrap_or(0));
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", zeros(n - k))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(n).unwrap_or(0));
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", zeros(-n))
    } else {
        let e = n - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{e_sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{e_sign}{}", e.abs())
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(text: &str) -> String {
        stringify(&serde_json::from_str(text).expect("json"))
    }

    #[test]
    fn numbers_follow_number_to_string() {
        // Expected values are what Node 20 prints for JSON.stringify(JSON.parse(text)).
        let cases = [
            ("1.0", "1"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("0.1", "0.1"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123456789012345678901234", "1.2345678901234569e+23"),
            ("12345678901234567890", "12345678901234567000"),
            ("9007199254740993", "9007199254740992"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("1.5e-10", "1.5e-10"),
            ("2.5E+3", "2500"),
            ("-1.25e300", "-1.25e+300"),
            ("5e-324", "5e-324"),
            ("0.30000000000000004", "0.30000000000000004"),
        ];
        for (input, want) in cases {
            assert_eq!(js(input), want, "{input}");
        }
    }

    #[test]
    fn array_index_keys_come_first() {
        assert_eq!(
            js(r#"{"b":1,"2":2,"a":3,"10":4,"1":5,"01":6,"-1":7,"4294967295":8}"#),
            r#"{"1":5,"2":2,"10":4,"b":1,"a":3,"01":6,"-1":7,"4294967295":8}"#
        );
    }

    #[test]
    fn strings_escape_as_json_stringify_does() {
        assert_eq!(
            js(r#""q\" b\\ \/ \b\f\n\r\t \u0001 \u001F é 😀 \u2028""#),
            "\"q\\\" b\\\\ / \\b\\f\\n\\r\\t \\u0001 \\u001f é 😀 \u{2028}\""
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        assert_eq!(js(r#"{"a":1,"b":2,"a":3}"#), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn nesting_and_whitespace() {
        assert_eq!(
            js(" { \"x\" : [ 1 , { \"y\" : null , \"z\" : true } ] } "),
            r#"{"x":[1,{"y":null,"z":true}]}"#
        );
    }
}
