//! Renderings of a report: pretty text for people (a failing assertion shows expected, actual
//! and why), JSON for machines, and JUnit XML for CI systems (one test suite per file, one test
//! case per scenario). Pure functions returning text.

use std::fmt::Write;

use serde_json::Value;

use super::report::{FileReport, FileStatus, Report, ScenarioReport, ScenarioStatus};

/// The report as pretty-printed JSON.
pub fn render_json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// The report as text: one line per file and scenario, details of every failure, totals.
pub fn render_pretty(report: &Report) -> String {
    let mut out = String::with_capacity(256 * (report.files.len() + 1));
    for file in &report.files {
        pretty_file(&mut out, file);
    }
    let t = &report.totals;
    let _ = write!(out, "\n{} file{}", t.files, plural(t.files));
    if t.invalid_files > 0 {
        let _ = write!(out, " ({} invalid)", t.invalid_files);
    }
    let _ = write!(out, ", {} scenario{}", t.scenarios, plural(t.scenarios));
    if t.failed_scenarios > 0 {
        let _ = write!(out, " ({} failed)", t.failed_scenarios);
    }
    let _ = write!(out, ", {} assertion{}: {} passed, {} failed", t.assertions, plural(t.assertions), t.passed, t.failed);
    if let Some(ms) = report.duration_ms {
        let _ = write!(out, " in {ms:.0} ms");
    }
    out.push('\n');
    out
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

fn pretty_file(out: &mut String, file: &FileReport) {
    let name = file.name.as_deref().map(|name| format!(" ({name})")).unwrap_or_default();
    if file.status == FileStatus::Invalid {
        let _ = writeln!(out, "INVALID {}{name}: {} error{}, nothing ran", file.file, file.errors.len(), plural(file.errors.len()));
        for error in &file.errors {
            let _ = writeln!(out, "    {error}");
        }
        return;
    }
    let verdict = if file.status == FileStatus::Passed { "PASS" } else { "FAIL" };
    let t = &file.totals;
    let theme = file.theme.as_deref().map(|theme| format!(", theme {theme}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{verdict}    {}{name}{theme}: {} scenario{}, {} assertion{}",
        file.file,
        t.scenarios,
        plural(t.scenarios),
        t.assertions,
        plural(t.assertions)
    );
    for scenario in &file.scenarios {
        pretty_scenario(out, scenario);
    }
    for update in &file.golden_updates {
        let _ = writeln!(out, "  updated golden file {}", update.path);
    }
}

fn pretty_scenario(out: &mut String, scenario: &ScenarioReport) {
    let failed = scenario.assertions.iter().filter(|a| !a.passed).count();
    match scenario.status {
        ScenarioStatus::Passed => {
            let _ =
                writeln!(out, "  ok     {} ({} assertion{})", scenario.name, scenario.assertions.len(), plural(scenario.assertions.len()));
        }
        ScenarioStatus::Failed => {
            let _ = writeln!(out, "  FAIL   {} ({failed} of {} assertions failed)", scenario.name, scenario.assertions.len());
        }
        ScenarioStatus::Error => {
            let _ = writeln!(out, "  ERROR  {}", scenario.name);
        }
    }
    for assertion in scenario.assertions.iter().filter(|a| !a.passed) {
        let _ = writeln!(out, "         {}  {}", assertion.path, assertion.description);
        let _ = writeln!(out, "           expected: {}", compact(&assertion.expected));
        let _ = writeln!(out, "           actual:   {}", compact(&assertion.actual));
        let _ = writeln!(out, "           why:      {}", assertion.explanation);
    }
    if let Some(error) = &scenario.error {
        let _ = writeln!(out, "         {}: step refused: {}", error.path, error.message);
    }
}

fn compact(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The report as JUnit XML: a test suite per file, a test case per scenario; failed assertions
/// become a `failure` with expected, actual and why; refused steps and invalid files an `error`.
pub fn render_junit(report: &Report) -> String {
    let t = &report.totals;
    let mut out = String::with_capacity(512 * (report.files.len() + 1));
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let errors: usize = report.files.iter().map(junit_errors).sum();
    let failures: usize = report.files.iter().map(|f| f.scenarios.iter().filter(|s| s.status == ScenarioStatus::Failed).count()).sum();
    let tests: usize = report.files.iter().map(|f| f.scenarios.len().max(usize::from(f.status == FileStatus::Invalid))).sum();
    let _ = write!(
        out,
        "<testsuites name=\"crysknife scenarios\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" assertions=\"{}\"",
        t.assertions
    );
    push_time(&mut out, report.duration_ms);
    out.push_str(">\n");
    for file in &report.files {
        junit_file(&mut out, file);
    }
    out.push_str("</testsuites>\n");
    out
}

fn junit_errors(file: &FileReport) -> usize {
    if file.status == FileStatus::Invalid {
        1
    } else {
        file.scenarios.iter().filter(|s| s.status == ScenarioStatus::Error).count()
    }
}

fn push_time(out: &mut String, ms: Option<f64>) {
    if let Some(ms) = ms {
        let _ = write!(out, " time=\"{:.3}\"", ms / 1000.0);
    }
}

fn junit_file(out: &mut String, file: &FileReport) {
    let suite = attr(file.name.as_deref().unwrap_or(&file.file));
    let classname = attr(&file.file);
    let failures = file.scenarios.iter().filter(|s| s.status == ScenarioStatus::Failed).count();
    let tests = file.scenarios.len().max(usize::from(file.status == FileStatus::Invalid));
    let _ = write!(
        out,
        "  <testsuite name=\"{suite}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" skipped=\"0\" assertions=\"{}\"",
        junit_errors(file),
        file.totals.assertions
    );
    push_time(out, file.duration_ms);
    out.push_str(">\n");
    let _ = writeln!(
        out,
        "    <properties><property name=\"file\" value=\"{classname}\"/><property name=\"theme\" value=\"{}\"/></properties>",
        attr(file.theme.as_deref().unwrap_or(""))
    );
    if file.status == FileStatus::Invalid {
        let details: Vec<String> = file.errors.iter().map(ToString::to_string).collect();
        let message = format!("invalid scenario file: {} error{}, nothing ran", file.errors.len(), plural(file.errors.len()));
        let _ = writeln!(out, "    <testcase name=\"{classname} is a valid scenario file\" classname=\"{classname}\">");
        let _ = writeln!(out, "      <error message=\"{}\" type=\"invalid\">{}</error>", attr(&message), escape(&details.join("\n")));
        out.push_str("    </testcase>\n");
    }
    for scenario in &file.scenarios {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{classname}\" assertions=\"{}\">",
            attr(&scenario.name),
            scenario.assertions.len()
        );
        match scenario.status {
            ScenarioStatus::Passed => {}
            ScenarioStatus::Failed => {
                let failed: Vec<_> = scenario.assertions.iter().filter(|a| !a.passed).collect();
                let message = format!("{} of {} assertions failed", failed.len(), scenario.assertions.len());
                let mut body = String::new();
                for a in failed {
                    let _ = writeln!(
                        body,
                        "{}  {}\n  expected: {}\n  actual:   {}\n  why:      {}",
                        a.path,
                        a.description,
                        compact(&a.expected),
                        compact(&a.actual),
                        a.explanation
                    );
                }
                let _ = write!(out, "\n      <failure message=\"{}\" type=\"assertion\">{}</failure>\n    ", attr(&message), escape(&body));
            }
            ScenarioStatus::Error => {
                let (path, message) = scenario.error.as_ref().map_or(("", ""), |e| (e.path.as_str(), e.message.as_str()));
                let _ = write!(
                    out,
                    "\n      <error message=\"{}\" type=\"step\">{}</error>\n    ",
                    attr(&format!("step refused at {path}")),
                    escape(message)
                );
            }
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

/// Text safe inside an XML attribute, on one line.
fn attr(text: &str) -> String {
    escape(text).replace('\n', "&#10;").replace('\t', "&#9;")
}

/// Text safe inside XML attributes and elements; characters XML 1.0 cannot hold at all become U+FFFD.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_special_and_control_characters_are_escaped() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(attr("two\nlines"), "two&#10;lines");
    }
}
