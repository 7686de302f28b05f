"""Keys and passwords of real strength in production, and the link key made once and kept
when none is set (never a development default)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from services.keys import keep_secret, strength_problem
from services.runtime import Runtime
from services.settings import Settings, SettingsError, get_settings
from services.tokens import InvalidLink, make_token, read_token
from tests.conftest import REPO

NOW = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
TTL = dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("dev-secret", "заглушка"),
        ("1", "короче 32 символов"),
        ("abcd" * 8, "предсказуемо"),  # 32 bytes of four characters
        ("abcdefghijklmnop" * 2, "предсказуемо"),  # sixteen characters said twice
        ("0123456789" * 4, "предсказуемо"),
        ("a" * 64, "предсказуемо"),
    ],
)
def test_a_weak_value_is_refused_with_a_russian_reason(value: str, why: str) -> None:
    problem = strength_problem(value)
    assert problem is not None and why in problem


HEX = random.Random(16)
# made when the test runs, not when it is collected: every process of a parallel run
# collects the same names
STRONG = {
    "token_urlsafe(32)": lambda: secrets.token_urlsafe(32),
    "token_urlsafe(24), what roadmap up generates as its password": lambda: secrets.token_urlsafe(
        24
    ),
    # 128 random bits in 32 hexadecimal digits score under 100 about once in 27 000 draws
    # (services/keys.py): these are drawn from a seeded generator, the same ones every run
    "token_hex(16), as openssl rand -hex 16": lambda: HEX.randbytes(16).hex(),
    "a long varied phrase": lambda: "one key for every machine of the stack, 32+ bytes",
}


@pytest.mark.parametrize("made", STRONG)
def test_a_random_or_long_varied_value_is_strong(made: str) -> None:
    for _ in range(20):  # a random value is strong every time, not by luck
        assert strength_problem(STRONG[made]()) is None


@pytest.mark.parametrize("auth", ["roadmap:1", "a:a", "roadmap:" + "abcd" * 8])
def test_production_refuses_a_weak_prefect_auth_string_naming_it_and_how_to_make_one(
    auth: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ROADMAP_HOME", str(tmp_path))
    monkeypatch.setenv("ROADMAP_ENVIRONMENT", "production")
    monkeypatch.setenv("ROADMAP_PREFECT_AUTH_STRING", auth)
    monkeypatch.delenv("ROADMAP_INTAKE_SECRET", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as caught:
            get_settings()
    finally:
        get_settings.cache_clear()
    message = str(caught.value)
    assert "ROADMAP_PREFECT_AUTH_STRING в режиме production: пароль" in message
    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in message
    assert auth.split(":")[1] not in message.replace("secrets.token_urlsafe(32)", "")


def test_without_a_key_one_is_made_once_kept_private_and_a_dev_secret_link_is_refused(
    tmp_path: Path,
) -> None:
    first = Runtime(Settings(home=tmp_path, environment="production"), offline=True)
    key = first.intake_key
    kept = tmp_path / "intake-key"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and key != b"dev-secret"
    assert strength_problem(key.decode()) is None
    token = make_token("p:1.1:2026", "org", key=key, now=NOW, ttl=TTL)
    again = Runtime(Settings(home=tmp_path, environment="production"), offline=True)
    assert again.intake_key == key  # a restart: links signed before still open
    read_token(token, key=again.intake_key, now=NOW)
    forged = make_token("p:1.1:2026", "org", key=b"dev-secret", now=NOW, ttl=TTL)
    with pytest.raises(InvalidLink) as caught:
        read_token(forged, key=again.intake_key, now=NOW)
    assert caught.value.reason == "forged"
    # an explicitly set key is used as given (a test's, or machines sharing one)
    given = Runtime(Settings(home=tmp_path, intake_secret=SecretStr("dev-secret")), offline=True)
    assert given.intake_key == b"dev-secret"


def test_processes_starting_at_once_keep_one_key(tmp_path: Path) -> None:
    path = tmp_path / "lane" / "intake-key"
    code = (
        "import sys, pathlib; from services.keys import keep_secret; "
        "print(keep_secret(pathlib.Path(sys.argv[1])))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    values = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert values == {keep_secret(path)} and len(values.pop()) >= 43
    assert [p.name for p in path.parent.iterdir()] == ["intake-key"]  # no drafts left
