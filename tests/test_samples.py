"""The bundled sample reports: one of each shape the product reads, each dated and sourced."""

from click.testing import CliRunner

from frontwatch.cli import main
from frontwatch.demo import bundled_samples
from frontwatch.ingest.read import ReadOptions, read_inputs
from frontwatch.pipeline import Failure
from frontwatch.settings import Settings


def test_every_sample_is_read_dated_and_sourced():
    docs = list(read_inputs([str(bundled_samples())], ReadOptions(), Settings()))
    assert not [d for d in docs if isinstance(d, Failure)]
    assert {d.fmt for d in docs} == {"text", "html", "telegram"}
    for doc in docs:
        assert doc.published and doc.published.startswith("2025-"), doc.id
        assert doc.source, doc.id
    [wire] = [d for d in docs if d.fmt == "text"]
    assert wire.title.startswith("Russia says it took village in Zaporizhzhia region")
    assert wire.author == "Iryna Kovalenko and Mark Ellison" and wire.source == "Dnipro Wire"
    assert "could not independently verify" in wire.text
    assert "captured the village of Kamianske" in wire.text and "denied that the village had fallen" in wire.text
    assert "killing two people and wounding nine" in wire.text
    assert "Reporting by" not in wire.text  # the credit line went to meta
    assert {d.lang for d in docs} == {"en", "uk"}


def test_ingesting_the_samples_twice_changes_nothing(tmp_path):
    runner = CliRunner()
    args = ["ingest", "--db", str(tmp_path / "s.db"), "--format", "json", str(bundled_samples())]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.stderr
    assert '"new": 7' in first.stdout and '"service message": 1' in first.stdout
    second = runner.invoke(main, args)
    assert '"new": 0' in second.stdout and '"known": 7' in second.stdout
