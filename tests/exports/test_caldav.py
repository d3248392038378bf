"""Pushing to a real CalDAV server (Radicale, started here on 127.0.0.1 with htpasswd auth)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import caldav
import icalendar
import pytest

from app.services import caldav_sync
from app.services.errors import InvalidInput
from models import PushTarget
from tests.exports.builders import Variant, add_plan, load_ka
from tests.exports.conftest import SETTINGS

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
USER, PASSWORD = "tr-customs", "kapikule-2026"
MONDAY = "2026-03-30"
# Few days keep the pushes short: the Saturday night shift across spring-forward, and a Monday to re-plan.
DAYS = [date(2026, 3, 28), date(2026, 3, 30)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    folder = tmp_path_factory.mktemp("radicale")
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    (folder / "config").write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        # No delay after a refused login: the wrong-password test would wait for it.
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = warning\n"
    )
    server = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(folder / "config")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("Radicale did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def methods(monkeypatch):
    """Every HTTP method the CalDAV client sends, in order."""
    sent: list[str] = []
    original = caldav.DAVClient.request

    def recording(self, url, method="GET", body="", headers=None, *args, **kwargs):
        sent.append(method)
        return original(self, url, method, body, headers, *args, **kwargs)

    monkeypatch.setattr(caldav.DAVClient, "request", recording)
    return sent


@pytest.fixture
def target(sqlite_session, radicale, monkeypatch, request):
    monkeypatch.setenv("JUXTA_TEST_CALDAV", PASSWORD)
    post = load_ka(sqlite_session)
    add_plan(sqlite_session, post, 1, days=DAYS)
    collection = f"{radicale}/{USER}/ka-bg-{request.node.name[-12:].strip('[]_').lower()}/"
    made = caldav_sync.create_push_target(sqlite_session, post, name="tr-customs", side_code="BG", url=collection, username=USER, password_ref="env:JUXTA_TEST_CALDAV", kinds=["hours", "shifts"])
    sqlite_session.commit()
    return made


def remote_events(target: PushTarget) -> dict[str, icalendar.Event]:
    client = caldav.DAVClient(url=target.url, username=USER, password=PASSWORD, require_tls=False)
    calendar = caldav.Calendar(client=client, url=target.url)
    found = {}
    for item in calendar.search(event=True):
        component = icalendar.Calendar.from_ical(item.data).walk("VEVENT")[0]
        found[str(component["UID"])] = component
    return found


def push(session, target, now, **kwargs):
    report = caldav_sync.push(session, target, SETTINGS, now, **kwargs)
    session.commit()
    return report


def test_push_then_push_again_then_replan(sqlite_session, target, methods):
    first = push(sqlite_session, target, T0)
    assert first.ok, first.error
    held = remote_events(target)
    assert first.puts == first.added == len(held) > 10
    assert methods.count("PUT") == first.puts and methods.count("MKCALENDAR") == 1
    assert {int(e["SEQUENCE"]) for e in held.values()} == {0}
    shift = held["shift.KA.BG-CUS2.2026-03-28@juxta"]
    assert shift["DTEND"].dt.astimezone(UTC) - shift["DTSTART"].dt.astimezone(UTC) == timedelta(hours=7)

    methods.clear()
    again = push(sqlite_session, target, T0 + timedelta(hours=1))
    assert again.ok and again.puts == 0 and again.deletes == 0
    assert "PUT" not in methods and "DELETE" not in methods
    assert remote_events(target).keys() == held.keys()

    add_plan(sqlite_session, target.post, 2, days=DAYS, variant=Variant(shorten_bg_vet_on=datetime(2026, 3, 30).date(), drop_officer_shift=("BG-CUS1", datetime(2026, 3, 30).date())))
    sqlite_session.commit()
    methods.clear()
    replanned = push(sqlite_session, target, T0 + timedelta(days=1))
    assert replanned.ok and (replanned.updated, replanned.cancelled, replanned.added, replanned.deletes) == (1, 1, 0, 0)
    assert methods.count("PUT") == 2 and "DELETE" not in methods
    after = remote_events(target)
    assert after.keys() == held.keys()
    changed = after[f"hours.KA.BG-VET-OFF.{MONDAY}.2@juxta"]
    assert int(changed["SEQUENCE"]) == 1 and changed["DTEND"].dt.hour == 15
    cancelled = after[f"shift.KA.BG-CUS1.{MONDAY}@juxta"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    unchanged = [uid for uid in held if uid not in (f"hours.KA.BG-VET-OFF.{MONDAY}.2@juxta", f"shift.KA.BG-CUS1.{MONDAY}@juxta")]
    assert all(after[uid].to_ical() == held[uid].to_ical() for uid in unchanged)

    methods.clear()
    expired = push(sqlite_session, target, T0 + timedelta(days=1 + SETTINGS.cancelled_grace_days))
    assert expired.ok and expired.deletes == 1 and expired.puts == 0
    assert methods.count("DELETE") == 1
    assert f"shift.KA.BG-CUS1.{MONDAY}@juxta" not in remote_events(target)


def test_a_wrong_password_stops_the_push_and_says_so(sqlite_session, target, monkeypatch):
    monkeypatch.setenv("JUXTA_TEST_CALDAV", "wrong")
    report = push(sqlite_session, target, T0)
    assert not report.ok and report.puts == 0
    assert target.last_push_ok is False and "stopped" in target.last_push_message
    monkeypatch.setenv("JUXTA_TEST_CALDAV", PASSWORD)
    retry = push(sqlite_session, target, T0)
    assert retry.ok and retry.puts == len(remote_events(target))


def test_a_push_cut_short_resumes_where_it_stopped(sqlite_session, target, monkeypatch):
    original = caldav.DAVClient.put
    calls = {"n": 0}

    def flaky(self, url, body, headers=None):
        calls["n"] += 1
        if calls["n"] == 5:
            raise caldav.lib.error.PutError("connection reset")
        return original(self, url, body, headers)

    monkeypatch.setattr(caldav.DAVClient, "put", flaky)
    cut = push(sqlite_session, target, T0)
    assert not cut.ok and cut.puts == 4
    monkeypatch.setattr(caldav.DAVClient, "put", original)
    rest = push(sqlite_session, target, T0)
    assert rest.ok and cut.puts + rest.puts == len(remote_events(target))


def test_a_push_target_needs_a_safe_url_and_a_password_reference(sqlite_session):
    post = load_ka(sqlite_session)
    with pytest.raises(InvalidInput) as refused:
        caldav_sync.create_push_target(sqlite_session, post, name="bad name", side_code="XX", url="http://caldav.example.org/x/", password_ref="hunter2", kinds=["weather"])
    fields = sorted(problem.field for problem in refused.value.problems)
    assert fields == ["calendar", "name", "password_ref", "side", "url"]


def test_the_sync_button_job_pushes_and_records_the_result(sqlite_session, target):
    from sqlalchemy.orm import sessionmaker

    from app.services import jobs
    from models import Job, JobStatus, utcnow

    # The job pushes at the real time now, so the plan must be of the coming days.
    tomorrow = utcnow().date() + timedelta(days=1)
    add_plan(sqlite_session, target.post, 2, days=[tomorrow], horizon=(tomorrow, 7))
    job = caldav_sync.enqueue_push(sqlite_session, target, SETTINGS, None)
    sqlite_session.commit()
    jobs.run_job(sessionmaker(sqlite_session.get_bind(), expire_on_commit=False), job.id)
    sqlite_session.expire_all()
    done = sqlite_session.get(Job, job.id)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert done.result["puts"] == len(remote_events(target)) > 0


def test_a_push_target_is_found_by_id_name_or_post_and_name(sqlite_session, tmp_path):
    post = load_ka(sqlite_session)
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    made = caldav_sync.create_push_target(sqlite_session, post, name="tr-customs", side_code="BG", url="https://caldav.example.org/ka/", password_ref=f"file:{secret}")
    sqlite_session.commit()
    assert caldav_sync.find_push_target(sqlite_session, str(made.id)) is made
    assert caldav_sync.find_push_target(sqlite_session, "tr-customs") is made
    assert caldav_sync.find_push_target(sqlite_session, "KA/tr-customs") is made
    assert caldav_sync.password_of(made) == "s3cret"
    with pytest.raises(caldav_sync.NotFound):
        caldav_sync.find_push_target(sqlite_session, "GR/tr-customs")
