"""Hand-built meetings for engine and search tests (no parser needed)."""
from __future__ import annotations

import datetime as dt

from archive.ids import assign_ids
from archive.model import AgendaItem, Meeting, Presenter

BODY_TM = "Fjordby Kommune, Teknik- og Miljøudvalget"
BODY_BU = "Fjordby Kommune, Børne- og Ungeudvalget"


def meeting(body: str, date: dt.date | None, number: str, items: list[AgendaItem], sha: str = "") -> Meeting:
    m = Meeting(body=body, date=date, number=number, items=items, source_file=f"{number}.txt",
                source_sha256=sha or f"sha-{body[:5]}-{date}-{number}")
    return assign_ids(m)


def item(number, title, description="", minutes="", recommendation="", presenters=(), outcomes=(), **kw) -> AgendaItem:
    """An item whose minutes are its decision (as a "Beslutning" part is), unless ``decision`` says otherwise."""
    kw.setdefault("decision", minutes)
    return AgendaItem(number=number, title=title, description=description, minutes=minutes,
                      recommendation=recommendation, presenters=[Presenter(n) for n in presenters],
                      outcomes=list(outcomes), **kw)


def small_corpus() -> list[Meeting]:
    m1 = meeting(BODY_TM, dt.date(2022, 3, 1), "2", [
        item("1", "Affaldssortering i etageboliger", "Forslag om ny affaldssortering i etageboliger.",
             "Udvalget godkendte forslaget.", presenters=["Jens Hansen"], outcomes=["godkendt"]),
        item("2", "Cykelstier langs Fjordvej", "Anlæg af nye cykelstier langs Fjordvej.",
             "Sagen blev udsat.", presenters=["Mette Holm", "Jens Hansen"], outcomes=["udsat"]),
        item("3", "Klimatilpasning i midtbyen", "Status for klimatilpasning og regnvand.",
             "Udvalget tog orienteringen til efterretning.", presenters=["Mette Holm"], outcomes=["efterretning"]),
    ])
    m2 = meeting(BODY_TM, dt.date(2023, 9, 14), "7", [
        item("1", "Budget for vejvedligeholdelse", "Budgettet for vejvedligeholdelse 2024.",
             "Godkendt.", presenters=["Jens Hansen"], outcomes=["godkendt"]),
        item("2", "Lokalplanforslag for havnen", "Lokalplanforslaget for havnen sendes i høring.",
             "Anbefalet.", presenters=["Ole Berg"], outcomes=["anbefalet"], closed=True, case_number="EMN-2023-0042"),
    ])
    m3 = meeting(BODY_BU, dt.date(2023, 1, 10), "1", [
        item("1", "Skolebestyrelsens forslag om cykelparkering", "Skolebestyrelsen ønsker cykelparkering ved skolen.",
             "Drøftet.", presenters=["Anne Lund"], outcomes=["droeftet"]),
        item("2", "Eventuelt", "", "Intet."),
    ])
    return [m1, m2, m3]
