"""Fictional minutes as a PDF of several pages for the inline viewer's tests (web.viewer): page 1 A4
portrait with the minutes, page 2 A4 landscape, page 3 portrait with a black block over its top half,
so that a page's image tells which page it is (by its shape, and by its ink)."""
from __future__ import annotations

MINUTES = """Referat af bestyrelsesmøde i Fjordby Bådelaug
Dato: 12. marts 2024 kl. 19.00
Til stede: Hanne Østergaard, Søren Æbelø

1. Godkendelse af dagsorden
Dagsordenen blev godkendt uden bemærkninger fra de fremmødte medlemmer.

2. Havnens nye bådebro
Bestyrelsen drøftede de tre tilbud på den nye bådebro og valgte tilbuddet fra Fjordby Træ.
Arbejdet begynder efter sæsonen, når bådene er taget på land.
"""
MORE = """3. Eventuelt
Søren Æbelø foreslog en arbejdsdag i maj, hvor klubhuset males."""


def three_page_pdf(minutes: str = MINUTES) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for line in minutes.split("\n"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page(orientation="L")
    for line in MORE.split("\n"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page(orientation="P")
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(0, 0, 210, 148.5, style="F")
    return bytes(pdf.output())
