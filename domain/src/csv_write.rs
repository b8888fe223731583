//! Writing CSV: one writer for every download (the permission matrix, the KRUXT RLS matrix),
//! quoting by the `csv` crate's rules.

/// A header line and one line per row; cells with commas, quotes or line breaks are quoted.
pub fn to_csv<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    // Writing to memory cannot fail; a cell is text, so the result is text.
    writer.write_record(header).expect("writing CSV to memory");
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(|c| c.as_ref().to_owned()).collect();
        writer.write_record(&cells).expect("writing CSV to memory");
    }
    let bytes = writer.into_inner().expect("flushing CSV to memory");
    String::from_utf8(bytes).expect("CSV of text is text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_only_when_they_need_it() {
        let text = to_csv(&["a", "b"], [vec!["plain", "with, comma"], vec!["say \"hi\"", "two\nlines"]]);
        assert_eq!(text, "a,b\nplain,\"with, comma\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n");
    }
}
