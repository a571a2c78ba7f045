"""The `dealwatch` command line in-process and as the installed console script: help, and one-line
errors (exit code 2, no traceback) for every mistake a user can make before a run starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dealwatch.cli import main
from schemas import MODELS
from schemas.dictionary import render

SUBCOMMANDS = ["run", "reprocess", "compact", "sql", "check", "serve", "ui", "eval", "docs"]


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert lines[0].startswith("dealwatch: ")
    return lines[0]


@pytest.mark.parametrize("argv", [["--help"], *[[command, "--help"] for command in SUBCOMMANDS]])
def test_help_works_for_every_command(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: dealwatch")
    if argv == ["--help"]:
        assert all(command in out for command in SUBCOMMANDS)
    else:
        assert f"dealwatch {argv[0]}" in out


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage: dealwatch" in capsys.readouterr().err


def test_a_missing_inbox_is_one_line_naming_the_folder(tmp_path, capsys):
    missing = tmp_path / "no such inbox"
    assert main(["run", "--inbox", str(missing), "--warehouse", str(tmp_path / "wh")]) == 2
    line = _one_line_error(capsys)
    assert str(missing) in line and "does not exist" in line
    assert not (tmp_path / "wh").exists(), "nothing is created when the run cannot start"


def test_an_inbox_that_is_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "inbox.txt").write_text("not a folder")
    assert main(["run", "--inbox", str(tmp_path / "inbox.txt"), "--warehouse", str(tmp_path / "wh")]) == 2
    assert "inbox.txt" in _one_line_error(capsys)


def test_an_unwritable_warehouse_is_one_line(tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "afile").write_text("a file, not a folder")
    target = tmp_path / "afile" / "wh"
    assert main(["run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(target)]) == 2
    line = _one_line_error(capsys)
    assert str(target) in line and "not writable" in line


@pytest.mark.parametrize(
    ("variable", "value", "setting"),
    [
        ("DEALWATCH_MAX_FILE_BYTES", "abc", "max_file_bytes"),
        ("DEALWATCH_MAX_FILE_BYTES", "0", "max_file_bytes"),
        ("DEALWATCH_TIMEZONE", "Mars/Base", "timezone"),
        ("DEALWATCH_SCHEDULE_CRON", "not a cron", "schedule_cron"),
        ("DEALWATCH_MIN_FILE_AGE_SECONDS", "-1", "min_file_age_seconds"),
        ("DEALWATCH_COMPACT_MIN_FILES", "1", "compact_min_files"),
    ],
)
@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_bad_setting_in_the_environment_is_one_line_naming_it(
    command, variable, value, setting, tmp_path, monkeypatch, capsys
):
    (tmp_path / "inbox").mkdir()
    monkeypatch.setenv(variable, value)
    assert main([command, "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "wh")]) == 2
    line = _one_line_error(capsys)
    assert f"'{setting}'" in line and variable in line, line
    assert not (tmp_path / "wh").exists()


def test_docs_writes_the_data_dictionary(tmp_path, capsys):
    output = tmp_path / "nested" / "data-dictionary.md"
    assert main(["docs", "--output", str(output)]) == 0
    assert str(output) in capsys.readouterr().out
    text = output.read_text(encoding="utf-8")
    assert text == render()
    for table in MODELS:
        assert f"\n## {table}\n" in text, table
    assert "| amount | double? |" in text


def _console_script() -> Path:
    script = Path(sys.executable).parent / "dealwatch"
    if not script.exists():
        pytest.fail(f"the dealwatch console script is not installed next to {sys.executable}")
    return script


def test_the_installed_console_script_exits_2_with_one_line(tmp_path):
    missing = tmp_path / "missing"
    result = subprocess.run(
        [str(_console_script()), "run", "--inbox", str(missing), "--warehouse", str(tmp_path / "wh")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(missing) in result.stderr and result.stderr.startswith("dealwatch: ")
    assert result.stdout == ""


def test_a_warehouse_that_is_a_file_is_named_as_such(tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "wh").write_text("a file")
    assert main(["run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "wh")]) == 2
    line = _one_line_error(capsys)
    assert "is a file, not a folder" in line and "File exists" not in line


def test_an_unknown_option_shows_the_usage_of_its_command(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["run", "--bogus"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: dealwatch run") and "--bogus" in err


@pytest.mark.parametrize(
    ("command", "option", "words"),
    [("sql", "--format", "list columns as JSON"), ("docs", "--output", "file to write")],
)
def test_every_option_has_help_text(command, option, words, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert option in out and words in out


def test_docs_outside_the_checkout_writes_the_checkouts_dictionary(tmp_path, monkeypatch, capsys):
    from tests.conftest import REPO

    monkeypatch.chdir(tmp_path)
    assert main(["docs"]) == 0
    assert str(REPO / "docs" / "data-dictionary.md") in capsys.readouterr().out
    assert not (tmp_path / "docs").exists()
    assert (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == render()


def test_compact_says_when_nothing_needed_merging(tmp_path, capsys, prefect_api):
    assert main(["compact", "--warehouse", str(tmp_path / "wh")]) == 0
    assert capsys.readouterr().out == "nothing to merge: every partition already has one file\n"


def test_a_port_whose_last_server_just_stopped_is_free_again():
    """A stopped server leaves its accepted connections in TIME_WAIT for about a minute."""
    import socket

    from dealwatch.server import free_port, port_free

    port = free_port()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    assert not port_free(port), "a listening port is in use"
    accepted.close()  # the server side closes first: its end of the connection waits in TIME_WAIT
    client.close()
    server.close()
    assert port_free(port)


def test_tests_read_a_copy_of_the_sample_not_the_live_seeds_folder():
    """Users drop articles into seeds/ (README); the tests' expectations are about the five samples."""
    from tests.conftest import REPO, SEED_FILES, SEEDS

    assert SEEDS.resolve() != (REPO / "seeds").resolve()
    assert sorted(path.name for path in SEEDS.iterdir()) == sorted(SEED_FILES)


@pytest.mark.e2e
def test_a_command_without_a_server_starts_its_own_and_stops_it(tmp_path):
    import psutil

    from tests.conftest import SEEDS

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes((SEEDS / "003_6604540107b740a4.txt").read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DEALWATCH_"))}
    # Prefect's own database (as `make run` uses it: a fresh one would add its migrations to the test).
    marker = f"test-{os.getpid()}-{tmp_path.name}"
    env |= {"TEST_SERVER_MARKER": marker, "DEALWATCH_MIN_FILE_AGE_SECONDS": "0"}
    done = subprocess.run(
        [str(_console_script()), "run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "wh")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1 ingested" in done.stdout
    assert "Error" not in done.stderr, done.stderr[-3000:]  # e.g. logs sent after the server stopped
    servers = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            command = " ".join(process.info["cmdline"] or [])
            if "server" in command and process.environ().get("TEST_SERVER_MARKER") == marker:
                servers.append(process)
        except psutil.Error:
            continue
    assert not servers, "the temporary server outlived the command"
