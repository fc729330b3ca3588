"""The Python API gives the `chaff` binary's records, on the fixtures and a generated corpus."""

import json
import subprocess

import pytest

import chaff
from conftest import FIXTURES, binary, read_jsonl, run_chaff


def jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def without_summary(text: str) -> str:
    return "".join(l + "\n" for l in text.splitlines() if '"kind":"summary"' not in l)


# --- the corpus functions against the CLI ---------------------------------------------------


def test_dedup_equals_cli_on_fixtures(fixture_rows):
    assert chaff.dedup(fixture_rows, output="jsonl") == run_chaff("dups", str(FIXTURES), "--format", "json")


def test_scan_equals_cli_on_fixtures(fixture_rows):
    cli = without_summary(run_chaff("scan", str(FIXTURES), "--format", "json"))
    assert chaff.scan(fixture_rows, output="jsonl") == cli
    assert cli, "the fixtures carry chrome lines: an empty scan would prove nothing"


@pytest.mark.parametrize("containment,keep", [(0.8, "first"), (None, "first"), (0.8, "longest")])
def test_dedup_equals_cli_on_a_generated_corpus(generated, containment, keep):
    rows = read_jsonl(generated)
    args = ["dups", str(generated), "--format", "json", "--keep", keep]
    if containment is None:
        args.append("--containment=0")
    cli = run_chaff(*args)
    assert cli.count("\n") > 20, "the generated corpus plants near-duplicates"
    assert chaff.dedup(rows, output="jsonl", containment=containment, keep=keep) == cli


