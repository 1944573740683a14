"""(f) Evaluation: the designer makes the L1 questionnaire links of a delivered program; a
participant, with no account, answers through their link once; the designer sees the answer
counted. The report's PDF and a certificate download as PDFs."""

from __future__ import annotations

import re

from sinergi_browser import DESIGNER, expect

DELIVERED = "Bimbingan Teknis Pengelolaan Arsip Dinamis melalui SRIKANDI Angkatan I"


def test_participant_answers_the_l1_form_through_their_link(actors, watch):
    bkn = actors("bkn", DESIGNER)
    page = bkn.page
    page.goto("/programs/")
    page.get_by_role("link", name=DELIVERED, exact=True).click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    program_url = page.url
    expect(page.get_by_test_id("reaction-rate")).to_contain_text("0 dari 6 peserta mengisi")

    # New links replace old ones, so the page asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-action=generate-links]").click()
    links = page.locator("table code")
    expect(links).to_have_count(6)
    link = links.first.inner_text().strip()
    assert re.search(r"/r/[A-Za-z0-9_-]{40,}$", link), link

    # The participant opens the link without an account and answers.
    person = actors("participant")
    form = person.page
    response = form.goto(link)
    assert response is not None and response.status == 200
    expect(form.locator("h1")).to_have_text("Kuesioner reaksi peserta")
    for aspect, score in (("material", 5), ("facilitator", 4), ("organisation", 4)):
        form.locator(f"#{aspect}-{score}").check()
    watch.expect(422, r"/r/[A-Za-z0-9_-]+")  # "Manfaat" left out on purpose first
    with form.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Kirim").click()
    expect(form.locator("#usefulness-err")).to_be_visible()
    expect(form.locator("#material-5")).to_be_checked()  # nothing typed is lost
    form.locator("#usefulness-5").check()
    form.locator("textarea").fill("Praktik langsung di SRIKANDI sangat membantu.")
    form.get_by_role("button", name="Kirim").click()
    expect(form.locator("main")).to_contain_text("Terima kasih, tanggapan Anda tersimpan.")

    # The same link again: a clear page saying it was used, not an error.
    watch.expect(410, r"/r/[A-Za-z0-9_-]+")
    again = form.goto(link)
    assert again is not None and again.status == 410
    expect(form.locator("main")).to_contain_text("Kuesioner ini sudah diisi.")

    # The designer sees the answer counted.
    page.goto(program_url)
    expect(page.get_by_test_id("reaction-rate")).to_contain_text("1 dari 6 peserta mengisi")

    # The report and the certificates of this program come down as PDFs.
    for path in ("/report.pdf", "/certificates.pdf"):
        pdf = page.request.get(program_url + path)
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF"), path
        assert "attachment" in pdf.headers["content-disposition"]
