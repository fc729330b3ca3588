//! Parquet in and out: the same texts as Parquet and as JSONL give byte-identical records;
//! `clean` writes Parquet back with every other column, the schema, row order and row groups
//! as they were; null and missing texts, many files and directories; `--format parquet`.
//! Every Parquet file is written here, from the seeds in `fixtures/` and a generated corpus.

mod common;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Schema};
use common::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One document of a test corpus.
#[derive(Clone)]
struct Doc {
    id: Option<String>,
    text: Option<String>,
    source: String,
}

/// The five seeds and a generated corpus with near-duplicates, repeated passages and chrome.
fn corpus() -> Vec<Doc> {
    let mut docs = Vec::new();
    for prefix in ["000", "001", "002", "003", "004"] {
        let (name, text) = seed(prefix);
        docs.push(Doc {
            id: Some(name),
            text: Some(text),
            source: "seeds".into(),
        });
    }
    let config = chaff::generate::Config {
        docs: 60,
        sites: 3,
        doc_bytes: 1500,
        ..chaff::generate::Config::default()
    };
    let generator = chaff::generate::Generator::new(&config, 11).unwrap();
    let (mut jsonl, mut truth) = (Vec::new(), Vec::new());
    generator.write_jsonl(&mut jsonl, &mut truth).unwrap();
    for r in records(&jsonl) {
        docs.push(Doc {
            id: Some(r["id"].as_str().unwrap().into()),
            text: Some(r["text"].as_str().unwrap().into()),
            source: r["source"].as_str().unwrap().into(),
        });
    }
    docs
}

/// The documents as JSON Lines (`{"id","text","source"}`; a missing id or text left out).
fn write_jsonl(path: &Path, docs: &[Doc]) {
    let mut out = String::new();
    for d in docs {
        let mut object = serde_json::Map::new();
        if let Some(id) = &d.id {
            object.insert("id".into(), id.clone().into());
        }
        object.insert("text".into(), d.text.clone().into());
        object.insert("source".into(), d.source.clone().into());
        out.push_str(&serde_json::Value::Object(object).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// The documents as a table with other columns of several types around the text: a row
/// number, a nullable float, a list of strings, a boolean and a date.
fn table(docs: &[Doc]) -> RecordBatch {
    let n = docs.len();
    let mut tags = ListBuilder::new(StringBuilder::new());
    for i in 0..n {
        if i % 4 == 3 {
            tags.append_null();
        } else {
            for t in 0..i % 3 {
                tags.values().append_value(format!("tag{t}"));
            }
            tags.append(true);
        }
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("row", Arc::new(Int64Array::from_iter_values(0..n as i64))),
        (
            "id",
            Arc::new(StringArray::from_iter(docs.iter().map(|d| d.id.clone()))),
        ),
        (
            "weight",
            Arc::new(Float64Array::from_iter(
                (0..n).map(|i| (i % 5 != 0).then_some(i as f64 / 7.0)),
            )),
        ),
        (
            "text",
            Arc::new(StringArray::from_iter(docs.iter().map(|d| d.text.clone()))),
        ),
        ("tags", Arc::new(tags.finish())),
        (
            "source",
            Arc::new(StringArray::from_iter_values(
                docs.iter().map(|d| &d.source),
            )),
        ),
        (
            "fresh",
            Arc::new(BooleanArray::from_iter((0..n).map(|i| Some(i % 2 == 0)))),
        ),
        (
            "day",
            Arc::new(Date32Array::from_iter_values(
                (0..n as i32).map(|i| 20_000 + i),
            )),
        ),
    ];
    RecordBatch::try_from_iter(columns).unwrap()
}

/// Writes `batch` as Parquet with row groups of `group_rows` rows and a key-value pair of
/// its own in the footer.
fn write_parquet(path: &Path, batch: &RecordBatch, group_rows: usize) {
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            "made_by".into(),
            "tests/parquet.rs".to_string(),
        )]))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

/// A Parquet file read back: its schema, its row groups' sizes, its rows as one batch and its
/// key-value metadata.
struct ReadBack {
    schema: Arc<Schema>,
    groups: Vec<i64>,
    batch: RecordBatch,
    metadata: HashMap<String, String>,
}

