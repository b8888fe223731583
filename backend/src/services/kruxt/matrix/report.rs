//! What a measured matrix becomes: CSV, and the cells where two actors differ.

use wire::model::{CellDifference, MatrixCell, MatrixComparison, MatrixEntry, RlsMatrix};

fn cells(entry: &MatrixEntry) -> [(&'static str, &MatrixCell); 4] {
    [("select", &entry.select), ("insert", &entry.insert), ("update", &entry.update), ("delete", &entry.delete)]
}

/// The matrix as CSV: one line per actor and table, a label and the SQLSTATE per operation.
pub fn to_csv(m: &RlsMatrix) -> String {
    let header = [
        "actor",
        "table",
        "select",
        "insert",
        "update",
        "delete",
        "select_sqlstate",
        "insert_sqlstate",
        "update_sqlstate",
        "delete_sqlstate",
    ];
    let rows = m.entries.iter().map(|e| {
        let c = cells(e);
        let mut row = vec![e.actor.clone(), e.table.clone()];
        row.extend(c.iter().map(|(_, cell)| cell.label.clone()));
        row.extend(c.iter().map(|(_, cell)| cell.sqlstate.clone().unwrap_or_default()));
        row
    });
    domain::csv_write::to_csv(&header, rows)
}

/// The cells where two actors' rows differ (outcome, rows or SQLSTATE).
pub fn differences(m: &RlsMatrix, left: &str, right: &str) -> MatrixComparison {
    let mut differences = Vec::new();
    let mut same = 0;
    for table in &m.tables {
        let find = |actor: &str| m.entries.iter().find(|e| e.actor == actor && &e.table == table);
        let (Some(l), Some(r)) = (find(left), find(right)) else { continue };
        for ((operation, a), (_, b)) in cells(l).into_iter().zip(cells(r)) {
            if a.outcome == b.outcome && a.rows == b.rows && a.sqlstate == b.sqlstate {
                same += 1;
            } else {
                differences.push(CellDifference {
                    table: table.clone(),
                    operation: operation.to_owned(),
                    left: a.clone(),
                    right: b.clone(),
                });
            }
        }
    }
    MatrixComparison { left: left.to_owned(), right: right.to_owned(), tables: m.tables.clone(), differences, same }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::model::CellOutcome;

    fn cell(outcome: CellOutcome, rows: Option<i64>, state: Option<&str>) -> MatrixCell {
        MatrixCell { outcome, rows, sqlstate: state.map(str::to_owned), message: None, label: String::new() }
    }

    #[test]
    fn comparison_lists_only_differing_cells() {
        let entry = |actor: &str, rows: i64| MatrixEntry {
            actor: actor.into(),
            table: "waivers".into(),
            select: cell(CellOutcome::Allowed, Some(rows), None),
            insert: cell(CellOutcome::Refused, None, Some("42501")),
            update: cell(CellOutcome::NoRows, Some(0), None),
            delete: cell(CellOutcome::NoRows, Some(0), None),
        };
        let m = RlsMatrix {
            actors: vec!["a".into(), "b".into()],
            tables: vec!["waivers".into()],
            entries: vec![entry("a", 2), entry("b", 3)],
            clock: time::OffsetDateTime::UNIX_EPOCH,
            duration_ms: 0.0,
        };
        let d = differences(&m, "a", "b");
        assert_eq!(d.same, 3);
        assert_eq!(d.differences.len(), 1);
        assert_eq!(d.differences[0].operation, "select");
        let csv = to_csv(&m);
        assert!(csv.starts_with("actor,table,select,insert"));
        assert_eq!(csv.lines().count(), 3);
    }
}
