//! A KRUXT database's tables, read from its catalog, and the statements built on them. Every
//! table and column name in a request or a scenario step is checked against the catalog before
//! any SQL is built from it, so identifiers in the SQL below are always the catalog's own (and
//! quoted besides); values always travel as bind parameters.

use domain::lookup::hint;
use serde_json::{json, Map, Value};
use sqlx::{AssertSqlSafe, PgConnection};
use wire::error::ApiError;

/// A table of `public`.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Table {
    pub name: String,
    /// Every column, in table order.
    pub columns: Vec<String>,
    /// Primary key columns the database fills itself (a default or an identity).
    pub generated_key: Vec<String>,
    /// Text columns of unique constraints (a copied row changes them to stay unique).
    pub unique_text: Vec<String>,
}

/// The tables of `public`, by name.
pub async fn tables(conn: &mut PgConnection) -> Result<Vec<Table>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.relname::text AS name,
                array_agg(a.attname::text ORDER BY a.attnum) AS columns,
                coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (
                    WHERE (a.atthasdef OR a.attidentity <> '')
                      AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
                ), '{}') AS generated_key,
                coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (
                    WHERE a.atttypid IN ('text'::regtype, 'varchar'::regtype)
                      AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND NOT i.indisprimary AND a.attnum = ANY (i.indkey))
                ), '{}') AS unique_text
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
         GROUP BY c.relname ORDER BY c.relname",
    )
    .fetch_all(conn)
    .await
}

/// Constraints and constraint triggers that are initially deferred, schema-qualified and quoted,
/// so that a step that fired them early (`SET CONSTRAINTS ALL IMMEDIATE`) can defer them again.
pub async fn initially_deferred(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT format('%I.%I', n.nspname, c.conname)
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE c.condeferred AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         ORDER BY 1",
    )
    .fetch_all(conn)
    .await
}

/// The table `name` (with or without `public.`), else a 400 naming the field and near matches.
pub fn find<'t>(all: &'t [Table], field: &str, name: &str) -> Result<&'t Table, ApiError> {
    let name = name.trim();
    let bare = name.strip_prefix("public.").unwrap_or(name);
    all.iter().find(|t| t.name == bare).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
        let near = hint(bare, known.iter().copied());
        ApiError::validation(field, format!("no table `{bare}` in the sandbox's database{}", near.text))
            .with_details(json!({ "field": field, "rule": "a table of the public schema", "nearMatches": near.near }))
    })
}

impl Table {
    /// Checks that every name is a column of the table.
    pub fn check_columns<'a>(&self, field: &str, names: impl IntoIterator<Item = &'a String>) -> Result<(), ApiError> {
        for name in names {
            if !self.columns.iter().any(|c| c == name) {
                let near = hint(name, self.columns.iter().map(String::as_str));
                return Err(ApiError::validation(field, format!("{} has no column `{name}`{}", self.name, near.text)).with_details(
                    json!({ "field": field, "rule": "a column of the table", "table": self.name, "nearMatches": near.near }),
                ));
            }
        }
        Ok(())
    }

    /// `public."name"`.
    pub fn qualified(&self) -> String {
        format!("public.{}", ident(&self.name))
    }
}

