"""`arkiv ingest --explain FILE`: the blocks, the headings chosen and why, and where each block went."""
from __future__ import annotations

from pathlib import Path

from archive.danish_dates import filename_dates
from archive.extract.files import extract_document, read_file
from archive.parse.document import Explanation, Hints, parse_document

_WIDTH = 90


def explain(path: Path, hints: Hints | None = None) -> str:
    path = Path(path)
    document = extract_document(read_file(path), path.name)
    why = Explanation()
    meeting = parse_document(document, path.name, hints, explain=why)
    heads = {block: (number, reason) for block, number, reason in why.heads}
    out = [f"Fil: {path}", f"Blokke: {len(why.blocks)}"]
    if document.title:
        out.append(f"Dokumentets titel: {document.title}")
    if why.dropped:
        out.append(f"Fjernet som sidetal, sidehoved eller sidefod ({len(why.dropped)}): "
                   + "; ".join(f"«{t[:40]}»" for t in why.dropped[:8]))
    if document.pages_without_text:
        out.append(f"Sider uden tekstlag: {', '.join(map(str, document.pages_without_text))}")
    out.append(f"Opdeling: {why.method}" + (f" ({'; '.join(why.notes)})" if why.notes else ""))
    out.append("")
    out.append("Blok  mellemrum  kendetegn                      → hvor teksten endte   | tekst")
    for i, block in enumerate(why.blocks):
        mark = "¶" if block.gap else " "
        where = why.placed.get(i, "(ingen steder)")
        if i in heads:
            number, reason = heads[i]
            where = f"▶ PUNKT {number or ''} ({reason})".replace("  ", " ")
        text = block.text if len(block.text) <= _WIDTH else block.text[:_WIDTH - 1] + "…"
        out.append(f"{i:4d}  {mark}  {block.hints()[:30]:30s} → {where[:60]:20s} | {text}")
    out.append("")
    out.append(f"Møde: {meeting.body} · {meeting.title}")
    named = ", ".join(d.isoformat() for d in filename_dates(path.name)) or "ingen"
    out.append(f"Dato: {meeting.date.isoformat() if meeting.date else 'ingen'} ({why.date_reason}; "
               f"filnavnets dato: {named})")
    if meeting.start:
        out.append(f"Tid: {meeting.start}" + (f"–{meeting.end}" if meeting.end else ""))
    if meeting.location:
        out.append(f"Sted: {meeting.location}")
    out.append(f"Fremmøde: {len(meeting.participants)} deltagere, {len(meeting.secretariat)} i sekretariatet, "
               f"{len(meeting.absent)} med afbud")
    out.append(f"Punkter ({len(meeting.items)}):")
    for item in meeting.items:
        parts = [name for name in ("description", "recommendation", "minutes") if getattr(item, name)]
        parts += [f"{len(item.history)} tidligere behandlinger"] if item.history else []
        parts += [f"{len(item.attachments)} bilag"] if item.attachments else []
        people = f" v/ {', '.join(p.name for p in item.presenters)}" if item.presenters else ""
        facts = [f"sag {item.case_number}"] if item.case_number else []
        facts += ["lukket"] if item.closed else []
        out.append(f"  {item.number or '–':>6}  {item.title[:70]}{people}  [{', '.join(parts) or 'ingen tekst'}]"
                   + (f" ({', '.join(facts)})" if facts else "")
                   + (f" udfald: {', '.join(item.outcomes)}" if item.outcomes else ""))
        if item.decision:
            decision = " ".join(item.decision.split())
            out.append(f"          beslutning: «{decision[:80]}{'…' if len(decision) > 80 else ''}»")
    for warning in meeting.warnings:
        out.append(f"Advarsel: {warning.text}")
    return "\n".join(out)
