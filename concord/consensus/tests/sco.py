"""The SCO's membership timeline, as far as the tests need it.

Founding members from 15 June 2001; India and Pakistan observers from 5 July 2005 and members
from 9 June 2017; Iran observer from 5 July 2005 and member from 4 July 2023; Belarus
observer from 2015 and member from 4 July 2024; Mongolia observer from 2004; Türkiye
dialogue partner from 2012. On 1 September 2025 observers and dialogue partners became
"partners".
"""

from __future__ import annotations

from datetime import date

from concord.consensus.membership import Span, Status, Timeline

FOUNDED = date(2001, 6, 15)
MERGED = date(2025, 9, 1)

SCO = Timeline.of(
    [
        *(Span(s, Status.MEMBER, FOUNDED) for s in ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB")),
        Span("IND", Status.OBSERVER, date(2005, 7, 5), date(2017, 6, 9)),
        Span("IND", Status.MEMBER, date(2017, 6, 9)),
        Span("PAK", Status.OBSERVER, date(2005, 7, 5), date(2017, 6, 9)),
        Span("PAK", Status.MEMBER, date(2017, 6, 9)),
        Span("IRN", Status.OBSERVER, date(2005, 7, 5), date(2023, 7, 4)),
        Span("IRN", Status.MEMBER, date(2023, 7, 4)),
        Span("BLR", Status.OBSERVER, date(2015, 7, 10), date(2024, 7, 4)),
        Span("BLR", Status.MEMBER, date(2024, 7, 4)),
        Span("MNG", Status.OBSERVER, date(2004, 6, 17), MERGED),
        Span("MNG", Status.PARTNER, MERGED),
        Span("TUR", Status.DIALOGUE_PARTNER, date(2012, 6, 7), MERGED),
        Span("TUR", Status.PARTNER, MERGED),
    ]
)