/// A quoted identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `WHERE` for a filter held in parameter `$param` (a JSON object): equality per column, `IS NULL`
/// for a null value; every row when the filter is empty. Values are cast by the table's own
/// row type, so `"2026-03-09"` compares as the column's type.
pub fn filter_clause(table: &Table, alias: &str, filter: &Map<String, Value>, param: usize) -> String {
    if filter.is_empty() {
        return "true".to_owned();
    }
    filter
        .iter()
        .map(|(column, value)| {
            if value.is_null() {
                format!("{alias}.{} IS NULL", ident(column))
            } else {
                format!("{alias}.{} = (jsonb_populate_record(NULL::{}, ${param})).{}", ident(column), table.qualified(), ident(column))
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Reads rows as JSON objects (only `columns` when given), filtered, ordered, limited.
pub async fn select(
    conn: &mut PgConnection,
    table: &Table,
    filter: &Map<String, Value>,
    columns: &[String],
    order_by: &[String],
    limit: Option<u64>,
) -> Result<Vec<Value>, sqlx::Error> {
    let object = if columns.is_empty() {
        "to_jsonb(t)".to_owned()
    } else {
        let pairs: Vec<String> = columns.iter().map(|c| format!("'{}', t.{}", c.replace('\'', "''"), ident(c))).collect();
        format!("jsonb_build_object({})", pairs.join(", "))
    };
    let order = if order_by.is_empty() {
        "to_jsonb(t)::text".to_owned()
    } else {
        order_by.iter().map(|c| format!("t.{}", ident(c))).collect::<Vec<_>>().join(", ")
    };
    let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let sql = format!(
        "SELECT coalesce(jsonb_agg(x.o ORDER BY x.n), '[]'::jsonb) FROM (SELECT {object} AS o, row_number() OVER (ORDER BY {order}) AS n FROM {} t WHERE {}{limit}) x",
        table.qualified(),
        filter_clause(table, "t", filter, 1)
    );
    let rows: Value = sqlx::query_scalar(AssertSqlSafe(sql)).bind(Value::Object(filter.clone())).fetch_one(conn).await?;
    Ok(match rows {
        Value::Array(items) => items,
        _ => Vec::new(),
    })
}

/// `INSERT` of the columns `row` names, their values read from the JSON object `source` (a
/// parameter such as `$1`, or a literal) through the table's row type; absent columns take
/// their defaults.
pub fn insert_statement(table: &Table, row: &Map<String, Value>, source: &str) -> String {
    if row.is_empty() {
        return format!("INSERT INTO {} DEFAULT VALUES", table.qualified());
    }
    let columns: Vec<String> = row.keys().map(|c| ident(c)).collect();
    let columns = columns.join(", ");
    format!("INSERT INTO {q} ({columns}) SELECT {columns} FROM jsonb_populate_record(NULL::{q}, {source})", q = table.qualified())
}

/// Inserts one row from a JSON object (absent columns take their defaults); rows inserted.
pub async fn insert(conn: &mut PgConnection, table: &Table, row: &Map<String, Value>) -> Result<u64, sqlx::Error> {
    let sql = insert_statement(table, row, "$1");
    Ok(sqlx::query(AssertSqlSafe(sql)).bind(Value::Object(row.clone())).execute(conn).await?.rows_affected())
}

/// Sets columns on the filtered rows; rows updated (those the policies let the actor see and change).
pub async fn update(
    conn: &mut PgConnection,
    table: &Table,
    set: &Map<String, Value>,
    filter: &Map<String, Value>,
) -> Result<u64, sqlx::Error> {
    let assignments: Vec<String> = set.keys().map(|c| format!("{} = s.{}", ident(c), ident(c))).collect();
    let sql = format!(
        "UPDATE {} AS t SET {} FROM jsonb_populate_record(NULL::{}, $1) AS s WHERE {}",
        table.qualified(),
        assignments.join(", "),
        table.qualified(),
        filter_clause(table, "t", filter, 2)
    );
    Ok(sqlx::query(AssertSqlSafe(sql))
        .bind(Value::Object(set.clone()))
        .bind(Value::Object(filter.clone()))
        .execute(conn)
        .await?
        .rows_affected())
}

/// Deletes the filtered rows; rows deleted.
pub async fn delete(conn: &mut PgConnection, table: &Table, filter: &Map<String, Value>) -> Result<u64, sqlx::Error> {
    let sql = format!("DELETE FROM {} AS t WHERE {}", table.qualified(), filter_clause(table, "t", filter, 1));
    Ok(sqlx::query(AssertSqlSafe(sql)).bind(Value::Object(filter.clone())).execute(conn).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "device_connections".into(),
            columns: vec!["id".into(), "user_id".into(), "provider".into()],
            generated_key: vec!["id".into()],
            unique_text: Vec::new(),
        }
    }

    #[test]
    fn identifiers_are_quoted_and_quotes_doubled() {
        assert_eq!(ident("waivers"), "\"waivers\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(table().qualified(), "public.\"device_connections\"");
    }

    #[test]
    fn a_filter_compares_through_the_row_type_and_null_means_is_null() {
        let filter: Map<String, Value> = serde_json::from_value(json!({ "user_id": "2000", "provider": null })).unwrap();
        let clause = filter_clause(&table(), "t", &filter, 2);
        assert!(clause.contains("t.\"provider\" IS NULL"), "{clause}");
        assert!(
            clause.contains("t.\"user_id\" = (jsonb_populate_record(NULL::public.\"device_connections\", $2)).\"user_id\""),
            "{clause}"
        );
        assert_eq!(filter_clause(&table(), "t", &Map::new(), 1), "true");
    }

    #[test]
    fn unknown_tables_and_columns_are_refused_with_near_matches() {
        let all = vec![table()];
        let e = find(&all, "table", "device_connection").unwrap_err();
        assert_eq!(e.status(), 400);
        assert!(e.message.contains("device_connections"), "{}", e.message);
        assert!(find(&all, "table", "public.device_connections").is_ok());
        let e = table().check_columns("where", [&"usr_id".to_owned()]).unwrap_err();
        assert!(e.message.contains("user_id"), "{}", e.message);
    }
}
