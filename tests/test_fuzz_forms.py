"""Hypothesis drives every form and htmx endpoint the demo data shows each role, with random
and hostile values: very long strings, control characters, RTL marks, emoji, SQL and HTML
fragments, wrong types, missing and repeated fields. No response may be a 5xx, and no stored
text may hold control characters or be longer than its column.

The forms are found the way a user finds them: by reading the pages (``<form method=post>``
with its fields, elements that post themselves with ``hx-post``, and buttons that post their
form's fields elsewhere with ``formaction``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.extensions import db as _db

PASSWORD = "demo-sinergi-2026"
ROLES = {
    "designer": "perancang@bkn.sinergi.test",
    "bkn_approver": "pejabat@bkn.sinergi.test",
    "officer": "dinkes@pontianak.sinergi.test",
    "bkpsdm": "bkpsdm@pontianak.sinergi.test",
    "admin": "admin@sinergi.test",
}
EXAMPLES_PER_FORM = 25
"""Random submissions per form found (each role finds 4–40 forms in the demo data)."""
SKIP_ACTIONS = re.compile(r"^/logout$|/account/password$")  # would end the fuzzing session


@dataclass
class FormSpec:
    """One thing that posts: its URL, field names with their rendered values, and whether it
    is an htmx request and a multipart form."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    htmx: bool = False
    multipart: bool = False
    files: list[str] = field(default_factory=list)


class _FormCollector(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self._by_id: dict[str, FormSpec] = {}
        self._stack: list[FormSpec] = []
        self._select: tuple[FormSpec, str] | None = None
        self._textarea: tuple[FormSpec, str] | None = None
        self._elsewhere: list[tuple[str, str, bool]] = []  # (formaction, form id, htmx)
        self._before: dict[str, FormSpec] = {}  # fields of forms further down the page
        self._with_form: list[tuple[FormSpec, str]] = []  # hx-post elements of a form=

    def _target(self, attrs) -> FormSpec | None:
        owner = attrs.get("form")
        if owner and owner in self._by_id:
            return self._by_id[owner]
        if owner:
            return self._before.setdefault(owner, FormSpec(action=""))
        return self._stack[-1] if self._stack else None

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "form" and (attrs.get("method", "").lower() == "post" or "hx-post" in attrs):
            spec = FormSpec(
                action=attrs.get("hx-post") or attrs.get("action") or self.page_url,
                htmx="hx-post" in attrs,
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(spec)
            if attrs.get("id"):
                self._by_id[attrs["id"]] = spec
                if attrs["id"] in self._before:
                    spec.fields.update(self._before.pop(attrs["id"]).fields)
            self._stack.append(spec)
            return
        if tag not in ("input", "select", "textarea", "button"):
            return
        name = attrs.get("name")
        if tag == "button" and attrs.get("formaction") and attrs.get("form"):
            # posts the fields of its form (found later in the page, perhaps) to another URL
            self._elsewhere.append((attrs["formaction"], attrs["form"], "hx-post" in attrs))
        if "hx-post" in attrs and tag != "button":  # an element that posts itself
            own = FormSpec(action=attrs["hx-post"], htmx=True)
            if name:
                own.fields[name] = [attrs.get("value", "")]
            self.forms.append(own)
            if attrs.get("form"):  # htmx sends the fields of its form too
                self._with_form.append((own, attrs["form"]))
        target = self._target(attrs)
        if not name or target is None:
            return
        if tag == "input" and attrs.get("type") == "file":
            target.files.append(name)
            return
        values = target.fields.setdefault(name, [])
        if tag == "select":
            self._select = (target, name)
        elif tag == "textarea":
            self._textarea = (target, name)
        elif attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
            values.append(attrs.get("value", "y"))  # a choice the user could make
        else:
            values.append(attrs.get("value", ""))

    def close(self):
        super().close()
        for own, owner in self._with_form:
            if owner in self._by_id:
                own.fields = {**self._by_id[owner].fields, **own.fields}
        for action, owner, htmx in self._elsewhere:
            if owner in self._by_id:
                fields = {k: list(v) for k, v in self._by_id[owner].fields.items()}
                self.forms.append(FormSpec(action=action, fields=fields, htmx=htmx))

    def handle_endtag(self, tag):
        if tag == "form" and self._stack:
            self._stack.pop()
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            spec, name = self._textarea
            spec.fields.setdefault(name, []).append(data)


class _Options(HTMLParser):
    """Option values per select name (the legal choices, to mix with hostile ones)."""

    def __init__(self):
        super().__init__()
        self.options: dict[str, list[str]] = {}
        self._name = None

    def handle_starttag(self, tag, attrs_list):
        attrs = dict(attrs_list)
        if tag == "select":
            self._name = attrs.get("name")
        elif tag == "option" and self._name:
            self.options.setdefault(self._name, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._name = None


def _pages(app, role: str) -> list[str]:
    from collab.models import Need, Program, User

    with app.app_context():
        user = _db.session.scalar(sa.select(User).where(User.email == ROLES[role]))
        if role == "admin":
            users = _db.session.scalars(sa.select(User.id)).all()
            return (
                ["/admin/", "/admin/organizations/new", "/admin/users/new"]
                + [f"/admin/users/{i}" for i in users[:3]]
                + [f"/admin/organizations/{user.org_id}"]
            )
        pages = [
            "/dashboard",
            "/needs/",
            "/programs/",
            "/jp/",
            "/notifications",
            "/notifications/settings",
            "/account",
            "/needs/new",
            "/programs/new",
        ]
        for i in _db.session.scalars(sa.select(Need.id)):
            pages += [f"/needs/{i}", f"/needs/{i}/edit"]
        for pid, status in _db.session.execute(sa.select(Program.id, Program.status)):
            pages += [f"/programs/{pid}", f"/programs/{pid}/edit"]
            if status in ("delivered", "evaluated"):
                pages.append(f"/programs/{pid}/report")
        return pages


def _collect(client, pages) -> tuple[list[FormSpec], dict[str, list[str]]]:
    specs: dict[tuple, FormSpec] = {}
    options: dict[str, list[str]] = {}
    for url in pages:
        resp = client.get(url)
        if resp.status_code != 200 or not resp.mimetype.startswith("text/html"):
            continue
        html = resp.get_data(as_text=True)
        collector = _FormCollector(url)
        collector.feed(html)
        collector.close()
        opts = _Options()
        opts.feed(html)
        for name, values in opts.options.items():
            options.setdefault(name, [])
            options[name] += [v for v in values if v not in options[name]]
        for spec in collector.forms:
            if SKIP_ACTIONS.search(spec.action.split("?")[0]):
                continue
            key = (re.sub(r"\d+", "N", spec.action), tuple(sorted(spec.fields)))
            specs.setdefault(key, spec)
    return list(specs.values()), options


HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "abc",
        "12,5",
        "1.250.000,50",
        "2026-02-30",
        "9999-12-31T23:59",
        "' OR 1=1 --",
        "'; DROP TABLE need; --",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "\u202eتطبيق\u202c",
        "\u200f\u200e",
        "😀👩🏽‍⚕️",
        "\x00\x01\x1b[31m",
        "\uffff\ufffe",
        "%s%n%x",
        "../../etc/passwd",
        "{{ 7*7 }}",
        "null",
        "true",
        "[]",
        "１２３",
        "١٢٣",
    ]
)
VALUE = st.one_of(
    HOSTILE,
    HOSTILE,  # twice: half of the random values are the known troublemakers
    st.tuples(st.text(max_size=20), HOSTILE, st.text(max_size=20)).map("".join),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=3000),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.builds(lambda n: "A" * n, st.integers(min_value=1000, max_value=120_000)),
)


