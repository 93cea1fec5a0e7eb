//! JSON helpers for the usual reshaping: pick fields, diff an update, previous attributes,
//! and a small predicate for filtering.

pub use serde_json::{Map, Value, json};

use serde::Deserialize;

/// A dotted path into a JSON value: `name.firstName`, `lines.0.amount` (a number indexes an
/// array). Parsed once, used many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    segments: Vec<String>,
}

impl Path {
    /// Parses a dotted path. Empty paths and empty segments (`a..b`) are errors.
    pub fn parse(path: &str) -> Result<Self, String> {
        if path.is_empty() {
            return Err("empty field path".into());
        }
        let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
        if segments.iter().any(String::is_empty) {
            return Err(format!("field path `{path}` has an empty segment"));
        }
        Ok(Path { segments })
    }

    /// The segments of the path.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The value at this path, if every segment exists.
    pub fn get<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.segments.iter().try_fold(value, |v, seg| match v {
            Value::Object(map) => map.get(seg),
            Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    }
}

/// The value at a dotted path (see [`Path`]); `None` for an invalid or missing path.
pub fn get<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    Path::parse(path).ok()?.get(value)
}

/// One field to keep: where to read it, and optionally the top-level key to write it under.
///
/// In config JSON a field is either a path string (`"name.firstName"`) or an object
/// `{"path": "email", "as": "contactEmail"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Where to read the value.
    pub path: Path,
    /// The top-level output key; without it the value keeps its nesting.
    pub rename: Option<String>,
}

impl Field {
    /// A field kept at its own path.
    pub fn new(path: &str) -> Result<Self, String> {
        Ok(Field {
            path: Path::parse(path)?,
            rename: None,
        })
    }

    /// A field written under a new top-level key.
    pub fn renamed(path: &str, rename: &str) -> Result<Self, String> {
        if rename.is_empty() {
            return Err(format!("field `{path}` has an empty `as`"));
        }
        Ok(Field {
            path: Path::parse(path)?,
            rename: Some(rename.to_owned()),
        })
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Path(String),
            Renamed {
                path: String,
                #[serde(rename = "as")]
                rename: Option<String>,
            },
        }
        let field = match Raw::deserialize(d)? {
            Raw::Path(p)
            | Raw::Renamed {
                path: p,
                rename: None,
            } => Field::new(&p),
            Raw::Renamed {
                path,
                rename: Some(r),
            } => Field::renamed(&path, &r),
        };
        field.map_err(serde::de::Error::custom)
    }
}

/// Copies the chosen fields of `object` into a new object, in the order given. Missing fields
/// are left out. A field without a rename keeps its nesting (`name.firstName` gives
/// `{"name": {"firstName": …}}`); a renamed one lands at the top level.
pub fn select(object: &Value, fields: &[Field]) -> Value {
    let mut out = Map::new();
    for field in fields {
        let Some(value) = field.path.get(object) else {
            continue;
        };
        match &field.rename {
            Some(key) => {
                out.insert(key.clone(), value.clone());
            }
            None => insert_nested(&mut out, field.path.segments(), value.clone()),
        }
    }
    Value::Object(out)
}

fn insert_nested(map: &mut Map<String, Value>, segments: &[String], value: Value) {
    match segments {
        [] => {}
        [last] => {
            map.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let child = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                insert_nested(child, rest, value);
            }
        }
    }
}

/// Top-level fields whose value differs between `previous` and `object`: the fields of
/// `object` in order, then those only `previous` had. Non-objects compare as a whole (`[""]`
/// is never returned; an empty list means equal or not comparable).
pub fn changed_fields(object: &Value, previous: &Value) -> Vec<String> {
    let (Value::Object(now), Value::Object(before)) = (object, previous) else {
        return Vec::new();
    };
    let mut out: Vec<String> = now
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(before.keys().filter(|k| !now.contains_key(*k)).cloned());
    out
}

/// The changed top-level fields with their **new** values (a field that disappeared maps to
/// `null`). Firm App's `diff`.
pub fn diff(object: &Value, previous: &Value) -> Map<String, Value> {
    changed_fields(object, previous)
        .into_iter()
        .map(|k| {
            let v = object.get(&k).cloned().unwrap_or(Value::Null);
            (k, v)
        })
        .collect()
}

