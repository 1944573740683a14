"""The app's request class: a smaller body limit for requests that are not file uploads."""

from __future__ import annotations

from flask import Request, current_app


class SinergiRequest(Request):
    """``MAX_CONTENT_LENGTH`` is sized for multipart uploads (several files). Werkzeug reads a
    url-encoded body in one piece and does not apply ``MAX_FORM_MEMORY_SIZE`` to it, so any
    request that is not ``multipart/form-data`` is held to ``MAX_FORM_MEMORY_SIZE`` bytes as a
    whole; a bigger one gets the app's 413 page (``RequestEntityTooLarge``) before its body is
    read. A limit set on the request itself still wins."""

    @property
    def max_content_length(self) -> int | None:
        limit = Request.max_content_length.fget(self)
        if self._max_content_length is not None or not current_app:
            return limit
        if self.mimetype == "multipart/form-data":
            return limit
        small = current_app.config.get("MAX_FORM_MEMORY_SIZE")
        if small is None:
            return limit
        return small if limit is None else min(limit, small)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
