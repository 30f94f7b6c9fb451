"""JMA 防災情報XML: samples in the JMA schema, feeds served by ``responses`` (no internet)."""

from __future__ import annotations

import pytest
import requests
import responses

from collectors.jma import JmaCollector, entry_code
from collectors.jma_xml import JmaParseError, parse_report
from disaster_desk.core.alerts import AlertService

from .conftest import DATA

JMA = DATA / "jma"
FEED = "https://www.data.jma.go.jp/developer/xml/feed/eqvol.xml"
EXTRA = "https://www.data.jma.go.jp/developer/xml/feed/extra.xml"
XML = "https://www.data.jma.go.jp/developer/xml/data/"


def sample(name: str) -> bytes:
    return (JMA / name).read_bytes()


def test_vxse53_gives_the_intensity_of_each_ward():
    alert = parse_report(sample("VXSE53_osaka.xml"), "x53")
    assert alert.kind == "intensity"
    assert alert.data["ward_intensity"] == {"北区": "6-", "都島区": "5+", "中央区": "5-", "淀川区": "5+"}
    assert list(alert.data["ward_intensity"]) == ["北区", "都島区", "中央区", "淀川区"]  # the city's order
    assert alert.data["ward_unreported"] == ["西成区"]
    assert alert.data["max_intensity"] == "6-"
    assert alert.data["hypocenter"] == "大阪府北部"
    assert (alert.data["lat"], alert.data["lon"], alert.data["depth_km"]) == (34.8, 135.6, 10.0)
    assert alert.data["magnitude"] == "6.1"
    assert alert.issued_at.utcoffset().total_seconds() == 9 * 3600
    assert "京都市北区" not in str(alert.data) and "高槻市" not in alert.data["ward_intensity"]


def test_vxse51_gives_regions_only():
    alert = parse_report(sample("VXSE51_osaka.xml"), "x51")
    assert alert.kind == "intensity"
    assert alert.data["area_intensity"] == {"大阪府北部": "6-", "大阪府南部": "5-"}
    assert alert.data["ward_intensity"] == {}
    assert alert.headline.startswith("１７日０５時４６分ころ")


def test_a_quake_not_felt_in_the_prefecture_is_not_kept():
    assert parse_report(sample("VXSE51_miyagi.xml"), "m") is None


def test_tsunami_for_the_osaka_coast():
    alert = parse_report(sample("VTSE41_osaka.xml"), "t")
    assert alert.kind == "tsunami"
    assert alert.data["areas"] == {"大阪府": "津波注意報"}
    assert alert.data["category"] == "津波注意報"


def test_warnings_for_the_city_only():
    alert = parse_report(sample("VPWW54_osaka.xml"), "w")
    assert alert.kind == "warning"
    assert alert.data["area"] == "大阪市"
    assert alert.data["active"] == ["大雨警報", "洪水警報", "雷注意報"]  # 強風注意報 was lifted (解除)
    assert {"name": "強風注意報", "status": "解除"} in alert.data["warnings"]


def test_a_jma_exercise_message_is_never_a_real_alert():
    xml = sample("VXSE53_osaka.xml").replace("<Status>通常</Status>".encode(), "<Status>訓練</Status>".encode())
    assert parse_report(xml, "drill") is None