fn read_parquet(path: &Path) -> ReadBack {
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = builder.schema().clone();
    let meta = builder.metadata().clone();
    let groups = meta.row_groups().iter().map(|g| g.num_rows()).collect();
    let metadata = meta
        .file_metadata()
        .key_value_metadata()
        .into_iter()
        .flatten()
        .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
        .collect();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(Result::unwrap).collect();
    let batch = arrow_select::concat::concat_batches(&schema, &batches).unwrap();
    ReadBack {
        schema,
        groups,
        batch,
        metadata,
    }
}

/// `chaff ARGS --format json --quiet` as bytes, the summary's timing taken out.
fn json_bytes(args: &[&std::ffi::OsStr]) -> String {
    let out = stdout_of(chaff().args(args).args(["--format", "json", "--quiet"]));
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("{\"kind\":\"summary\"") {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["seconds"] = 0.into();
                v.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn os<'a>(items: &'a [&'a dyn AsRef<std::ffi::OsStr>]) -> Vec<&'a std::ffi::OsStr> {
    items.iter().map(|s| s.as_ref()).collect()
}

#[test]
fn records_of_parquet_inputs_are_those_of_the_same_jsonl() {
    let docs = corpus();
    let dir = tempfile::tempdir().unwrap();
    let (pq, js) = (dir.path().join("pq"), dir.path().join("js"));
    std::fs::create_dir_all(&pq).unwrap();
    std::fs::create_dir_all(&js).unwrap();
    // Two files each, split at the same place; the Parquet ones in row groups of 7 rows.
    let half = docs.len() / 2;
    for (i, part) in [&docs[..half], &docs[half..]].into_iter().enumerate() {
        write_parquet(&pq.join(format!("part{i}.parquet")), &table(part), 7);
        write_jsonl(&js.join(format!("part{i}.jsonl")), part);
    }
    let (p0, p1) = (pq.join("part0.parquet"), pq.join("part1.parquet"));
    let (j0, j1) = (js.join("part0.jsonl"), js.join("part1.jsonl"));
    for command in ["scan", "dups", "passages", "chrome"] {
        let from_files = json_bytes(&os(&[&command, &p0, &p1]));
        let from_jsonl = json_bytes(&os(&[&command, &j0, &j1]));
        assert_eq!(
            from_files, from_jsonl,
            "chaff {command}: Parquet files vs JSONL"
        );
        // A directory of Parquet files reads as the files in name order.
        let from_dir = json_bytes(&os(&[&command, &pq]));
        assert_eq!(
            from_dir, from_jsonl,
            "chaff {command}: a directory of Parquet"
        );
    }
    // Something was found, so the comparison compared something.
    let found = records(json_bytes(&os(&[&"scan", &pq])).as_bytes());
    for kind in ["duplicate", "passage", "chrome"] {
        assert!(found.iter().any(|r| r["kind"] == kind), "no {kind} record");
    }
}

#[test]
fn clean_writes_parquet_with_every_other_column_as_it_was() {
    let docs = corpus();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let jsonl = dir.path().join("jsonl");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&jsonl).unwrap();
    let input = data.join("corpus.parquet");
    write_parquet(&input, &table(&docs), 9);
    write_jsonl(&jsonl.join("corpus.jsonl"), &docs);
    let before = std::fs::read(&input).unwrap();
    let original = read_parquet(&input);

    let out = dir.path().join("o");
    let log = dir.path().join("removed.jsonl");
    chaff()
        .arg("clean")
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .arg("--log")
        .arg(&log)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
    let cleaned = read_parquet(&out.join("data").join("corpus.parquet"));

    // The schema (names, types, nullability, field metadata) and the footer's own pairs.
    assert_eq!(cleaned.schema.fields(), original.schema.fields());
    assert_eq!(
        cleaned.metadata.get("made_by").map(String::as_str),
        Some("tests/parquet.rs")
    );

    // The same cleaning as of the same texts given as JSONL: the same documents dropped, the
    // same texts cut.
    let jsonl_out = dir.path().join("oj");
    chaff()
        .arg("clean")
        .arg(&jsonl)
        .arg("--out")
        .arg(&jsonl_out)
        .arg("--quiet")
        .assert()
        .success();
    let expected: Vec<(String, String)> =
        records(&std::fs::read(jsonl_out.join("jsonl").join("corpus.jsonl")).unwrap())
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
    let batch = &cleaned.batch;
    let ids = batch.column_by_name("id").unwrap().as_string::<i32>();
    let texts = batch.column_by_name("text").unwrap().as_string::<i32>();
    let got: Vec<(String, String)> = (0..batch.num_rows())
        .map(|i| (ids.value(i).to_string(), texts.value(i).to_string()))
        .collect();
    assert_eq!(got, expected);
    let log = records(&std::fs::read(&log).unwrap());
    assert!(
        log.iter().any(|r| r["kind"] == "duplicate"),
        "a row was dropped"
    );
    assert!(got.len() < docs.len());
    assert!(
        got.iter()
            .zip(&docs)
            .any(|((_, t), d)| Some(t) != d.text.as_ref()),
        "some text was cut"
    );

    // Every other column of every kept row, in the input's order, as it was.
    let rows = batch
        .column_by_name("row")
        .unwrap()
        .as_primitive::<Int64Type>();
    let kept: Vec<u32> = (0..batch.num_rows())
        .map(|i| rows.value(i) as u32)
        .collect();
    assert!(kept.windows(2).all(|w| w[0] < w[1]), "row order kept");
    let taken = arrow_select::take::take_record_batch(
        &original.batch,
        &arrow_array::UInt32Array::from(kept.clone()),
    )
    .unwrap();
    for field in original.schema.fields() {
        if field.name() == "text" {
            continue;
        }
        assert_eq!(
            batch.column_by_name(field.name()).unwrap().as_ref(),
            taken.column_by_name(field.name()).unwrap().as_ref(),
            "column {}",
            field.name()
        );
    }
    // Row groups: the input's, less the dropped rows (a group left empty is left out).
    let mut expected_groups = Vec::new();
    let mut start = 0i64;
    for &size in &original.groups {
        let left = kept
            .iter()
            .filter(|&&r| (start..start + size).contains(&(r as i64)))
            .count() as i64;
        if left > 0 {
            expected_groups.push(left);
        }
        start += size;
    }
    assert!(original.groups.len() > 3);
    assert_eq!(cleaned.groups, expected_groups);
}

#[test]
fn a_null_text_is_an_empty_document_kept_as_null_and_a_null_id_is_file_row() {
    let sentence = "the committee met on tuesday to discuss the new budget for the city \
                    schools and agreed to publish the full report next week after review";
    let repeated = format!("{sentence}.\nIn other news.\n{sentence}.\n");
    let docs = vec![
        Doc {
            id: Some("a".into()),
            text: None,
            source: "s".into(),
        },
        Doc {
            id: None,
            text: Some(repeated),
            source: "s".into(),
        },
        Doc {
            id: Some("c".into()),
            text: Some(String::new()),
            source: "s".into(),
        },
    ];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nulls.parquet");
    write_parquet(&input, &table(&docs), 2);
    let found =
        records(json_bytes(&os(&[&"scan", &input, &"--no-chrome", &"--no-dups"])).as_bytes());
    let passage = found
        .iter()
        .find(|r| r["kind"] == "passage")
        .expect("the repeat inside row 2 is found");
    assert_eq!(
        passage["id"].as_str().unwrap(),
        format!("{}:2", input.display()),
        "a row without an id is named FILE:ROW"
    );
    assert_eq!(passage["of"], passage["id"]);
    assert_eq!(
        found.last().unwrap()["documents"],
        3,
        "null text: a document"
    );

    let out = dir.path().join("o");
    chaff()
        .arg("clean")
        .arg(&input)
        .args(["--no-chrome", "--no-dups", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let cleaned = read_parquet(&out.join("nulls.parquet"));
    let texts = cleaned
        .batch
        .column_by_name("text")
        .unwrap()
        .as_string::<i32>();
    assert_eq!(texts.len(), 3);
    assert!(texts.is_null(0), "a null text stays null");
    assert_eq!(
        texts.value(1).matches(sentence).count(),
        1,
        "the copy is cut"
    );
    assert!(!texts.is_null(2) && texts.value(2).is_empty());
}

#[test]
fn a_missing_or_mistyped_text_column_is_an_error_naming_file_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("t.parquet");
    let batch = RecordBatch::try_from_iter([
        (
            "body",
            Arc::new(StringArray::from(vec!["one two three"])) as ArrayRef,
        ),
        ("n", Arc::new(Int64Array::from(vec![7])) as ArrayRef),
    ])
    .unwrap();
    write_parquet(&input, &batch, 10);
    let assert = chaff().arg("dups").arg(&input).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("t.parquet") && stderr.contains("`text`") && stderr.contains("body, n"),
        "{stderr}"
    );
    let assert = chaff()
        .arg("dups")
        .arg(&input)
        .args(["--text-field", "n"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("`n`") && stderr.contains("Int64"),
        "{stderr}"
    );
    // --text-field names the column to read.
    chaff()
        .arg("dups")
        .arg(&input)
        .args(["--text-field", "body", "--quiet"])
        .assert()
        .success();
    // Not Parquet at all: an error naming the file, not a panic.
    let bogus = dir.path().join("bogus.parquet");
    std::fs::write(&bogus, b"not parquet").unwrap();
    let assert = chaff().arg("dups").arg(&bogus).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("bogus.parquet"), "{stderr}");
}

#[test]
fn clean_refuses_to_write_a_parquet_input_over_itself() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("c.parquet");
    write_parquet(&input, &table(&corpus()[..5]), 10);
    let before = std::fs::read(&input).unwrap();
    chaff()
        .current_dir(dir.path())
        .args(["clean", "c.parquet", "--out", "."])
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

/// A row of the records table as the JSON object its record prints as: null columns left out,
/// `template_pages` and `template_source_pages` gathered into `template`.
fn row_as_json(batch: &RecordBatch, i: usize) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let mut template = Vec::new();
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        if column.is_null(i) {
            continue;
        }
        let value: serde_json::Value = match field.data_type() {
            DataType::Utf8 => column.as_string::<i32>().value(i).into(),
            DataType::UInt64 => column.as_primitive::<UInt64Type>().value(i).into(),
            DataType::Float64 => column.as_primitive::<Float64Type>().value(i).into(),
            DataType::Boolean => column.as_boolean().value(i).into(),
            other => panic!("unexpected column type {other}"),
        };
        if field.name().starts_with("template_") {
            template.push(value);
            if template.len() == 2 {
                object.insert("template".into(), std::mem::take(&mut template).into());
            }
            continue;
        }
        object.insert(field.name().clone(), value);
    }
    serde_json::Value::Object(object)
}

