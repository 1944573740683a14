"""Keeping the message catalogues in step with the code (``flask translations update``).

Source strings are Indonesian (the default UI language), so the ``id`` catalogue is filled with
the source text itself — a translator may still reword an entry there without touching code —
and the ``en`` catalogue holds the English translations, written by people. Indonesian has one
plural form (CLDR), English two.
"""

from __future__ import annotations

import copy
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALES = ("id", "en")
"""The UI languages, default first (``BABEL_DEFAULT_LOCALE`` is ``id``)."""

METHOD_MAP = [("collab/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "_lp": ((1, "c"), 2),
}
"""Marker functions as babel's ``extract`` expects them (``(1, 2)``: singular, plural;
``(1, "c")``: the first argument is a context that tells apart equal Indonesian words)."""


def extract(root: Path) -> Catalog:
    """Every message marked in ``collab/**.py`` and ``templates/**.html`` under ``root``, as a
    template catalogue without locations (stable diffs)."""
    template = Catalog(project="Sinergi", charset="utf-8")
    for _file, _line, message, comments, context in extract_from_dir(
        str(root), method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def _po_path(root: Path, locale: str) -> Path:
    return root / "collab" / "translations" / locale / "LC_MESSAGES" / "messages.po"


def update_catalogues(root: Path) -> dict[str, list]:
    """Extract, write ``messages.pot``, bring each locale's ``messages.po`` in step (obsolete
    entries dropped, no fuzzy guesses), fill the ``id`` entries with their source text and
    compile every ``messages.mo``. Returns ``{locale: [msgid, ...]}`` of entries still without
    a translation (only ``en`` can have any)."""
    template = extract(root)
    base = root / "collab" / "translations"
    with open(base / "messages.pot", "wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True, no_location=True)
    missing: dict[str, list] = {}
    for locale in LOCALES:
        path = _po_path(root, locale)
        if path.exists():
            with open(path, "rb") as fh:
                catalog = read_po(fh, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="Sinergi", charset="utf-8")
        # A copy: update() adopts the template's new entries, which id then fills in.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # a fuzzy header is left out of the .mo, and Plural-Forms with it
        for message in catalog:
            if not message.id:
                continue
            if locale == "id":
                message.string = _source_text(message.id, catalog.num_plurals)
                message.flags.discard("fuzzy")
        missing[locale] = [m.id for m in catalog if m.id and not is_translated(m)]
        with open(path, "wb") as fh:
            write_po(fh, catalog, sort_output=True, no_location=True, ignore_obsolete=True)
        with open(path.with_suffix(".mo"), "wb") as fh:
            write_mo(fh, catalog)
    return missing


def _source_text(msgid, num_plurals: int):
    if isinstance(msgid, tuple):  # (singular, plural): Indonesian nouns do not inflect
        return tuple([msgid[1]] * num_plurals) if num_plurals > 1 else (msgid[1],)
    return msgid


def is_translated(message) -> bool:
    """True when every form of ``message`` has text and it is not marked fuzzy."""
    if message.fuzzy:
        return False
    if isinstance(message.string, tuple | list):
        return bool(message.string) and all(message.string)
    return bool(message.string)
