"""The configured area: Osaka City's 24 wards and the HQ's share targets."""

from __future__ import annotations

#: The 24 wards of Osaka City (大阪市), in the city's official order.
OSAKA_WARDS: tuple[str, ...] = (
    "北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区",
    "天王寺区", "浪速区", "西淀川区", "淀川区", "東淀川区", "東成区", "生野区",
    "旭区", "城東区", "鶴見区", "阿倍野区", "住之江区", "住吉区", "東住吉区",
    "平野区", "西成区",
)

#: Departments HQ shares with, besides the ward offices.
DEPARTMENTS: tuple[str, ...] = (
    "消防局", "建設局", "水道局", "危機管理室", "健康局", "福祉局", "港湾局",
    "交通局", "環境局", "都市整備局", "ICT戦略室",
)

SHARE_TARGETS: tuple[str, ...] = OSAKA_WARDS + DEPARTMENTS


def is_ward(name: str | None) -> bool:
    return name in OSAKA_WARDS