#[test]
fn format_parquet_holds_the_json_records_as_rows() {
    let docs = corpus();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("c.jsonl");
    write_jsonl(&input, &docs);
    let mut expected = records(json_bytes(&os(&[&"scan", &input])).as_bytes());
    let table = dir.path().join("records.parquet");
    let bytes = stdout_of(
        chaff()
            .arg("scan")
            .arg(&input)
            .args(["--format", "parquet", "--quiet"]),
    );
    std::fs::write(&table, bytes).unwrap();
    let back = read_parquet(&table);
    assert!(!back.schema.field_with_name("kind").unwrap().is_nullable());
    let mut got: Vec<serde_json::Value> = (0..back.batch.num_rows())
        .map(|i| row_as_json(&back.batch, i))
        .collect();
    // The summary's timing differs from run to run; its nulls are left out of a row.
    for list in [&mut expected, &mut got] {
        let summary = list.last_mut().unwrap();
        summary["seconds"] = 0.0.into();
        summary.as_object_mut().unwrap().retain(|_, v| !v.is_null());
    }
    assert!(expected.len() > 10);
    assert_eq!(got, expected);
}

#[test]
fn format_parquet_of_each_command_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("c.parquet");
    write_parquet(&input, &table(&corpus()), 16);
    for command in ["dups", "passages", "chrome"] {
        let json = records(json_bytes(&os(&[&command, &input])).as_bytes());
        let bytes = stdout_of(
            chaff()
                .arg(command)
                .arg(&input)
                .args(["--format", "parquet", "--quiet"]),
        );
        let table = dir.path().join(format!("{command}.parquet"));
        std::fs::write(&table, bytes).unwrap();
        let back = read_parquet(&table);
        let got: Vec<serde_json::Value> = (0..back.batch.num_rows())
            .map(|i| row_as_json(&back.batch, i))
            .collect();
        assert!(!json.is_empty(), "chaff {command} found nothing");
        assert_eq!(got, json, "chaff {command}");
    }
}
