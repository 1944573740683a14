"""The permission matrix (issue 9, item 1): what every route answers to every kind of user.

One row per Flask endpoint × HTTP method (× variant, where one endpoint serves several cases),
checked by ``tests/test_permission_matrix.py`` against a world in which every object belongs to
Kota Pontianak only. A route of the app without a row fails that test, and so does a row whose
route is gone: add the row here, thinking about what each role *should* get (DESIGN.md §1–3).

Actors, in the order of the seven code characters:

====  ===============  ===============================================================
  1   anonymous        no session
  2   officer          pemda_officer of Dinas Kesehatan Kota Pontianak (files the need)
  3   bkpsdm           pemda_approver of Pemerintah Kota Pontianak
  4   designer         bkn_designer: assigned to the need, owner of every program
  5   bkn_approver     bkn_approver (Kanreg V)
  6   admin            admin (BKN Pusat)
  7   other            *both* the pemda_officer and the pemda_approver of Kabupaten Kubu
                       Raya (another Pemda): each must get the code
====  ===============  ===============================================================

Codes:

- ``L`` — sent to sign in: a 302 to ``/login`` (or, for an htmx request, a 204 with
  ``HX-Redirect`` to ``/login``).
- ``+`` — allowed: a 2xx, a redirect elsewhere than ``/login``, or — for a POST, which the test
  sends with an empty body — 409/422: the request got past the permission check to the
  state, version or input rules (an empty body never holds the object's ``version``, so
  writes that need it stop there with 409 and change nothing).
- ``F`` — refused with 403 (the user may know the object exists but not do this).
- ``N`` — 404: the object is not visible to the user (another Pemda's, a draft not yet sent
  to BKN, someone else's notification) or the URL names no action; never 403, so that the
  object's existence does not leak.
- ``*`` — signs the user out: a 302 to ``/login`` *and* the next request is anonymous.

Columns of ``TABLE``: method, endpoint, variant (``-`` when the endpoint has one case; else
the workflow action, the rule, or which object's URL), ``h`` when the request is sent as htmx
(``HX-Request: true``, how the page uses it) or ``-``, the seven codes, then an optional note.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = ("anonymous", "officer", "bkpsdm", "designer", "bkn_approver", "admin", "other")
"""The actors, in the order of the code characters."""

CODES = {
    "L": "redirect to /login (htmx: 204 + HX-Redirect)",
    "+": "allowed (2xx, non-login 3xx, or 409/422 for a POST with an empty body)",
    "F": "403",
    "N": "404",
    "*": "signs out (302 to /login, next request anonymous)",
}
"""Every code a row may use."""

# Objects (all Kota Pontianak's): need = in review, assigned to the designer; draft = a
# draft need; p_run = program in delivery (1 session, 1 enrolled and 1 nominated participant),
# the default for program routes; p_draft = program never proposed; p_cr = program sent back
# for changes (editable, sessions editable); p_done = program delivered (a passed participant,
# L1 links); note = a notification of the officer; internal = the officer's comment on the
# need, internal to the Pemda, with a file.
TABLE = """
# method endpoint                        variant          hx  codes    note
GET   core.index                        -                -   L++++++  signed in: to the dashboard
GET   core.healthz                      -                -   +++++++
GET   auth.login                        -                -   +++++++  signed in: to the dashboard
POST  auth.login                        -                -   +++++++  empty form: 422
POST  auth.logout                       -                -   L******
GET   auth.account                      -                -   L++++++
POST  auth.account                      -                -   L++++++
POST  auth.change_password              -                -   L++++++
GET   dashboard.index                   -                -   L++++++
GET   board.index                       -                -   L++++F+  administrators have no board
GET   jp.index                          -                -   L++++++
GET   jp.export                         -                -   L++++++
GET   insights.index                    -                -   L++++++  admin sees what BKN sees
GET   admin.index                       -                -   LFFFF+F
GET   admin.organization                new              -   LFFFF+F
POST  admin.organization                new              -   LFFFF+F
GET   admin.organization                id               -   LFFFF+F
POST  admin.organization                id               -   LFFFF+F
GET   admin.user                        new              -   LFFFF+F
POST  admin.user                        new              -   LFFFF+F
GET   admin.user                        id               -   LFFFF+F
POST  admin.user                        id               -   LFFFF+F
GET   notifications.index               -                -   L++++++
GET   notifications.count               -                h   L++++++
GET   notifications.settings            -                -   L++++++
POST  notifications.settings            -                -   L++++++
POST  notifications.read_all            -                -   L++++++
GET   notifications.open_item           -                -   L+NNNNN  the officer's notification
POST  notifications.read                -                h   L+NNNNN
GET   needs.index                       -                -   L++++++
GET   needs.export                      -                -   L++++++
GET   needs.create                      -                -   L++FFF+  Pemda users file needs
POST  needs.create                      -                -   L++FFF+
GET   needs.detail                      -                -   L+++++N  admin reads as BKN
GET   needs.detail                      draft            -   L++NNNN  BKN sees a need once sent
GET   needs.timeline                    -                h   L+++++N
GET   needs.edit                        draft            -   L++NNNN
POST  needs.edit                        draft            -   L++NNNN
POST  needs.transition                  submit           h   L++FFFN
POST  needs.transition                  verify           h   LF+FFFN
POST  needs.transition                  return           h   LF+FFFN
POST  needs.transition                  take             h   LFF+FFN
POST  needs.transition                  request_info     h   LFF+FFN  the assigned designer
POST  needs.transition                  respond          h   L++FFFN
POST  needs.transition                  accept           h   LFF+FFN  409: accepted by linking
POST  needs.transition                  decline          h   LFF+FFN
POST  needs.transition                  withdraw         h   L++FFFN
POST  needs.transition                  release          h   LNNNNNN  system action: no URL
GET   comments.post_need                -                h   L+++++N
POST  comments.post_need                -                h   L++++FN  admins take no part
GET   comments.post_program             -                h   L+++++N
POST  comments.post_program             -                h   L++++FN
GET   comments.edit                     need             h   L+FFFFN  the officer's comment
POST  comments.edit                     need             h   L+FFFFN
POST  comments.delete                   need             h   L+FFFFN  a fresh comment per actor
GET   comments.edit                     internal         h   L+FNNNN  Pemda-internal: BKN gets 404
POST  comments.edit                     internal         h   L+FNNNN
GET   comments.edit                     program          h   LFF+FFN  the designer's comment
POST  comments.edit                     program          h   LFF+FFN
POST  comments.delete                   program          h   LFF+FFN  a fresh comment per actor
GET   attachments.need                  -                h   L+++++N
POST  attachments.need                  -                h   L++++FN
GET   attachments.program               -                h   L+++++N
POST  attachments.program               -                h   L++++FN
GET   attachments.download              need             -   L+++++N
GET   attachments.download              program          -   L+++++N
GET   attachments.download              internal         -   L++NNNN  on a Pemda-internal comment
POST  attachments.delete                need             h   L+FFFFN  the officer's, fresh each time
POST  attachments.delete                program          h   LFF+FFN  the designer's, fresh each
GET   programs.index                    -                -   L++++++
GET   programs.export                   -                -   L++++++
GET   programs.create                   -                -   LFF+FFF
POST  programs.create                   -                -   LFF+FFF
GET   programs.detail                   -                -   L+++++N
GET   programs.detail                   draft            -   LNN+++N  never proposed: BKN's own
GET   programs.revision                 -                -   L+++++N
GET   programs.edit                     -                -   LFF+FFN  p_cr
POST  programs.edit                     -                -   LFF+FFN  p_cr
POST  programs.add_session              -                h   LFF+FFN  p_cr
POST  programs.remove_session           -                h   LFF+FFN  p_cr, a fresh session
POST  programs.transition               propose          h   LFF+FFN
POST  programs.transition               approve          h   LF+F+FN  admins never sign off
POST  programs.transition               request_changes  h   LF+F+FN
POST  programs.transition               reject           h   LFFF+FN
POST  programs.transition               schedule         h   LFF+FFN
POST  programs.transition               start            h   LFF+FFN
POST  programs.transition               complete         h   LFF+FFN
POST  programs.transition               close            h   LFF+FFN
POST  programs.transition               cancel           h   LFF++FN  designer: 409 (drafts only)
POST  programs.transition               release          h   LNNNNNN  not a program action
GET   participants.panel                -                h   L+++++N
POST  participants.nominate             -                h   L++FFFN  partner Pemda users
POST  participants.import_file          -                h   L++FFFN
GET   participants.template_csv         -                -   L+++++N
GET   participants.template_xlsx        -                -   L+++++N
GET   participants.export               -                -   L+++++N
POST  participants.withdraw             -                h   L++FFFN  409 in delivery
POST  participants.enrol_one            -                h   LFF+FFN
POST  participants.enrol_all            -                h   LFF+FFN
GET   attendance.scores                 -                h   L+++++N  Pemda: own ASN, read-only
POST  attendance.set_cell               -                h   LFF+FFN
POST  attendance.save_column            -                h   LFF+FFN
POST  attendance.all_present            -                h   LFF+FFN
POST  attendance.set_scores             -                h   LFF+FFN
POST  attendance.import_scores          -                h   LFF+FFN
GET   attendance.scores_template_csv    -                -   LFF+FFN
GET   attendance.scores_template_xlsx   -                -   LFF+FFN
GET   evaluation.panel                  -                h   L+++++N  p_done
POST  evaluation.links                  -                -   LFF+FFN
POST  evaluation.enter_reaction         -                h   LFF+FFN
POST  evaluation.record_followup        -                h   L++FFFN
POST  evaluation.record_indicator       -                h   L++FFFN
GET   evaluation.respond                -                -   +++++++  the link is the key
POST  evaluation.respond                -                -   +++++++
GET   evaluation.respond                unknown          -   NNNNNNN
GET   reports.report                    -                -   L+++++N  p_done
GET   reports.report_pdf                -                -   L+++++N
GET   reports.all_certificates          -                -   L+++++N
GET   reports.certificate               -                -   L+++++N
GET   reports.siasn                     -                -   L+++++N
"""


@dataclass(frozen=True)
class Row:
    """One line of :data:`TABLE`."""

    method: str
    endpoint: str
    variant: str
    htmx: bool
    codes: str
    note: str = ""

    def code(self, actor: str) -> str:
        """The expected code for ``actor`` (one of :data:`ACTORS`)."""
        return self.codes[ACTORS.index(actor)]

    @property
    def key(self) -> str:
        """``METHOD endpoint[variant]`` — how mismatches name the row."""
        v = f"[{self.variant}]" if self.variant != "-" else ""
        return f"{self.method} {self.endpoint}{v}"


def parse(text: str = TABLE) -> list[Row]:
    """The rows of ``text``; raises ``ValueError`` on a malformed or duplicate line."""
    rows, seen = [], set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(None, 5)
        if len(parts) < 5:
            raise ValueError(f"line {number}: too few columns: {line!r}")
        method, endpoint, variant, hx, codes = parts[:5]
        note = parts[5].strip() if len(parts) > 5 else ""
        if method not in ("GET", "POST") or hx not in ("h", "-"):
            raise ValueError(f"line {number}: bad method or htmx column: {line!r}")
        if len(codes) != len(ACTORS) or set(codes) - set(CODES):
            raise ValueError(f"line {number}: codes must be {len(ACTORS)} of {''.join(CODES)}")
        row = Row(method, endpoint, variant, hx == "h", codes, note)
        if row.key in seen:
            raise ValueError(f"line {number}: duplicate row {row.key}")
        seen.add(row.key)
        rows.append(row)
    return rows


ROWS = parse()
"""The parsed table."""
