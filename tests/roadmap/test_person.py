"""How a signature block writes a person's name: «И.О. Фамилия», whichever order the
program data or the contacts list gives the name in."""

from __future__ import annotations

import pytest

from roadmap.program.model import Person


@pytest.mark.parametrize(
    ("name", "signed"),
    [
        ("Орлов Сергей Викторович", "С.В.\u00a0Орлов"),
        ("Сергей Викторович Орлов", "С.В.\u00a0Орлов"),  # as the contacts list writes it
        ("Кузнецова Вера Михайловна", "В.М.\u00a0Кузнецова"),
        ("Вера Михайловна Кузнецова", "В.М.\u00a0Кузнецова"),
        ("Иванов Иван", "И.\u00a0Иванов"),
        ("Алиев Рашид Гасан оглы", "Р.Г.\u00a0Алиев"),
        ("Иванов", "Иванов"),
        (None, None),
    ],
)
def test_initials_then_surname(name: str | None, signed: str | None) -> None:
    assert Person(name=name).initials_name == signed
