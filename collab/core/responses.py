"""Responses shared by the form pages: the same template serves the full page and its htmx
partial (the form, its own swap target)."""

from __future__ import annotations

from flask import make_response, redirect, render_template
from flask_htmx import make_response as htmx_response

from collab.extensions import htmx


def form_page(page: str, partial: str, status: int = 200, **ctx):
    """The form as a full page, or only its partial for htmx requests, with ``status``."""
    return render_template(partial if htmx else page, **ctx), status


def conflict_page(page: str, partial: str, target: str, **ctx):
    """409 after a stale save, with the user's typed values kept; for htmx the form partial
    is swapped over ``target`` (an element id such as ``#need-form``)."""
    body, status = form_page(page, partial, 409, **ctx)
    resp = make_response(body, status)
    if htmx:
        resp.headers["HX-Retarget"] = target
        resp.headers["HX-Reswap"] = "outerHTML"
    return resp


def done_redirect(target: str):
    """After a successful save: ``HX-Redirect`` for htmx, a 302 otherwise."""
    if htmx:
        return htmx_response("", 200, redirect=target)
    return redirect(target)