@pytest.mark.parametrize(
    "xml",
    [b"<Report><Control>", b"<feed/>", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Report>&x;</Report>'],
)
def test_malformed_reports_raise_a_clear_error(xml):
    with pytest.raises(JmaParseError, match="bad-id"):
        parse_report(xml, "bad-id")


def test_entry_codes_come_from_the_file_name():
    assert entry_code({"link": XML + "20260116205630_0_VXSE53_010000.xml"}) == "VXSE53"
    assert entry_code({"title": "震度速報", "link": "https://mirror.example/a.xml"}) == "VXSE51"


def _serve_reports(rsps):
    rsps.get(FEED, body=sample("eqvol.xml"), headers={"ETag": '"v1"', "Last-Modified": "Fri, 16 Jan 2026 20:56:30 GMT"})
    rsps.get(XML + "20260116205630_0_VXSE53_010000.xml", body=sample("VXSE53_osaka.xml"))
    rsps.get(XML + "20260116204800_0_VXSE51_010000.xml", body=sample("VXSE51_osaka.xml"))
    rsps.get(XML + "20260116205000_0_VTSE41_010000.xml", body=sample("VTSE41_osaka.xml"))
    rsps.get(XML + "20260116100000_0_VXSE51_010000.xml", body=sample("VXSE51_miyagi.xml"))


def test_feed_run_stores_each_relevant_report_once(ctx, db, clock, no_jitter):
    collector = JmaCollector([FEED], backoff=no_jitter)
    with responses.RequestsMock() as rsps:
        _serve_reports(rsps)
        collector.run(ctx)
        fetched = [c.request.url for c in rsps.calls]
    assert ctx.items == 3
    assert not any("VFVO50" in u for u in fetched)  # volcano reports are not downloaded
    alerts = AlertService(db, clock).latest()
    assert sorted(a.kind for a in alerts) == ["intensity", "intensity", "tsunami"]
    assert AlertService(db, clock).latest_ward_intensity()["北区"] == "6-"

    # Next poll: the feed answers 304 to the stored ETag; nothing is fetched or stored again.
    with responses.RequestsMock() as rsps:
        rsps.get(FEED, status=304, match=[responses.matchers.header_matcher({"If-None-Match": '"v1"'})])
        collector.run(ctx)
    assert len(AlertService(db, clock).latest()) == 3


def test_feed_without_etag_does_not_refetch_known_or_irrelevant_reports(ctx, db, clock, no_jitter):
    collector = JmaCollector([FEED], backoff=no_jitter)
    with responses.RequestsMock() as rsps:
        _serve_reports(rsps)
        collector.run(ctx)
    with responses.RequestsMock() as rsps:
        rsps.get(FEED, body=sample("eqvol.xml"))  # a server that ignores conditional requests
        collector.run(ctx)
        assert len(rsps.calls) == 1
    assert len(AlertService(db, clock).latest()) == 3


def test_warnings_only_from_the_area_office(ctx, db, clock, no_jitter):
    collector = JmaCollector([EXTRA], backoff=no_jitter)
    with responses.RequestsMock() as rsps:  # unregistered URLs (Tokyo's report) would raise
        rsps.get(EXTRA, body=sample("extra.xml"))
        rsps.get(XML + "20260701011200_0_VPWW54_270000.xml", body=sample("VPWW54_osaka.xml"))
        collector.run(ctx)
    [alert] = AlertService(db, clock).latest("warning")
    assert alert.data["active"][0] == "大雨警報"


def test_server_errors_are_retried_and_a_broken_report_does_not_stop_the_rest(ctx, db, clock, sleep, no_jitter):
    collector = JmaCollector([FEED], backoff=no_jitter)
    with responses.RequestsMock() as rsps:
        rsps.get(FEED, status=503)
        rsps.get(FEED, body=requests.exceptions.ReadTimeout("read timed out"))
        _serve_reports(rsps)
        rsps.replace(responses.GET, XML + "20260116205000_0_VTSE41_010000.xml", body=sample("VTSE41_osaka.xml")[:300])
        collector.run(ctx)
    assert sleep.calls == [1.0, 2.0]  # backoff between the three feed attempts
    assert sorted(a.kind for a in AlertService(db, clock).latest()) == ["intensity", "intensity"]


def test_alerts_are_idempotent_per_scope(db, clock):
    from disaster_desk.core.modes import Scope

    alert = parse_report(sample("VTSE41_osaka.xml"), "t1")
    real = AlertService(db, clock)
    assert real.store([alert, alert]) == 1
    assert real.store([alert]) == 0
    drill = AlertService(db, clock, Scope.drill("run-1"))
    assert drill.store([alert]) == 1
    assert len(real.latest()) == 1


def test_vpww53_and_other_coasts():
    vpww53 = sample("VPWW54_osaka.xml").replace(
        "<Title>気象警報・注意報（Ｈ２７）</Title>".encode(), "<Title>気象特別警報・警報・注意報</Title>".encode()
    )
    assert parse_report(vpww53, "w53").data["active"] == ["大雨警報", "洪水警報", "雷注意報"]
    elsewhere = sample("VTSE41_osaka.xml").replace("<Name>大阪府</Name>".encode(), "<Name>和歌山県</Name>".encode())
    assert parse_report(elsewhere, "t2") is None
