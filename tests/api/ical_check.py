#!/usr/bin/python3
"""ical_check.py — reads an iCalendar feed on stdin, parses it with a real
iCalendar parser (Debian's python3-icalendar), checks what RFC 5545 asks of
every line and event, and prints the events as JSON for the C test to judge:

  {"ok": true, "events": [{"uid", "summary", "start", "end", "all_day",
                           "description", "location"}, ...]}
  {"ok": false, "problem": "..."}   (and exit status 1)

Checked here: CRLF line ends, no line over 75 octets, one VCALENDAR with
VERSION 2.0 and PRODID, every VEVENT with UID (unique), DTSTAMP (UTC),
DTSTART and a DTEND after it, all-day events as DATE values."""
import json
import sys

from icalendar import Calendar


def fail(problem):
    print(json.dumps({"ok": False, "problem": problem}))
    sys.exit(1)


def main():
    raw = sys.stdin.buffer.read()
    if not raw.endswith(b"\r\n"):
        fail("the feed does not end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        if len(line) > 75:
            fail(f"line {number} is {len(line)} octets long")
        if b"\n" in line or b"\r" in line:
            fail(f"line {number} holds a bare line break")
    try:
        raw.decode("utf-8")
        cal = Calendar.from_ical(raw)
    except Exception as e:  # noqa: BLE001 — any parse failure is the finding
        fail(f"the parser refused the feed: {e}")
    if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
        fail("not a VCALENDAR with VERSION 2.0 and a PRODID")
    events, uids = [], set()
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID") or "")
        if not uid or uid in uids:
            fail(f"missing or repeated UID {uid!r}")
        uids.add(uid)
        stamp = ev.get("DTSTAMP")
        if stamp is None or getattr(stamp.dt, "tzinfo", None) is None:
            fail(f"{uid}: no DTSTAMP in UTC")
        start, end = ev.get("DTSTART"), ev.get("DTEND")
        if start is None or end is None:
            fail(f"{uid}: no DTSTART or DTEND")
        all_day = not hasattr(start.dt, "hour")
        if all_day != (not hasattr(end.dt, "hour")) or not end.dt > start.dt:
            fail(f"{uid}: DTEND is not after DTSTART, or of another kind")
        events.append({
            "uid": uid,
            "summary": str(ev.get("SUMMARY") or ""),
            "start": start.dt.isoformat(),
            "end": end.dt.isoformat(),
            "all_day": all_day,
            "description": str(ev.get("DESCRIPTION") or ""),
            "location": str(ev.get("LOCATION") or ""),
        })
    print(json.dumps({"ok": True, "events": events}))


main()
