// The README's table of record fields, read for the tests that hold the records to it. The
// library's unit test includes this file too (with `include!`, hence no inner doc comment), so
// both read the table the same way.

use std::collections::BTreeMap;

/// The README's table of record fields: kind → [(field, optional)] in the listed order, from
/// the rows `` | `kind` | `field`, `optional?`, ... | `` of its `## Records` section.
pub fn readme_fields(readme: &str) -> BTreeMap<String, Vec<(String, bool)>> {
    let start = readme
        .find("\n## Records\n")
        .expect("the README has a Records section")
        + 1;
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut out = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let fields = cells[2]
            .split(',')
            .map(|f| {
                let f = f.trim().trim_matches('`');
                match f.strip_suffix('?') {
                    Some(name) => (name.to_string(), true),
                    None => (f.to_string(), false),
                }
            })
            .collect();
        out.insert(cells[1].trim_matches('`').to_string(), fields);
    }
    out
}