@st.composite
def submissions(draw, spec, options):
    """A body for ``spec``: for each field its value as rendered, a legal option, a hostile
    or random value, or nothing; sometimes a field posted twice or an unknown one."""
    data: list[tuple[str, str]] = []
    for name, rendered in spec.fields.items():
        choice = draw(st.integers(min_value=0, max_value=9))
        if choice <= 2 and rendered:
            data.append((name, rendered[0]))
        elif choice <= 4 and options.get(name):
            data.append((name, draw(st.sampled_from(options[name]))))
        elif choice == 5:
            continue  # field missing
        elif choice == 6:
            data += [(name, draw(VALUE)), (name, draw(VALUE))]
        else:
            data.append((name, draw(VALUE)))
    if draw(st.booleans()):
        data.append((draw(st.sampled_from(["id", "status", "org_id", "role", "x"])), draw(VALUE)))
    files = []
    for name in spec.files:
        if draw(st.booleans()):
            content = draw(st.binary(max_size=2000))
            filename = draw(st.sampled_from(["a.pdf", "b.docx", "c.exe", "", "x" * 300, "é.xlsx"]))
            files.append((name, content, filename))
    return data, files, draw(st.booleans())


def _post(client, spec, data, files, as_htmx):
    import io

    from werkzeug.datastructures import MultiDict

    body = MultiDict(data)
    for name, content, filename in files:
        body.add(name, (io.BytesIO(content), filename))
    headers = {"HX-Request": "true"} if (spec.htmx and as_htmx) else {}
    return client.post(spec.action, data=body, headers=headers)


def _stored_text_problems(app) -> list[str]:
    """Text columns holding control characters, or longer than their declared length."""
    problems = []
    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
    with app.app_context():
        for table in _db.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
            if not cols:
                continue
            for row in _db.session.execute(sa.select(*cols)):
                for col, value in zip(cols, row, strict=True):
                    if not isinstance(value, str):
                        continue
                    if bad.search(value):
                        problems.append(f"{table.name}.{col.name}: control character")
                    length = getattr(col.type, "length", None)
                    if length and len(value) > length:
                        problems.append(f"{table.name}.{col.name}: {len(value)} > {length}")
    return problems


@pytest.fixture
def demo_app(app):
    from collab.seed import seed_demo

    with app.app_context():
        seed_demo()
        _db.session.commit()
    return app


@pytest.mark.parametrize("role", list(ROLES))
def test_fuzz_every_form_of_a_role(demo_app, role):
    client = demo_app.test_client()
    resp = client.post("/login", data={"email": ROLES[role], "password": PASSWORD})
    assert resp.status_code == 302
    specs, options = _collect(client, _pages(demo_app, role))
    assert len(specs) >= (4 if role == "admin" else 8), [s.action for s in specs]
    for spec in specs:
        _fuzzer(client, spec, options)()
    assert not _stored_text_problems(demo_app)


def _fuzzer(client, spec: FormSpec, options):
    """A Hypothesis test posting :func:`submissions` of ``spec``: never a 5xx."""

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(submissions(spec, options))
    def fuzz(submission):
        data, files, as_htmx = submission
        resp = _post(client, spec, data, files, as_htmx)
        assert resp.status_code < 500, (spec.action, data[:8], resp.status_code)

    return fuzz
