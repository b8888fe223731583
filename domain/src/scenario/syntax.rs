//! From text to a JSON value: YAML or JSON (the same structure), chosen by the file name, with
//! the size limit checked first and syntax errors reported with their line and column.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{ErrorKind, ScenarioError, ScenarioErrors};
use super::Limits;

/// The text format of a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// `.yaml` or `.yml`.
    Yaml,
    /// `.json`.
    Json,
}

impl Format {
    /// The format of a file by its name: `.json` is JSON; `.yaml`, `.yml` and anything else is
    /// YAML, unless the text itself starts like a JSON object.
    pub fn detect(file_name: &str, text: &str) -> Format {
        let extension = file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
        match extension.as_deref() {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Reads the text as a JSON value, refusing text over the size limit unread.
pub(crate) fn read_value(text: &str, format: Format, limits: &Limits) -> Result<Value, ScenarioErrors> {
    if text.len() > limits.max_bytes {
        let message = format!(
            "the file has {} bytes; a scenario file may have at most {} bytes (split it into several files)",
            text.len(),
            limits.max_bytes
        );
        return Err(ScenarioError::new("", ErrorKind::Limit, message).into());
    }
    let value = parse_value(text, format)?;
    match nul_path(&value, String::new()) {
        // PostgreSQL's text cannot hold it: a value carrying one could never be run or stored.
        Some(path) => Err(ScenarioError::new(&path, ErrorKind::InvalidValue, "text must not contain the NUL character (\\u0000)").into()),
        None => Ok(value),
    }
}

/// The path (in the scenario format's notation) of the first string or key holding a NUL.
fn nul_path(value: &Value, path: String) -> Option<String> {
    match value {
        Value::String(s) => s.contains('\0').then_some(path),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| nul_path(item, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let here = super::read::join(&path, &key.replace('\0', "\\u0000"));
            if key.contains('\0') {
                Some(here)
            } else {
                nul_path(item, here)
            }
        }),
        _ => None,
    }
}

fn parse_value(text: &str, format: Format) -> Result<Value, ScenarioErrors> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|error| {
            let mut message = error.to_string();
            // serde_json appends " at line L column C"; the numbers are carried as data instead.
            if let Some(cut) = message.find(" at line ") {
                message.truncate(cut);
            }
            located(format!("not valid JSON: {message}"), Some(error.line()), Some(error.column())).into()
        }),
        Format::Yaml => {
            let value: Value = serde_norway::from_str(text).map_err(|error| {
                let location = error.location();
                let mut message = error.to_string();
                if let Some(cut) = message.find(" at line ") {
                    message.truncate(cut);
                }
                ScenarioErrors::from(located(
                    format!("not valid YAML: {message}"),
                    location.as_ref().map(|l| l.line()),
                    location.as_ref().map(|l| l.column()),
                ))
            })?;
            Ok(value)
        }
    }
}

/// The golden files a scenario file names (`matrix: {golden: ...}`), found in its structure
/// without checking anything else, so a client can send them along with the file.
pub fn golden_files(text: &str, file_name: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(value) = read_value(text, Format::detect(file_name, text), &Limits::default()) {
        collect_golden(&value, &mut found);
    }
    found
}

fn collect_golden(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(matrix) = map.get("matrix") {
                let golden = matrix.as_str().or_else(|| matrix.get("golden").and_then(Value::as_str));
                if let Some(path) = golden.filter(|path| !found.iter().any(|known| known == path)) {
                    found.push(path.to_owned());
                }
            }
            map.values().for_each(|item| collect_golden(item, found));
        }
        Value::Array(items) => items.iter().for_each(|item| collect_golden(item, found)),
        _ => {}
    }
}

fn located(message: String, line: Option<usize>, column: Option<usize>) -> ScenarioError {
    let mut error = ScenarioError::new("", ErrorKind::Syntax, message);
    error.line = line.filter(|line| *line > 0);
    error.column = column.filter(|column| *column > 0);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_syntax_error_names_its_line_and_column() {
        let text = "name: broken\nscenarios:\n  - name: a\n   then: [\n";
        let error = read_value(text, Format::Yaml, &Limits::default()).unwrap_err().0.remove(0);
        assert_eq!(error.kind, ErrorKind::Syntax);
        assert_eq!(error.line, Some(4), "{error}");
        assert!(error.column.is_some(), "{error}");
    }

    #[test]
    fn a_json_syntax_error_names_its_line_and_column() {
        let text = "{\n  \"name\": \"x\",\n  \"scenarios\": [,]\n}";
        let error = read_value(text, Format::Json, &Limits::default()).unwrap_err().0.remove(0);
        assert_eq!((error.line, error.column), (Some(3), Some(17)), "{error}");
        assert!(!error.message.contains(" at line "), "{error}");
    }

    #[test]
    fn a_file_over_the_size_limit_is_not_read() {
        let limits = Limits { max_bytes: 10, ..Limits::default() };
        let error = read_value("name: far too long", Format::Yaml, &limits).unwrap_err().0.remove(0);
        assert_eq!(error.kind, ErrorKind::Limit);
        assert!(error.message.contains("at most 10 bytes"));
    }

    #[test]
    fn golden_files_are_found_in_the_structure() {
        let text = "name: m\nscenarios:\n  - {name: a, then: [matrix: {golden: g/a.json, part: channels}]}\n  - {name: b, steps: [matrix: g/b.json, matrix: g/a.json]}\n";
        assert_eq!(golden_files(text, "m.yaml"), ["g/a.json", "g/b.json"]);
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(Format::detect("a.json", "name: x"), Format::Json);
        assert_eq!(Format::detect("a.yml", "{}"), Format::Yaml);
        assert_eq!(Format::detect("saved scenario", " {\"name\": 1}"), Format::Json);
        assert_eq!(Format::detect("saved scenario", "name: x"), Format::Yaml);
    }
}
