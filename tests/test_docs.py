"""The documentation stays true: a short README over pages in docs/, every command and every
setting documented, every link resolving, no paragraph written twice."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from cli.main import registered

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
PAGES = sorted((REPO / "docs").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _all_text() -> str:
    return "\n".join(p.read_text("utf-8") for p in [README, *PAGES])


def _commands(group: typer.Typer, prefix: str = "roadmap") -> list[tuple[str, object]]:
    out = []
    for cmd in group.registered_commands:
        name = cmd.name or cmd.callback.__name__  # type: ignore[union-attr]
        out.append((f"{prefix} {name}", cmd.callback))
    for sub in group.registered_groups:
        out.extend(_commands(sub.typer_instance, f"{prefix} {sub.name}"))  # type: ignore[arg-type]
    return out


def test_the_readme_is_a_short_front_door_to_every_page() -> None:
    text = README.read_text("utf-8")
    assert len(text.splitlines()) <= 300
    linked = {m.split("#")[0] for m in LINK.findall(text)}
    for page in PAGES:
        assert f"docs/{page.name}" in linked, f"the README does not link docs/{page.name}"


def test_every_command_has_help_and_is_documented() -> None:
    text = _all_text()
    for name, callback in _commands(registered()):
        assert (callback.__doc__ or "").strip(), f"{name} has no help"
        assert name in text, f"{name} is in neither the README nor docs/"


def test_every_setting_is_in_the_settings_page() -> None:
    from services.settings import Settings

    page = (REPO / "docs" / "settings.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"`ROADMAP_{name.upper()}`" in page, f"ROADMAP_{name.upper()} is not documented"


def _anchors(path: Path) -> set[str]:
    out = set()
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def test_every_link_between_the_pages_resolves() -> None:
    for page in [README, *PAGES]:
        for target in LINK.findall(page.read_text("utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file, _, anchor = target.partition("#")
            path = (page.parent / file).resolve() if file else page
            assert path.exists(), f"{page.name}: {target} leads nowhere"
            if anchor:
                assert anchor in _anchors(path), f"{page.name}: no «#{anchor}» in {path.name}"


def _paragraphs(text: str) -> list[str]:
    """Prose paragraphs (no tables, no code), each on one line."""
    blocks = re.split(r"\n\s*\n", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    return [" ".join(b.split()) for b in blocks if b.strip() and not b.lstrip().startswith("|")]


def artefacts(pages: dict[str, str]) -> list[str]:
    """What a bad merge leaves: a paragraph written twice, or eight words in a row written
    twice within one paragraph («…sync the program; serve all 100 deployments … sync the
    program; serve all 101 deployments»)."""
    found = []
    seen: dict[str, str] = {}
    for name, text in pages.items():
        for paragraph in _paragraphs(text):
            if len(paragraph) > 80 and paragraph in seen:
                found.append(f"{name} repeats {seen[paragraph]}: {paragraph[:60]}…")
            seen.setdefault(paragraph, name)
            words = paragraph.split()
            shingles = [" ".join(words[i : i + 8]) for i in range(len(words) - 7)]
            twice = {s for s in shingles if shingles.count(s) > 1}
            if twice:
                found.append(f"{name}: «{sorted(twice)[0]}» twice in one paragraph")
    return found


def test_no_paragraph_is_written_twice() -> None:
    pages = {p.name: p.read_text("utf-8") for p in [README, *PAGES]}
    assert artefacts(pages) == []


def test_the_check_finds_the_merge_artefacts_it_is_for() -> None:
    # the README's own, before it was mended
    first = (
        "Run the main job on the embedded defaults (set up; start a local Prefect server on\n"
        "SQLite; sync the program; serve all 100 deployments; messages go to the file outbox\n"
        "under `.roadmap/outbox`). It prints the UI address, http://127.0.0.1:4200, and how to\n"
        "log in; Ctrl-C stops everything it started:\n"
        "sync the program; serve all 101 deployments; messages go to the file outbox under\n"
        "`.roadmap/outbox`). It prints the UI address, http://127.0.0.1:4200; Ctrl-C stops\n"
    )
    intake = "The page is served by uvicorn and tested with FastAPI's test client for the rules."
    found = artefacts({"a.md": first, "b.md": f"{intake}\n\ntext\n\n{intake}\n"})
    assert len(found) == 2 and "twice in one paragraph" in found[0] and "repeats" in found[1]
