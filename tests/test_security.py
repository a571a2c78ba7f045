"""Flow runs can be created by anyone who reaches the Prefect API, so their paths are held to the
allowed roots; and a password inside PREFECT_API_URL is never logged."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from core.errors import ConfigError
from tests.conftest import SEEDS
from tests.prefect_server import BIN

ARTICLE = "003_6604540107b740a4.txt"


def test_flow_runs_refuse_an_inbox_or_warehouse_outside_the_allowed_roots(tmp_path, monkeypatch, prefect_api):
    from flows.compact import compact
    from flows.ingest import ingest
    from flows.reprocess import reprocess

    inbox, warehouse, secrets = tmp_path / "inbox", tmp_path / "warehouse", tmp_path / "dot-ssh"
    inbox.mkdir()
    secrets.mkdir()
    shutil.copy(SEEDS / ARTICLE, inbox / ARTICLE)
    (secrets / "id_key.txt").write_text("PRIVATE KEY MATERIAL\n")
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.delenv("DEALWATCH_ALLOWED_ROOTS")
    monkeypatch.setenv("DEALWATCH_INBOX", str(inbox))
    monkeypatch.setenv("DEALWATCH_WAREHOUSE", str(warehouse))

    attempts = [
        lambda: ingest(inbox=str(secrets)),
        lambda: ingest(inbox=str(inbox / ".." / "dot-ssh")),
        lambda: ingest(warehouse=str(elsewhere)),
        lambda: reprocess(warehouse=str(elsewhere)),
        lambda: compact(warehouse=str(elsewhere)),
    ]
    for attempt in attempts:
        with pytest.raises(ConfigError, match="outside the allowed folders"):
            attempt()
    assert not elsewhere.exists() and not warehouse.exists(), "a refused run created nothing"

    assert ingest()["files_ingested"] == 1  # the configured folders
    assert ingest(inbox=str(inbox), warehouse=str(warehouse / "."))["files_new"] == 0
    monkeypatch.setenv("DEALWATCH_ALLOWED_ROOTS", f"{inbox}:{warehouse}:{secrets}")
    assert ingest(inbox=str(secrets))["files_ingested"] == 1


def test_a_password_in_the_api_url_is_not_logged(prefect_server, tmp_path):
    api, env = prefect_server
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / ARTICLE, inbox / ARTICLE)
    with_password = api.replace("http://", "http://analyst:pa55-SECRET-word@")
    done = subprocess.run(
        [str(BIN / "dealwatch"), "run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "warehouse")],
        env={**env, "PREFECT_API_URL": with_password, "PREFECT_LOGGING_LEVEL": "INFO"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    output = done.stdout + done.stderr
    assert f"View at {api.removesuffix('/api')}/runs/flow-run/" in output
    assert "pa55-SECRET-word" not in output


def test_eval_with_the_flow_may_use_its_own_temporary_folder(tmp_path, monkeypatch, prefect_api):
    """`dealwatch eval --flow` ingests into a temporary folder of its own: not refused as outside."""
    from dealwatch.flow_eval import evaluate
    from tests.conftest import REPO

    monkeypatch.setenv("DEALWATCH_ALLOWED_ROOTS", str(tmp_path / "configured"))
    report = evaluate(REPO / "eval" / "seeds" / "gold", SEEDS, only=[ARTICLE])
    assert "error" not in report["documents"][ARTICLE], report["documents"]
