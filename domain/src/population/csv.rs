//! Reading uploaded member states from CSV: a header of state field names (any order, any case),
//! one member per line, empty cells meaning "unset". Every bad cell is reported with its line
//! and column, by the same rules as a state patch.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::assume::check_grantable;
use crate::bgt::Bgt;
use crate::error::{FieldErrors, Rule};
use crate::lookup::hint;
use crate::state::{parse_bool_text, parse_count_text, parse_rank_text, SimState};
use crate::theme::Theme;

const COLUMNS: [&str; 9] = [
    "rank",
    "bgtBalance",
    "engagementPoints",
    "verified",
    "activityScore",
    "convictionScore",
    "tenureDays",
    "highestTier",
    "grantedBadges",
];
const MAX_ERRORS: usize = 100;

/// One problem in an uploaded CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[error("line {line}{}: {message}", column.as_deref().map(|c| format!(", {c}")).unwrap_or_default())]
pub struct CsvError {
    /// 1-based line number.
    pub line: usize,
    /// The column, when one cell is at fault.
    pub column: Option<String>,
    /// The rule broken.
    pub rule: Rule,
    /// A sentence.
    pub message: String,
}

/// Every problem found (at most 100 are listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, utoipa::ToSchema)]
#[serde(transparent)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct CsvErrors(pub Vec<CsvError>);

