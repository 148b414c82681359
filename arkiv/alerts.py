"""E-mail alerts: one digest per follow (archive.follows) of the items new to the archive since the
last one, by ingest time (index.recent), through the SMTP server the configuration names.

`arkiv alerts send` runs :func:`send_due` (from cron or a systemd timer).  Access is re-checked at
every send: the follow's account must still exist, and its search and every item are read as that
account may see them (archive.visibility): a closed item or an internal meeting never reaches a
digest its reader may not see.
"""
from __future__ import annotations

import dataclasses
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from archive import cite
from archive.accounts import Accounts
from archive.errors import ArkivError
from archive.follows import Follow, Follows
from archive.plurals import plural
from archive.visibility import Viewer, include_private, visible
from index.recent import newly_added
from index.search import merged_bodies, parse_request

if TYPE_CHECKING:
    from archive.store.api import ArchiveStore
    from index.engine_api import SearchEngine

DIGEST_LIMIT = 200          # items in one digest at most (the rest: the search's link)


@dataclass
class SendReport:
    sent: int = 0           # digests delivered
    items: int = 0          # items in them
    skipped: int = 0        # follows whose account is gone


def _digest(follow: Follow, entries: list[tuple[str, str]], base: str, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = follow.email
    message["Subject"] = f"arkiv: {plural(len(entries), 'nyt punkt', 'nye punkter')} – {follow.label}"
    unsubscribe = f"{base}/afmeld/{quote(follow.token)}"
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    lines = [f"Nyt i arkivet for {follow.label}:", ""]
    for citation, link in entries:
        lines += [citation, link, ""]
    lines += [f"Hele søgningen: {base}/?{follow.query}", "", f"Afmeld med ét klik: {unsubscribe}"]
    message.set_content("\n".join(lines))
    return message


def send_due(store: ArchiveStore, engine: SearchEngine, smtp_url: str, mail_from: str, public_url: str) -> SendReport:
    """Send every follow the items that came since its last digest; a follow with nothing new gets no mail."""
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


def _send_all(store: ArchiveStore, engine: SearchEngine, smtp: smtplib.SMTP, accounts: Accounts, follows: Follows,
              base: str, mail_from: str, report: SendReport) -> None:
    for follow in follows.all():
        user = accounts.get(follow.user_name)
        if user is None:
            report.skipped += 1
            continue
        viewer = Viewer(user.name, user.role)
        # A follow of a body since merged into another follows that one (archive.store.aliases).
        request = dataclasses.replace(merged_bodies(parse_request(follow.state), store.merged_into),
                                      private=include_private(viewer), snippets=False)
        arrivals = [a for a in newly_added(engine, store, request, DIGEST_LIMIT, since=follow.since)
                    if not follow.was_sent(a.added, a.hit.id)]
        entries, newest, at_newest = [], follow.since, list(follow.sent)
        for arrival in arrivals:
            found = store.get_item(arrival.hit.id)
            meeting = visible(found[1], viewer) if found else None
            item = next((it for it in meeting.items if it.id == arrival.hit.id), None) if meeting else None
            if item is None or meeting is None:
                continue
            entries.append((cite.citation(item, meeting), f"{base}/punkt/{quote(item.id)}"))
            if arrival.added > newest:
                newest, at_newest = arrival.added, []
            if arrival.added == newest:
                at_newest.append(item.id)
        if not entries:
            continue
        smtp.send_message(_digest(follow, entries, base, mail_from))
        follows.mark_sent(follow.token, newest, at_newest)
        report.sent += 1
        report.items += len(entries)
