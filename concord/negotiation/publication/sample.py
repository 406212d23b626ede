"""An illustrative adopted text in en/ru/zh, for tests and for looking at the renderers.

ILLUSTRATIVE DEMO TEXT: not the real Astana Declaration, nor any real SCO document.
"""

from __future__ import annotations

from datetime import date

from concord.negotiation.publication.model import AdoptedText, Provision, Reservation

DEMO_MARK = {
    "en": "(demo text)",
    "ru": "(демонстрационный текст)",
    "zh": "（演示文本）",
}


def sample_text() -> AdoptedText:
    """A small declaration: two preambular paragraphs, three operative ones (one with
    sub-paragraphs), a reservation on one provision and one on the whole document."""
    return AdoptedText(
        org_slug="sco",
        org_name={
            "en": "Shanghai Cooperation Organisation",
            "ru": "Шанхайская организация сотрудничества",
            "zh": "上海合作组织",
        },
        body_name={
            "en": "Council of Heads of State",
            "ru": "Совет глав государств",
            "zh": "成员国元首理事会",
        },
        body_slug="chs",
        symbol="SCO/CHS/2024/DEMO.1",
        kind="declaration",
        titles={
            "en": f"Astana Declaration {DEMO_MARK['en']}",
            "ru": f"Астанинская декларация {DEMO_MARK['ru']}",
            "zh": f"阿斯塔纳宣言{DEMO_MARK['zh']}",
        },
        languages=("en", "ru", "zh"),
        official_languages=("ru", "zh"),
        adopted_on=date(2024, 7, 4),
        adopted_at_meeting={
            "en": "Council of Heads of State, Astana, 2024-07-04",
            "ru": "Совет глав государств, Астана, 2024-07-04",
            "zh": "成员国元首理事会，阿斯塔纳，2024-07-04",
        },
        version_number=3,
        provisions=(
            Provision(
                key="pp1",
                kind="preamble",
                label="",
                texts={
                    "en": "The Heads of the Member States, meeting in Astana,",
                    "ru": "Главы государств-членов, собравшиеся в Астане,",
                    "zh": "成员国元首在阿斯塔纳举行会议，",
                },
            ),
            Provision(
                key="pp2",
                kind="preamble",
                label="",
                texts={
                    "en": "Reaffirming their commitment to good-neighbourliness & mutual trust,",
                    "ru": "подтверждая приверженность добрососедству и взаимному доверию,",
                    "zh": "重申致力于睦邻友好与相互信任，",
                },
            ),
            Provision(
                key="op1",
                kind="operative",
                label="1.",
                texts={
                    "en": "Agree to strengthen cooperation on trade, transport and energy.",
                    "ru": "Договорились укреплять сотрудничество в области торговли, "
                    "транспорта и энергетики.",
                    "zh": "同意加强贸易、交通和能源领域合作。",
                },
            ),
            Provision(
                key="op2",
                kind="operative",
                label="2.",
                texts={
                    "en": "Decide to hold consultations on:",
                    "ru": "Постановляют провести консультации по:",
                    "zh": "决定就以下问题举行磋商：",
                },
                children=(
                    Provision(
                        key="op2a",
                        kind="point",
                        label="(a)",
                        texts={
                            "en": "digital connectivity;",
                            "ru": "цифровой связанности;",
                            "zh": "数字互联互通；",
                        },
                    ),
                    Provision(
                        key="op2b",
                        kind="point",
                        label="(b)",
                        texts={
                            "en": "water resources <in the region>.",
                            "ru": "водным ресурсам в регионе.",
                            "zh": "本地区水资源问题。",
                        },
                    ),
                ),
            ),
            Provision(
                key="op3",
                kind="operative",
                label="3.",
                texts={
                    "en": "Request the Secretariat to report at the next meeting.",
                    "ru": "Поручают Секретариату доложить на следующем заседании.",
                    "zh": "责成秘书处在下次会议上提交报告。",
                },
            ),
        ),
        reservations=(
            Reservation(
                state_iso3="IND",
                state_names={"en": "India", "ru": "Индия", "zh": "印度"},
                texts={
                    "en": "India does not join paragraph 1 as regards transport corridors.",
                    "ru": "Индия не присоединяется к пункту 1 в части транспортных коридоров.",
                    "zh": "印度不赞同第1段中有关交通走廊的内容。",
                },
                provisions=("op1", "op2b"),
            ),
            Reservation(
                state_iso3="PAK",
                state_names={"en": "Pakistan", "ru": "Пакистан", "zh": "巴基斯坦"},
                texts={"en": "Pakistan joins the declaration subject to its national law."},
                provisions=(),
            ),
        ),
        chain_head="5f2b9c0d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
        document_id=42,
        sponsors=("KAZ", "RUS", "CHN"),
    )


def main(argv: list[str] | None = None) -> int:
    """Render the sample: ``python -m concord.negotiation.publication.sample akn ru out.xml``.

    For ``akn`` it also prints the schema errors (none: "valid").
    """
    import argparse
    import os
    import sys

    import django

    parser = argparse.ArgumentParser(description="Render the illustrative adopted text.")
    parser.add_argument("format", choices=["html", "pdf", "akn"])
    parser.add_argument("lang", choices=["en", "ru", "zh"])
    parser.add_argument("output", help="file to write, - for standard output")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from concord.negotiation.publication import (
        render_akn,
        render_html,
        render_pdf,
        validate_akn,
    )

    text = sample_text()
    if args.format == "html":
        data = render_html(text, args.lang).encode()
    elif args.format == "pdf":
        data = render_pdf(text, args.lang)
    else:
        data = render_akn(text, args.lang)
        errors = validate_akn(data)
        print("\n".join(errors) or "valid against akomantoso30.xsd", file=sys.stderr)
        if errors:
            return 1
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(args.output, "wb") as fh:
            fh.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
