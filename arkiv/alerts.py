"""E-mail alerts: one digest per follower (archive.follows) of the items new to the archive since the
last one, by ingest time (index.recent), through the SMTP server the configuration names.

`arkiv alerts send` runs :func:`send_due` (from cron or a systemd timer).  A follower is an account
and the address its follows send to: each send gives each follower at most one e-mail, with a
section for every follow that has something new (searches, bodies, cases, persons), and under each the
new items' citations and links and that follow's own one-click unsubscribe link (no login).  An item
that two of a follower's follows find is listed once, under the first of them; the later follow's
section names them again, without their links, under "Også nyt her, se ovenfor under …" (and its
sent-marks move on as if it had listed them).
The header's List-Unsubscribe (RFC 8058) ends every follow in the digest.

Access is re-checked at every send: the follow's account must still exist, and its search and every
item are read as that account may see them (archive.visibility): a closed item or an internal
meeting never reaches a digest its reader may not see.
"""
from __future__ import annotations

import dataclasses
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from archive import cite
from archive.accounts import Accounts
from archive.errors import ArkivError
from archive.follows import ALL_SEPARATOR, KINDS, Follow, Follows
from archive.plurals import plural
from archive.visibility import Viewer, include_private, visible
from index.recent import newly_added
from index.search import merged_bodies, parse_request

if TYPE_CHECKING:
    from archive.store.api import ArchiveStore
    from index.engine_api import SearchEngine

DIGEST_LIMIT = 200          # items of one follow in one digest at most (the rest: the search's link)


@dataclass
class SendReport:
    sent: int = 0           # digests delivered (one per follower at most)
    items: int = 0          # items in them (an item two follows share counts once)
    skipped: int = 0        # followers whose account is gone


@dataclass
class Section:
    """One follow's part of a digest: its new items, and those of them that stand under an earlier follow."""
    follow: Follow
    entries: list[tuple[str, str]] = field(default_factory=list)      # (citation, link)
    shared: dict[str, list[str]] = field(default_factory=dict)         # earlier follow's label -> citations
    newest: str = ""
    at_newest: list[str] = field(default_factory=list)


def unsubscribe_url(base: str, tokens: list[str]) -> str:
    return f"{base}/afmeld/{quote(ALL_SEPARATOR.join(tokens))}"


def _subject(sections: list[Section], items: int) -> str:
    what = sections[0].follow.label
    if len(sections) > 1:
        what += f" og {plural(len(sections) - 1, 'anden', 'andre')}"
    return f"arkiv: {plural(items, 'nyt punkt', 'nye punkter')} – {what}"


def _digest(sections: list[Section], items: int, base: str, mail_from: str) -> EmailMessage:
    first = sections[0].follow
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = first.email
    message["Subject"] = _subject(sections, items)
    message["List-Unsubscribe"] = f"<{unsubscribe_url(base, [s.follow.token for s in sections])}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    lines = []
    for section in sections:
        follow = section.follow
        lines += [f"Nyt i arkivet for {follow.label}:", ""]
        for citation, link in section.entries:
            lines += [citation, link, ""]
        for label, citations in section.shared.items():
            lines += [f"Også nyt her, se ovenfor under {label}:", *citations, ""]
        lines += [f"Hele søgningen: {base}/?{follow.query}",
                  f"Afmeld {follow.label} med ét klik: {unsubscribe_url(base, [follow.token])}", "", ""]
    if len(sections) > 1:
        lines += [f"Afmeld alt ovenfor med ét klik: {unsubscribe_url(base, [s.follow.token for s in sections])}"]
    message.set_content("\n".join(lines).rstrip() + "\n")
    return message


def send_due(store: ArchiveStore, engine: SearchEngine, smtp_url: str, mail_from: str, public_url: str) -> SendReport:
    """Send every follower the items that came since their follows' last digest, in one e-mail; a
    follower with nothing new gets no mail."""
    parts = urlsplit(smtp_url)
    host, port = parts.hostname or "localhost", parts.port or 25
    base = public_url.rstrip("/")
    accounts, follows = Accounts(store.db), Follows(store.db)
    report = SendReport()
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            _send_all(store, engine, smtp, accounts, follows, base, mail_from, report)
    except (OSError, smtplib.SMTPException) as exc:
        raise ArkivError(f"kunne ikke sende gennem {host}:{port}: {exc}") from exc
    return report


def followers(all_follows: list[Follow]) -> list[list[Follow]]:
    """The follows grouped by follower (account and address); in each, searches, then bodies, cases
    and persons (archive.follows.KINDS), each kind in the order made (a stable order: the store's
    clock counts seconds, so several follows are often made in the same one)."""
    groups: dict[tuple[str, str], list[Follow]] = {}
    for follow in all_follows:
        groups.setdefault((follow.user_name, follow.email.lower()), []).append(follow)
    order = {kind: n for n, kind in enumerate(KINDS)}
    return [sorted(group, key=lambda f: order.get(f.kind, len(order))) for group in groups.values()]


def _section(store: ArchiveStore, engine: SearchEngine, follow: Follow, viewer: Viewer, base: str,
             listed: dict[str, str]) -> Section:
    """What is new for one follow, read as ``viewer`` may see it; ``listed`` (item id -> the label it
    stands under) are the items of this digest's earlier sections, and gains this one's."""
    # A follow of a body since merged into another follows that one (archive.store.aliases).
    request = dataclasses.replace(merged_bodies(parse_request(follow.state), store.merged_into),
                                  private=include_private(viewer), snippets=False)
    section = Section(follow, newest=follow.since, at_newest=list(follow.sent))
    for arrival in newly_added(engine, store, request, DIGEST_LIMIT, since=follow.since):
        if follow.was_sent(arrival.added, arrival.hit.id):
            continue
        found = store.get_item(arrival.hit.id)
        meeting = visible(found[1], viewer) if found else None
        item = next((it for it in meeting.items if it.id == arrival.hit.id), None) if meeting else None
        if item is None or meeting is None:
            continue
        citation = cite.citation(item, meeting)
        if item.id in listed:
            section.shared.setdefault(listed[item.id], []).append(citation)
        else:
            listed[item.id] = follow.label
            section.entries.append((citation, f"{base}/punkt/{quote(item.id)}"))
        if arrival.added > section.newest:
            section.newest, section.at_newest = arrival.added, []
        if arrival.added == section.newest:
            section.at_newest.append(item.id)
    return section


def _send_all(store: ArchiveStore, engine: SearchEngine, smtp: smtplib.SMTP, accounts: Accounts, follows: Follows,
              base: str, mail_from: str, report: SendReport) -> None:
    for group in followers(follows.all()):
        user = accounts.get(group[0].user_name)
        if user is None:
            report.skipped += 1
            continue
        viewer = Viewer(user.name, user.role)
        listed: dict[str, str] = {}
        sections = [s for s in (_section(store, engine, f, viewer, base, listed) for f in group)
                    if s.entries or s.shared]
        if not sections:
            continue
        smtp.send_message(_digest(sections, len(listed), base, mail_from))
        for section in sections:
            follows.mark_sent(section.follow.token, section.newest, section.at_newest)
        report.sent += 1
        report.items += len(listed)