/// The changed top-level fields with their **old** values (a field that is new maps to
/// `null`). OfficeRnD's `previousAttributes`.
pub fn previous_attributes(object: &Value, previous: &Value) -> Map<String, Value> {
    changed_fields(object, previous)
        .into_iter()
        .map(|k| {
            let v = previous.get(&k).cloned().unwrap_or(Value::Null);
            (k, v)
        })
        .collect()
}

/// A filter on one field: it matches when the value at `field` equals one of `any_of`.
///
/// In config JSON: `{"field": "status", "equals": "active"}` or
/// `{"field": "status", "in": ["active", "trial"]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher {
    /// The field to look at.
    pub field: Path,
    /// The accepted values.
    pub any_of: Vec<Value>,
}

impl Matcher {
    /// Whether `object` passes the filter. A missing field never matches.
    pub fn matches(&self, object: &Value) -> bool {
        self.field
            .get(object)
            .is_some_and(|v| self.any_of.iter().any(|want| want == v))
    }
}

impl<'de> Deserialize<'de> for Matcher {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            field: String,
            equals: Option<Value>,
            #[serde(rename = "in")]
            one_of: Option<Vec<Value>>,
        }
        let raw = Raw::deserialize(d)?;
        let field = Path::parse(&raw.field).map_err(serde::de::Error::custom)?;
        let any_of = match (raw.equals, raw.one_of) {
            (Some(v), None) => vec![v],
            (None, Some(vs)) if !vs.is_empty() => vs,
            (None, Some(_)) => return Err(serde::de::Error::custom("`in` must not be empty")),
            _ => {
                return Err(serde::de::Error::custom(
                    "give exactly one of `equals` or `in`",
                ));
            }
        };
        Ok(Matcher { field, any_of })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member() -> Value {
        json!({"id": "m1", "name": {"first": "Ada", "last": "L"}, "email": "a@x", "tags": ["x", {"k": 1}]})
    }

    #[test]
    fn paths_reach_into_objects_and_arrays() {
        let m = member();
        assert_eq!(get(&m, "name.first"), Some(&json!("Ada")));
        assert_eq!(get(&m, "tags.1.k"), Some(&json!(1)));
        assert_eq!(get(&m, "tags.9"), None);
        assert_eq!(get(&m, "name..first"), None);
        assert!(Path::parse("a..b").is_err());
    }

    #[test]
    fn select_keeps_nesting_and_applies_renames_in_order() {
        let fields: Vec<Field> = serde_json::from_value(
            json!(["id", "name.first", {"path": "email", "as": "contact"}, "missing"]),
        )
        .unwrap();
        let out = select(&member(), &fields);
        assert_eq!(
            out.to_string(),
            r#"{"id":"m1","name":{"first":"Ada"},"contact":"a@x"}"#
        );
    }

    #[test]
    fn diff_and_previous_attributes_cover_changed_added_and_removed_fields() {
        let now = json!({"id": 1, "name": "Sam Smith", "new": true});
        let before = json!({"id": 1, "name": "Sam", "gone": 5});
        assert_eq!(changed_fields(&now, &before), ["name", "new", "gone"]);
        assert_eq!(
            Value::Object(diff(&now, &before)),
            json!({"name": "Sam Smith", "new": true, "gone": null})
        );
        assert_eq!(
            Value::Object(previous_attributes(&now, &before)),
            json!({"name": "Sam", "new": null, "gone": 5})
        );
    }

    #[test]
    fn matchers_parse_and_match() {
        let m: Matcher =
            serde_json::from_value(json!({"field": "name.first", "in": ["Ada", "Bo"]})).unwrap();
        assert!(m.matches(&member()));
        let m: Matcher = serde_json::from_value(json!({"field": "email", "equals": "no"})).unwrap();
        assert!(!m.matches(&member()));
        assert!(serde_json::from_value::<Matcher>(json!({"field": "x"})).is_err());
        assert!(serde_json::from_value::<Matcher>(json!({"field": "x", "in": []})).is_err());
    }
}
