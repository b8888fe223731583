//! A KRUXT database's callable functions, read from its catalog: the overloads of a name with
//! their input arguments, defaults and what they return, and every name (for near matches).

use sqlx::{FromRow, PgConnection};
use wire::model::RpcReturns;

/// One overload of a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    /// Input argument names and types (`uuid`, `text[]`, `jsonb`), in order.
    pub args: Vec<(String, String)>,
    /// How many trailing arguments have defaults.
    pub defaults: usize,
    pub returns: RpcReturns,
}

#[derive(FromRow)]
struct OverloadRow {
    names: Vec<String>,
    types: Vec<String>,
    defaults: i32,
    retset: bool,
    kind: Option<String>,
    void: bool,
}

/// The overloads of `public.<name>`, fewest arguments first.
pub async fn overloads(conn: &mut PgConnection, name: &str) -> Result<Vec<Signature>, sqlx::Error> {
    let rows: Vec<OverloadRow> = sqlx::query_as(
        "SELECT array(SELECT a.n FROM unnest(coalesce(p.proargnames, array_fill(''::text, ARRAY[p.pronargs])),
                                      coalesce(p.proargmodes, array_fill('i'::\"char\", ARRAY[p.pronargs])))
                             WITH ORDINALITY AS a(n, m, i) WHERE a.m IN ('i', 'b', 'v') ORDER BY a.i) AS names,
                array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, i) ORDER BY u.i) AS types,
                p.pronargdefaults::int4 AS defaults,
                p.proretset AS retset,
                (SELECT typtype::text FROM pg_type WHERE oid = p.prorettype) AS kind,
                p.prorettype = 'void'::regtype AS void
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.proname = $1 AND p.prokind = 'f'
         ORDER BY p.pronargs",
    )
    .bind(name)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let returns = if r.void {
                RpcReturns::Void
            } else if r.retset || matches!(r.kind.as_deref(), Some("c" | "p")) {
                RpcReturns::Rows
            } else {
                RpcReturns::Value
            };
            Signature {
                name: name.to_owned(),
                args: r.names.into_iter().zip(r.types).collect(),
                defaults: usize::try_from(r.defaults).unwrap_or(0),
                returns,
            }
        })
        .collect())
}

/// The names of every callable function of `public`.
pub async fn names(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind = 'f' ORDER BY 1")
        .fetch_all(conn)
        .await
}
