"""Derive Concord's SCO reference file from the researched dataset in ``scripts/data/sco``.

The researched file is organised the way the research was done (members, observers,
chairmanships with their summits...). Concord's loader wants one flat list per model, every
date exact, every fact with its sources and verification level. This script does that once;
its output, ``concord/reference/data/sco.yaml``, is committed and is what ``concord
load-reference sco`` reads. Run it again when the research changes:

    .venv/bin/python scripts/derive_sco.py [scripts/data/sco/sco.yaml]

The research (``sco.yaml`` and ``NOTES.md``) is vendored in ``scripts/data/sco/``, so the
derivation runs, and ``tests/test_reference_derivation.py`` checks that the committed output
is what it derives, on a clone with nothing beside it.

State names in Russian and Chinese are not in the research; they come from the ISO 3166
translations of Debian's iso-codes (through ``pycountry``, a development-only dependency),
except where the forms SCO and Chinese official texts use differ (``NAMES``): those carry
their own sources, and each state records where each of its names comes from.

Facts marked ``unverified`` that carry no usable date are left out; everything else keeps
its verification level, which the pages show.
"""

from __future__ import annotations

import calendar
import gettext
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "concord" / "reference" / "data" / "sco.yaml"
RESEARCH = ROOT / "scripts" / "data" / "sco" / "sco.yaml"
ISO_SOURCE = "ISO 3166-1 names and their translations, Debian iso-codes (via pycountry)"

# Names SCO and Chinese official texts use where Debian's translations differ (Debian has
# 吉尔吉斯坦, 柬埔塞, 蒙古 and Киргизия). Each with the public texts it was read in.
_XINHUA_2020 = (
    "Xinhua, 新闻背景：上海合作组织, 2020-11-09 (article c_1126715012; lists 吉尔吉斯斯坦 "
    "among the members, 蒙古国 among the observers, 柬埔寨 among the dialogue partners), "
    "read at http://m.nsh-em.com/world/2020-11/09/c_1126715012.htm"
)
NAMES: dict[str, dict[str, tuple[str, list[str]]]] = {
    "KGZ": {
        "ru": (
            "Кыргызстан",
            [
                "https://news.day.az/world/1777445.html (Trend, 2025-09-01: «Председательство "
                "в ШОС перешло к Кыргызстану», on the Tianjin Declaration)",
            ],
        ),
        "zh": (
            "吉尔吉斯斯坦",
            [
                _XINHUA_2020,
                "https://gb.crntt.com/doc/202_11696_105095882_2_0608005253.html",
            ],
        ),
    },
    "KHM": {
        "zh": (
            "柬埔寨",
            [_XINHUA_2020, "http://bizasean1.com/dm/292.html (柬埔寨王国正式成为上合组织对话伙伴)"],
        )
    },
    "MNG": {"zh": ("蒙古国", [_XINHUA_2020])},
}
REFORM = date(2025, 9, 1)


def day(value: Any, *, end: bool = False) -> date | None:
    """A date from 'YYYY-MM-DD' or 'YYYY-MM' (first or last day of the month)."""
    if isinstance(value, date):
        return value
    if value is None:
        return None
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return None