/// Reads members from CSV text; tier and badge ids are checked against `theme`. Cells are read
/// by the `csv` crate (quoted cells may hold commas, doubled quotes and line breaks); blank
/// lines are skipped.
pub fn parse_members_csv(text: &str, theme: &Theme, max_rows: usize) -> Result<Vec<SimState>, CsvErrors> {
    let mut errors = Vec::new();
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records().filter(|r| !matches!(r, Ok(rec) if rec.iter().all(|c| c.trim().is_empty())));
    let header = match records.next() {
        None => {
            return Err(CsvErrors(vec![error(1, None, Rule::Missing, "the CSV is empty; it needs a header line such as rank,bgtBalance")]))
        }
        Some(Err(e)) => return Err(CsvErrors(vec![malformed(&e)])),
        Some(Ok(header)) => header,
    };
    let header_line = line_of(&header);
    let mut columns = Vec::new();
    for name in header.iter() {
        match COLUMNS.iter().find(|known| known.eq_ignore_ascii_case(name.trim())) {
            Some(known) if columns.contains(known) => {
                errors.push(error(header_line, Some(known), Rule::Duplicate, &format!("column {known} appears twice")))
            }
            Some(known) => columns.push(*known),
            None => {
                let near = hint(name.trim(), COLUMNS);
                errors.push(error(
                    header_line,
                    Some(name.trim()),
                    Rule::UnknownField,
                    &format!("unknown column {}{}", name.trim(), near.text),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(CsvErrors(errors));
    }
    let mut members = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(malformed(&e));
                break;
            }
        };
        let number = line_of(&record);
        if members.len() == max_rows {
            errors.push(error(number, None, Rule::TooLarge, &format!("at most {max_rows} members may be uploaded")));
            break;
        }
        if record.len() != columns.len() {
            errors.push(error(
                number,
                None,
                Rule::Malformed,
                &format!("{} cells, but the header has {} columns", record.len(), columns.len()),
            ));
        } else {
            let cells: Vec<String> = record.iter().map(str::to_owned).collect();
            match member(number, &columns, &cells, theme) {
                Ok(state) => members.push(state),
                Err(found) => errors.extend(found),
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    errors.truncate(MAX_ERRORS);
    if errors.is_empty() {
        Ok(members)
    } else {
        Err(CsvErrors(errors))
    }
}

/// The 1-based line a record starts on.
fn line_of(record: &::csv::StringRecord) -> usize {
    record.position().map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX))
}

/// A reader failure (a quoted cell never closed, bytes that are not text) as a line's error.
fn malformed(e: &::csv::Error) -> CsvError {
    let line = e.position().map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    let message = match e.kind() {
        ::csv::ErrorKind::Utf8 { .. } => "the line is not UTF-8 text".to_owned(),
        _ => format!("the line cannot be read as CSV: {e}"),
    };
    error(line, None, Rule::Malformed, &message)
}

fn member(line: usize, columns: &[&str], cells: &[String], theme: &Theme) -> Result<SimState, Vec<CsvError>> {
    let mut state = SimState::default();
    let mut errors = Vec::new();
    for (column, cell) in columns.iter().zip(cells) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let problem = |p: crate::state::FieldProblem| {
            let e = p.error(column, cell);
            error(line, Some(column), e.rule, &e.message)
        };
        let outcome = match *column {
            "rank" => parse_rank_text(cell).map(|rank| state.rank = Some(rank)).map_err(problem),
            "bgtBalance" => {
                Bgt::parse(cell).map(|bgt| state.bgt_balance = bgt).map_err(|e| error(line, Some(column), e.rule(), &e.to_string()))
            }
            "engagementPoints" => parse_count_text(cell).map(|v| state.engagement_points = v).map_err(problem),
            "activityScore" => parse_count_text(cell).map(|v| state.activity_score = v).map_err(problem),
            "convictionScore" => parse_count_text(cell).map(|v| state.conviction_score = v).map_err(problem),
            "tenureDays" => parse_count_text(cell).map(|v| state.tenure_days = v).map_err(problem),
            "verified" => parse_bool_text(cell)
                .map(|v| state.verified = v)
                .ok_or_else(|| error(line, Some(column), Rule::WrongType, &format!("verified must be true or false; got {cell:?}"))),
            "highestTier" if theme.tier(cell).is_none() => {
                let near = hint(cell, theme.tiers.iter().map(|t| t.id.as_str()));
                Err(error(line, Some(column), Rule::UnknownTier, &format!("theme {} has no tier {cell}{}", theme.id, near.text)))
            }
            "highestTier" => {
                state.highest_tier = Some(cell.to_owned());
                Ok(())
            }
            _ => {
                let badges: BTreeSet<String> =
                    cell.split(|c: char| c == ';' || c == '|' || c.is_whitespace()).filter(|b| !b.is_empty()).map(str::to_owned).collect();
                let mut found = FieldErrors::default();
                check_grantable(theme, column, &badges, &mut found);
                state.granted_badges = badges;
                let first = found.0.into_iter().next();
                first.map_or(Ok(()), |e| Err(error(line, Some(column), e.rule, &e.message)))
            }
        };
        if let Err(found) = outcome {
            errors.push(found);
        }
    }
    if errors.is_empty() {
        Ok(state)
    } else {
        Err(errors)
    }
}

fn error(line: usize, column: Option<&str>, rule: Rule, message: &str) -> CsvError {
    CsvError { line, column: column.map(str::to_owned), rule, message: message.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sietch() -> &'static Theme {
        Theme::builtin("sietch").unwrap()
    }

    #[test]
    fn members_are_read_with_any_column_order_and_case() {
        let text = "BGTBALANCE,rank,verified,grantedBadges\n6.9,,yes,water_sharer\n\"1,000\",42,false,\n";
        let result = parse_members_csv(text, sietch(), 10);
        let errors = result.clone().unwrap_err();
        assert_eq!(errors.0[0].line, 3);
        let text = "BGTBALANCE,rank,verified,grantedBadges\n6.9,,yes,water_sharer\n1000,42,false,\n";
        let members = parse_members_csv(text, sietch(), 10).unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].bgt_balance, Bgt::parse("6.9").unwrap());
        assert!(members[0].verified && members[0].granted_badges.contains("water_sharer"));
        assert_eq!(members[1].rank.map(|r| r.get()), Some(42));
    }

    #[test]
    fn every_bad_cell_is_reported_with_line_and_column() {
        let text = "rank,bgtBalance,tenureDays\n0,5,1\n7.5,-1,x\n3,1,2,4\n";
        let errors = parse_members_csv(text, sietch(), 10).unwrap_err();
        let found: Vec<(usize, Option<&str>, Rule)> = errors.0.iter().map(|e| (e.line, e.column.as_deref(), e.rule)).collect();
        assert!(found.contains(&(2, Some("rank"), Rule::Zero)));
        assert!(found.contains(&(3, Some("rank"), Rule::Fractional)));
        assert!(found.contains(&(3, Some("bgtBalance"), Rule::Negative)));
        assert!(found.contains(&(3, Some("tenureDays"), Rule::NotANumber)));
        assert!(found.contains(&(4, None, Rule::Malformed)));
        assert!(errors.to_string().contains("line 2, rank: rank must be a positive whole number"));
    }

    #[test]
    fn a_quoted_cell_may_hold_a_line_break_and_the_next_line_keeps_its_number() {
        let text = "grantedBadges,rank\n\"water_sharer\nformer_naib\",3\nnot-a-badge,4\n";
        let errors = parse_members_csv(text, sietch(), 10).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(errors.0[0].line, 4, "the bad line is counted after the quoted line break: {errors}");
        let members = parse_members_csv("grantedBadges,rank\n\"water_sharer\nformer_naib\",3\n", sietch(), 10).unwrap();
        assert!(members[0].granted_badges.contains("water_sharer") && members[0].granted_badges.contains("former_naib"));
        assert_eq!(members[0].rank.map(|r| r.get()), Some(3));
    }

    #[test]
    fn an_unknown_column_suggests_the_field() {
        let errors = parse_members_csv("rank,bgt\n1,2\n", sietch(), 10).unwrap_err();
        assert!(errors.0[0].message.contains("did you mean bgtBalance"), "{errors}");
    }

    #[test]
    fn the_row_limit_is_enforced() {
        let errors = parse_members_csv("rank\n1\n2\n3\n", sietch(), 2).unwrap_err();
        assert_eq!(errors.0[0].rule, Rule::TooLarge);
    }
}