def test_dedup_of_an_arrow_table_equals_cli_on_the_parquet_file(generated, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = read_jsonl(generated)
    table = pa.table(
        {
            "id": [r["id"] for r in rows],
            "text": [r["text"] for r in rows],
            "source": [r.get("source") for r in rows],
        }
    )
    path = tmp_path / "corpus.parquet"
    # Small row groups: the CLI's reader must number documents across them as the table does.
    pq.write_table(table, path, row_group_size=max(1, len(rows) // 3))
    cli = run_chaff("dups", str(path), "--format", "json")
    assert cli.count("\n") > 20, "the generated corpus plants near-duplicates"
    assert chaff.dedup(table, output="jsonl") == cli


def test_scan_equals_cli_on_a_generated_corpus(generated):
    rows = read_jsonl(generated)
    cli = without_summary(run_chaff("scan", str(generated), "--format", "json"))
    assert chaff.scan(rows, output="jsonl") == cli


def test_clean_equals_cli_on_a_generated_corpus(generated, tmp_path):
    rows = read_jsonl(generated)
    out, log = tmp_path / "out", tmp_path / "log.jsonl"
    subprocess.run(
        [str(binary("chaff")), "clean", str(generated), "--out", str(out), "--log", str(log), "--quiet"],
        check=True,
    )
    cleaned, removals = chaff.clean(rows, log=True)
    assert cleaned == read_jsonl(out / generated.name)
    assert removals == read_jsonl(log)
    assert len(cleaned) < len(rows)


def test_chrome_lines_and_learned_model_equal_cli(generated, tmp_path):
    rows = read_jsonl(generated)
    model = tmp_path / "model.json"
    cli = read_jsonl_text(run_chaff("chrome", str(generated), "--format", "json", "--learn", str(model)))
    mine = chaff.chrome_lines([r["text"] for r in rows], [r.get("source") for r in rows])
    ids = [r["id"] for r in rows]
    assert [{**r, "id": ids[r["id"]]} for r in mine] == cli
    assert cli


def read_jsonl_text(text: str) -> list:
    return [json.loads(l) for l in text.splitlines()]


# --- the shapes of data accepted ------------------------------------------------------------


def test_every_kind_of_data_gives_the_same_records(generated):
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    rows = read_jsonl(generated)[:300]
    want = chaff.dedup(rows)
    assert want, "the first 300 generated documents hold near-duplicates"
    assert chaff.dedup(pd.DataFrame(rows)) == want
    assert chaff.dedup(pa.Table.from_pylist(rows)) == want
    datasets = pytest.importorskip("datasets")
    assert chaff.dedup(datasets.Dataset.from_list(rows)) == want
    table = chaff.dedup(rows, output="table")
    assert table.to_pylist() == want


def test_columns_mark_exactly_the_reported_duplicates(generated):
    pd = pytest.importorskip("pandas")
    rows = read_jsonl(generated)[:300]
    records = chaff.dedup(rows)
    frame = chaff.dedup(pd.DataFrame(rows), output="columns")
    dropped = frame[~frame["keep"]]
    assert list(dropped["id"]) == [r["id"] for r in records]
    assert list(dropped["of"]) == [r["of"] for r in records]
    kept_in_clusters = frame[frame["keep"] & frame["cluster"].notna()]
    assert set(kept_in_clusters["cluster"]) == {r["cluster"] for r in records}


def test_a_list_of_strings_is_numbered_by_position():
    article = " ".join(f"word{i}" for i in range(120))
    edited = article.replace("word60", "changed")
    found = chaff.dedup([article, "something else", edited])
    assert [(r["id"], r["of"], r["cluster"]) for r in found] == [("2", "0", 1)]
    assert found[0]["similarity"] > 0.9


def test_clean_keeps_other_fields_and_the_first_copy():
    article = " ".join(f"word{i}" for i in range(120))
    rows = [{"id": "a", "text": article, "lang": "en"}, {"id": "b", "text": article + " more", "lang": "fa"}]
    assert chaff.clean(rows, passages=False, chrome=False) == [rows[0]]


# --- batch functions ------------------------------------------------------------------------


def test_batch_functions_accept_lists_arrow_and_pandas(generated):
    pa = pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    texts = [r["text"] for r in read_jsonl(generated)[:50]]
    sigs = chaff.signatures(texts)
    assert sigs.shape == (50, 128)
    assert (chaff.signatures(pa.array(texts)) == sigs).all()
    assert (chaff.signatures(pd.Series(texts)) == sigs).all()
    keys = chaff.band_keys(texts)
    assert keys.shape == (50, sum(b for b, _ in chaff.banding()))
    assert (chaff.band_keys(sigs) == keys).all()


def test_verify_pairs_gives_the_similarity_the_cli_reports(generated):
    rows = read_jsonl(generated)
    by_id = {r["id"]: r["text"] for r in rows}
    records = chaff.dedup(rows)
    pairs = chaff.verify_pairs([by_id[r["id"]] for r in records], [by_id[r["of"]] for r in records])
    assert [(chaff.round4(j), chaff.round4(c)) for j, c in pairs] == [
        (r["similarity"], r["containment"]) for r in records
    ]


def test_missing_texts_are_empty_documents():
    pd = pytest.importorskip("pandas")
    series = pd.Series(["a b c d e f", None, float("nan")])
    sigs = chaff.signatures(series)
    assert (sigs[1] == 0xFFFFFFFF).all() and (sigs[2] == 0xFFFFFFFF).all()
    assert not (sigs[0] == 0xFFFFFFFF).all()


def test_empty_documents_never_pair():
    keys = chaff.band_keys(["", "", "   "])
    assert (keys == 0).all()
    assert chaff.dedup(["", "", ""]) == []


def test_passages_are_found_across_a_batch():
    lead = " ".join(f"w{i}" for i in range(30))
    found = chaff.passages([lead, "other words here and then " + lead])
    assert [(p["id"], p["of"]) for p in found] == [(1, 0)]


def test_round4_rounds_half_away_from_zero():
    assert chaff.round4(0.00005) == 0.0001
    assert chaff.round4(0.12345) == round(0.12345 + 1e-12, 4)
    assert chaff.round4(1.0) == 1.0


# --- errors carry the place -------------------------------------------------------------------


def test_a_bad_setting_names_its_field():
    with pytest.raises(chaff.ConfigError) as e:
        chaff.dedup(["a b c"], threshold=7.0)
    assert e.value.field == "dups.threshold"
    assert "7" in str(e.value)


def test_a_row_without_text_names_the_record():
    with pytest.raises(chaff.InputError, match="record 1"):
        chaff.dedup([{"id": "a", "text": "x"}, {"id": "b"}])


def test_input_advice_names_the_python_option():
    texts = ["short one", "word " * 400]
    with pytest.raises(chaff.InputError) as e:
        chaff.scan(texts, max_doc_bytes=1000)
    assert e.value.record == 1
    assert "raise it with max_doc_bytes=..." in str(e.value)
    assert "corpus.max_doc_bytes" not in str(e.value)
    # The option it names is the one that lets the document through.
    chaff.scan(texts, max_doc_bytes=len(texts[1]) + 100)


def test_a_non_string_text_names_its_position():
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        chaff.signatures(["a", 5])