def sourced(entry: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out = dict(fields)
    out["verification"] = entry.get("verification", "unverified")
    out["sources"] = list(entry.get("source") or [])
    if entry.get("note"):
        out["note"] = str(entry["note"])
    return out


# Bodies' and summit cities' names in Russian and Chinese, where public texts on the SCO
# give them; anything not listed has no sourced name and the pages say so.
_XINHUA_ASTANA = (
    "Xinhua, 2024-07-04 (习近平出席上海合作组织成员国元首理事会第二十四次会议), read in its "
    "traditional-character copy at "
    "http://big5.china.com.cn/gate/big5/xitheory.china.com.cn/2024-07/05/content_117292755.htm"
)
_BAIDU_ASTANA = (
    "https://baike.baidu.com/item/上海合作组织成员国元首理事会第二十四次会议/64600398 (Baidu "
    "Baike; read in a copy served by the translation proxy dichtienghoa.com)"
)
_TIANJIN_24KG = (
    "https://24.kg/vlast/341762_poitogam_soveta_glav_gosudarstv_shos_podpisan_ryad_dokumentov/"
)
BODY_NAMES: dict[str, dict[str, tuple[str, list[str]]]] = {
    "chs": {
        "ru": (
            "Совет глав государств — членов ШОС",
            [
                _TIANJIN_24KG,
                "https://rus.baq.kz/lidery-shos-utverdili-strategiyu-do-2035-goda-i-paket-novyh-"
                "soglasheniy_300021296/ (citing Akorda)",
            ],
        ),
        "zh": ("上海合作组织成员国元首理事会", [_BAIDU_ASTANA, _XINHUA_ASTANA]),
    },
}
CITY_NAMES: dict[str, dict[str, tuple[str, list[str]]]] = {
    "Astana": {
        "ru": (
            "Астана",
            ["https://www.gov.kz/memleket/entities/mfa-sofia/press/news/details/805294?lang=ru"],
        ),
        "zh": ("阿斯塔纳", [_BAIDU_ASTANA]),
    },
    "Tianjin": {
        "ru": ("Тяньцзинь", ["https://news.day.az/world/1777445.html (Trend, 2025-09-01)"]),
        "zh": ("天津", ["hk01.com article 60272184 (即時中國, 2025-09-01, quoting Xinhua)"]),
    },
    "Dushanbe": {
        "ru": (
            "Душанбе",
            [
                "https://24.kg/archive/ru/politic/186350-almazbek-atambaev-vyrazil-nadezhdu-chto-reshenie.html/"
            ],
        ),
        "zh": ("杜尚别", ["http://cj8832.cn/97032.html (Xinhua, 新华社杜尚别9月17日电, 2021)"]),
    },
    "Bishkek": {
        "ru": (
            "Бишкек",
            [
                "https://mirror.akorda.kz/ru/events/international_community/foreign_other_events/"
                "bishkekskaya-deklaraciya-soveta-glav-gosudarstv-chlenov-shanhaiskoi-organizacii-"
                "sotrudnichestva"
            ],
        ),
        "zh": ("比什凯克", [_XINHUA_2020]),
    },
    "Qingdao": {"ru": ("Циндао", ["http://kremlin.ru/supplement/5315"])},
    "Samarkand": {
        "zh": (
            "撒马尔罕",
            [
                "http://cpc.people.com.cn/BIG5/n1/2022/0917/c64387-32528169.html (People's Daily, "
                "上海合作组织成员国元首理事会撒马尔罕宣言, traditional-character copy)"
            ],
        )
    },
}


def localized(
    table: dict[str, dict[str, tuple[str, list[str]]]], key: str, english: str
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Names per language (English always) and the sources of each non-English one."""
    entries = table.get(key, {})
    names = {"en": english, **{lang: v[0] for lang, v in entries.items()}}
    return names, {lang: list(v[1]) for lang, v in entries.items()}


def names(iso3: str, english: str) -> dict[str, str]:
    country = pycountry.countries.get(alpha_3=iso3)
    key = getattr(country, "common_name", None) or country.name
    result = {"en": english}
    for lang, locale in (("ru", "ru"), ("zh", "zh_CN")):
        if lang in NAMES.get(iso3, {}):
            result[lang] = NAMES[iso3][lang][0]
            continue
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        translated = catalogue.gettext(key)
        if translated == key:
            translated = catalogue.gettext(country.name)
        result[lang] = translated
    return result


def state_entry(iso3: str, english: str) -> dict[str, Any]:
    """A state with its names: English from the research, Russian and Chinese from Debian's
    iso-codes (``names_source``) unless ``NAMES`` gives a name of its own, whose sources
    ``names_sources`` records per language."""
    entry: dict[str, Any] = {
        "iso3": iso3,
        "names": names(iso3, english),
        "names_source": ISO_SOURCE,
    }
    if iso3 in NAMES:
        entry["names_sources"] = {lang: list(v[1]) for lang, v in NAMES[iso3].items()}
    return entry


def memberships(data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    spans: list[dict[str, Any]] = []
    english: dict[str, str] = {}

    def add(iso3: str, status: str, start: Any, end: Any, entry: dict[str, Any]) -> None:
        start_d, end_d = day(start), day(end)
        if start_d is None:
            raise SystemExit(f"{iso3}: no start date for {status}")
        # Since the Tianjin decision of 2025-09-01 observers and dialogue partners are one
        # "partner" status: an open historical span is cut there and continued as partner.
        if status in ("observer", "dialogue_partner") and end_d is None:
            if start_d < REFORM:
                spans.append(sourced(entry, state=iso3, status=status, start=start_d, end=REFORM))
            spans.append(
                sourced(entry, state=iso3, status="partner", start=max(start_d, REFORM), end=None)
            )
            return
        spans.append(sourced(entry, state=iso3, status=status, start=start_d, end=end_d))

    for member in data["members"]:
        english[member["iso3"]] = member["name"]
        add(member["iso3"], "member", member["since"], None, member)
    for group in ("observers", "dialogue_partners"):
        for entry in data[group]:
            english.setdefault(entry["iso3"], entry["name"])
            status = entry["status"].removeprefix("former_")
            add(entry["iso3"], status, entry["since"], entry.get("until"), entry)
    spans.sort(key=lambda s: (s["state"], s["start"]))
    return spans, english


def bodies(data: dict[str, Any]) -> list[dict[str, Any]]:
    slugs = {
        "Council of Heads of State": "chs",
        "Council of Heads of Government (Prime Ministers)": "chg",
        "Council of Foreign Ministers": "cfm",
        "Council of National Coordinators": "cnc",
        "Meetings of Heads of Ministries and/or Agencies": "ministers",
        "Secretariat": "secretariat",
        "Regional Anti-Terrorist Structure": "rats",
        "SCO Anti-Drug Centre": "anti-drug-centre",
        "Universal Centre for Countering Security Challenges and Threats": "universal-centre",
    }
    out = []
    for entry in data["bodies"]:
        slug = slugs.get(entry["name"])
        if slug is None:  # non-governmental structures are not bodies that adopt documents
            continue
        body_names, body_names_sources = localized(BODY_NAMES, slug, entry["name"])
        out.append(
            sourced(
                entry,
                slug=slug,
                name=entry["name"],
                names=body_names,
                names_sources=body_names_sources,
                abbreviations=list(entry.get("abbreviations") or []),
                role=entry.get("role", ""),
                permanent=bool(entry.get("permanent", False)),
                seat=entry.get("seat", ""),
            )
        )
    return out


def chairmanships_and_summits(
    data: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    chairs: list[dict[str, Any]] = []
    summits: list[dict[str, Any]] = []
    previous_end: date | None = None
    for entry in data["chairmanships"]:
        summit = entry.get("summit") or {}
        s_start = day(summit.get("date_start") or summit.get("date"))
        s_end = day(summit.get("date_end")) or s_start
        chs_day = day(summit.get("chs_meeting_date")) or s_end
        start = day(entry.get("term_start")) or previous_end or s_start
        end = day(entry.get("term_end")) or chs_day
        if start is None:
            continue  # an unverified future term with no date (2026-2027) is left out
        verification = entry.get("chair_verification") or entry.get("verification")
        chair = sourced(
            entry,
            state=entry["iso3"],
            term=str(entry["term"]),
            start=start,
            end=end,
            basis=str(entry.get("chair_basis", "")),
            motto=str(entry.get("motto", "")),
            priorities=list(entry.get("priorities") or []),
        )
        chair["verification"] = verification
        chairs.append(chair)
        if s_start is not None:
            # The body's meeting is the day the Council of Heads of State itself met (side
            # events of a summit can start the day before: Astana, 3-4 July 2024).
            s_start = day(summit.get("chs_meeting_date")) or s_start
            host = next(
                (m["iso3"] for m in data["members"] if m["name"] == summit.get("host_country")),
                entry["iso3"],
            )
            city = summit.get("city", "")
            city_names, city_names_sources = localized(
                CITY_NAMES, city.removesuffix(" (videoconference)"), city
            )
            summits.append(
                sourced(
                    entry,
                    body="chs",
                    number=summit.get("number"),
                    start=s_start,
                    end=s_end,
                    city=city,
                    city_names=city_names,
                    city_names_sources=city_names_sources,
                    host=host,
                    main_document=summit.get("main_document", ""),
                    documents=[d for d in summit.get("documents") or [] if d != "unverified"],
                    documents_count=str(summit.get("documents_count", "")),
                )
            )
        previous_end = end
    return chairs, summits


def posts(data: dict[str, Any]) -> list[dict[str, Any]]:
    holders = []
    for entry in data["secretaries_general"]:
        holders.append(
            sourced(
                entry,
                name=entry["name"],
                state=entry["iso3"],
                start=day(entry["term_start"]),
                end=day(entry["term_end"], end=True),
                title_at_time=entry.get("title_at_time", ""),
            )
        )
    deputies = []
    for entry in data.get("deputy_secretaries_general_2024") or []:
        # Only the deputy whose term is dated in the sources (Yermekbayev, 2023-2024) is kept.
        if entry["name"] == "Nurlan Yermekbayev":
            deputies.append(
                sourced(
                    entry,
                    name=entry["name"],
                    state=entry["iso3"],
                    start=date(2023, 1, 1),
                    end=date(2024, 12, 31),
                    title_at_time="",
                )
            )
    return [
        {"slug": "secretary-general", "title": "Secretary-General", "holders": holders},
        {
            "slug": "deputy-secretary-general",
            "title": "Deputy Secretary-General",
            "holders": deputies,
        },
    ]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def derive(source: Path) -> str:
    """The reference file's text, derived from the research file ``source``."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    org = data["organization"]
    spans, english = memberships(data)
    chairs, summits = chairmanships_and_summits(data)
    states = [state_entry(iso3, name) for iso3, name in sorted(english.items())]
    native = org.get("native_names", {})
    out = {
        "notice": (
            "Derived by scripts/derive_sco.py from the researched SCO dataset "
            "(scripts/data/sco/sco.yaml and NOTES.md); every fact keeps its sources and "
            "verification level. Do not edit by hand."
        ),
        "organization": sourced(
            org,
            slug="sco",
            name=org["name"],
            abbreviation=org["abbreviation"],
            names={
                "en": org["name"],
                "ru": native.get("ru", org["name"]),
                "zh": native.get("zh", org["name"]),
            },
            official_languages=list(org["official_languages"]),
            founded=day(org["founded"]),
            founded_in=org.get("founded_in", ""),
            headquarters=org["headquarters"]["secretariat"],
            decision_rule=org.get("decision_rule_summary", ""),
        ),
        "partner_reform": sourced(
            data["partner_status_reform"],
            date=day(data["partner_status_reform"]["date"]),
            decision=data["partner_status_reform"]["decision"],
        ),
        "states": states,
        "memberships": spans,
        "bodies": bodies(data),
        "chairmanships": chairs,
        "meetings": summits,
        "posts": posts(data),
    }
    return (
        "# "
        + out.pop("notice")
        + "\n"
        + yaml.dump(out, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100)
    )


def main(source: Path) -> None:
    OUT.write_text(derive(source), encoding="utf-8")
    print(f"wrote {OUT} from {source}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else RESEARCH)
