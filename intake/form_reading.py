"""Reading the intake form's body: Starlette's multipart parser, with a typed refusal when a
submission carries more files than the page takes (Starlette says so only in its message)."""

from __future__ import annotations

from contextlib import aclosing

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request


class TooManyFiles(MultiPartException):
    """The submission holds more files than ``max_files``."""


class _Parser(MultiPartParser):
    def on_headers_finished(self) -> None:
        before = self._current_files
        try:
            super().on_headers_finished()
        except MultiPartException as exc:
            if self._current_files > before and self._current_files > self.max_files:
                raise TooManyFiles(exc.message) from None
            raise


async def read_form(request: Request, *, max_files: int, max_fields: int) -> FormData:
    """The form's fields and files.

    Raises:
        TooManyFiles: more than ``max_files`` files.
        MultiPartException, HTTPException: a body that is not a form.
    """
    content_type, _ = parse_options_header(request.headers.get("Content-Type"))
    if content_type != b"multipart/form-data":
        return await request.form(max_files=max_files, max_fields=max_fields)
    async with aclosing(request.stream()) as stream:
        parser = _Parser(request.headers, stream, max_files=max_files, max_fields=max_fields)
        return await parser.parse()
