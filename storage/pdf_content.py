"""What a PDF must not carry: scripts, launch actions, embedded files (ISO 32000-1).

Every object the document can reach from its trailer is visited once (pypdf reads object
streams and decodes ``#xx`` escapes in names, so neither hides a key), up to
``MAX_OBJECTS``; content streams are never decoded: only their dictionaries are read. A
script is an action of type ``/JavaScript`` or a ``/JS`` entry (§ 12.6.4.16), wherever it
hangs: the ``/OpenAction``, an ``/AA`` of the catalog, a page, an annotation or a form
field, or the ``/JavaScript`` name tree; a ``/Launch`` action starts a program (§ 12.6.4.5);
an embedded file is an ``/EmbeddedFiles`` name tree, an ``/EF`` file specification or a
file-attachment annotation (§ 7.11.4). Links (``/URI``) are kept: they open only when
clicked.
"""

from __future__ import annotations

from typing import Any

from storage.errors import EvidenceRejected

MAX_OBJECTS = 200_000
# entries whose presence is enough, the values of /S (an action's type), /Type and /Subtype
_KEYS = {
    "/JS": "сценарий JavaScript",
    "/JavaScript": "сценарий JavaScript",
    "/EmbeddedFiles": "вложенный файл",
    "/EF": "вложенный файл",
}
_ACTIONS = {
    "/JavaScript": "сценарий JavaScript",
    "/Launch": "запуск программы (Launch)",
    "/ImportData": "загрузка данных извне (ImportData)",
    "/RichMedia": "мультимедийное содержимое",
}
_KINDS = {"/EmbeddedFile": "вложенный файл"}
_SUBTYPES = {"/FileAttachment": "вложенный файл", "/RichMedia": "мультимедийное содержимое"}


def check_pdf_content(trailer: Any) -> None:
    """Refuse a PDF whose reachable objects carry a script, a launch or an embedded file.

    Args:
        trailer: pypdf's ``PdfReader.trailer`` of the opened file.

    Raises:
        EvidenceRejected: the first such object, said in Russian; or more than
            ``MAX_OBJECTS`` objects.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    todo: list[Any] = [trailer]
    visited = 0
    while todo:
        node = todo.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise EvidenceRejected(f"в PDF больше {MAX_OBJECTS} объектов: файл слишком сложен")
        if isinstance(node, DictionaryObject):
            _check_dictionary(node)
            todo.extend(v for k, v in node.items() if k != "/Parent")
        elif isinstance(node, ArrayObject):
            todo.extend(node)


def _check_dictionary(node: Any) -> None:
    found = next((what for key, what in _KEYS.items() if key in node), None)
    for entry, meanings in (("/S", _ACTIONS), ("/Type", _KINDS), ("/Subtype", _SUBTYPES)):
        found = found or meanings.get(str(node.get(entry, "")))
    if found:
        raise EvidenceRejected(
            f"в PDF есть {found}: такие файлы не принимаются; сохраните документ в PDF "
            "заново без них (например, «Печать» → «Сохранить как PDF»)"
        )
