"""Fictional minutes as text, in the layouts arkiv's parser knows (seed, municipal, Markdown)."""
from __future__ import annotations

import datetime as dt

from . import vocab as V
from .spec import ItemSpec, MeetingSpec


def wrap(text: str, width: int = 88) -> list[str]:
    """Greedy line wrap with the seed's trailing space on wrapped lines."""
    out: list[str] = []
    line: list[str] = []
    length = 0
    for word in text.split(" "):
        if line and length + 1 + len(word) > width:
            out.append(" ".join(line) + " ")
            line, length = [word], len(word)
        else:
            length += len(word) + (1 if line else 0)
            line.append(word)
    if line:
        out.append(" ".join(line))
    return out


def _date_long(d: dt.date) -> str:
    return f"{d.day}. {V.MONTHS[d.month - 1]} {d.year}"


def _render_seed(m: MeetingSpec) -> str:
    lines: list[str] = ["", "REFERAT ", ""]
    body_lower = m.body[0].lower() + m.body[1:]
    lines += wrap(f"{m.number}. møde i {body_lower}", 70) + [""]
    lines += ["Dato og sted",
              f"{V.WEEKDAYS[m.date.weekday()]} {_date_long(m.date)} kl. {m.start.replace(':', '.')} – "
              f"{m.end.replace(':', '.')} ",
              m.location, "", "Dagsorden ", "", "Punkt Ca. tid Aktivitet "]
    for item in m.items:
        t0, t1 = item.time.split("–")
        lines += wrap(f"Pkt. {item.number} {t0} – {t1} {item.title}", 90)
        if item.presenter:
            lines.append(f"v/{item.presenter[0]}, {item.presenter[1]}")
        lines.append("")
    lines += ["Deltagere", f"Fra {body_lower.split()[0]}: "]
    lines += [f"{name}, {role}" for name, role in m.participants]
    lines += ["", f"Fra {body_lower.split()[0]}s sekretariat: "]
    lines += [f"{name}, {role}" for name, role in m.staff]
    if m.absent:
        lines += ["", "Afbud "] + [f"{name}, {role}" for name, role in m.absent]
    lines += [" Side 2", ""]
    page = 3
    for n, item in enumerate(m.items):
        lines += [f"Punkt {item.number}:", ""]
        lines += wrap(item.title, 88) + [""]
        for para in item.description:
            if para.startswith("- "):
                lines += para.split("\n")
            else:
                lines += wrap(para)
            lines.append("")
        if item.presenter:
            lines += [f"v/{item.presenter[0]}, {item.presenter[1]}. ", ""]
        if item.recommendation:
            lines += ["Det indstilles at:", " " + item.recommendation + " ", ""]
        lines += ["REFERAT: ", ""]
        for para in item.minutes:
            lines += wrap(para) + [""]
        if n % 3 == 2:
            lines.append(f" Side {page}")
            lines.append("")
            page += 1
    return "\n".join(lines) + "\n"


def _render_municipal(m: MeetingSpec) -> str:
    town, committee = m.body.split(", ", 1)
    d = m.date
    lines = [f"Referat {_date_long(d)} kl. {m.start.replace(':', '.')}", "",
             f"{committee} - {m.location.split(',')[0]}", "",
             f"Udvalg:  \t {m.body}", "",
             f"Mødedato:  \t {V.WEEKDAYS[d.weekday()].lower()} den {_date_long(d)} kl. {m.start.replace(':', '.')}", "",
             f"Mødested:  \t {m.location.split(',')[0]}", "",
             "Mødedeltagere:", "", "Punkt  \tTitel", ""]
    for item in m.items:
        lines += [item.number, item.title, "", item.case_number, "", "Beslutninger", ""]
        for para in item.minutes:
            lines += [para, ""]
        if item.description:
            lines += ["Resume", ""]
            for para in item.description:
                lines += [para.replace("\n", "\n\n"), ""]
        if item.recommendation:
            lines += ["Beslutningspunkter", "", "Det indstilles:", "",
                      f"At 1) {item.recommendation}", ""]
        if item.presenter:
            lines += ["Bilag", "", f"Bilag 1: Notat fra {item.presenter[1]}", ""]
    return "\n".join(lines) + "\n"


def _render_markdown(m: MeetingSpec) -> str:
    d = m.date
    dmy = f"{d.day:02d}.{d.month:02d}.{d.year}"
    lines = ["## Dagsorden og referat", f"# {m.body} {dmy}", "", "## Mødefakta", "",
             f"**Mødenavn**: {m.body}", "",
             f"**Tid**: {dmy} kl. {m.start} - {m.end}", "",
             f"**Sted**: {m.location}", "", "#### Deltagere:"]
    lines += [f"- [x] {name} ({role})" for name, role in m.participants]
    lines += [f"- [ ] {name} ({role})" for name, role in m.absent]
    if m.absent:
        lines += ["", "#### Afbud:"] + [f"- [x] {name}" for name, _ in m.absent]
    lines += ["", "## Dagsorden"]

    def entry(item: ItemSpec) -> str:
        who = f" ({item.presenter[0].split()[0]})" if item.presenter else ""
        return f"- {item.number} {item.title}{who}"

    groups = {"1": "1. Formalia", "2": "2. Temaer for dagens møde", "3": "3. Eventuelt"}
    last = None
    for item in m.items:
        g = item.number.split(".")[0]
        if g != last:
            lines.append(f"#### {groups[g]}")
            last = g
        lines.append(entry(item))
    lines += ["", "## Møde referat"]
    last = None
    for item in m.items:
        g = item.number.split(".")[0]
        if g != last:
            lines.append(f"> #### {groups[g]}")
            last = g
        lines += [f"> {entry(item)}", ""]
        for para in item.description[:1]:
            if not para.startswith("- "):
                lines += [para, ""]
        for para in item.minutes:
            lines += [para, ""]
    return "\n".join(lines) + "\n"


_RENDERERS = {"seed": _render_seed, "municipal": _render_municipal, "markdown": _render_markdown}


def render_meeting(spec: MeetingSpec) -> str:
    return _RENDERERS[spec.layout](spec)
