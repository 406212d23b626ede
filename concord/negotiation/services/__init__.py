"""Every write of a document's lifecycle, one module per part of it.

    draft --version_create--> negotiation --silence_open--> silence --(expired)--> agreed
      ^                          |   ^                        |                      |
      |                          |   +----silence_break-------+                      |
      |                          +--position_set (all members accept)--> agreed -----+
      |                                                                              v
      +-- any stage but adopted --document_withdraw--> withdrawn      adoption_record -> adopted

- ``documents``: submit, sponsors, withdraw;
- ``versions``: consolidated versions and translation verification;
- ``amendments``: propose, accept, reject;
- ``positions``: a state's position;
- ``silence``: open, break, expire;
- ``adoption``: meetings, adoption, explanations of position;
- ``common``: what they share (revision checks, locking order, audit, rule messages).

Each module states its rules at the top. Every service runs in one transaction, locks the
document row before reading what it is about to change, checks an optional
``expected_revision`` (409 on a stale write), and appends an audit event for every
decision-relevant act. Permission checks live in ``accounts/access.py``; pure computations
(staleness, bracket assembly) in ``negotiation/compute.py``; selectors never import this
package.
"""

from concord.negotiation.compute import BracketIn, ProvisionIn
from concord.negotiation.services.adoption import (
    adoption_record,
    explanation_add,
    meeting_agenda_set,
    meeting_create,
)
from concord.negotiation.services.amendments import (
    amendment_accept,
    amendment_propose,
    amendment_reject,
)
from concord.negotiation.services.documents import (
    document_submit,
    document_withdraw,
    sponsor_join,
    sponsor_leave,
)
from concord.negotiation.services.positions import position_set
from concord.negotiation.services.silence import silence_break, silence_expire_due, silence_open
from concord.negotiation.services.versions import translation_verify, version_create

__all__ = [
    "BracketIn",
    "ProvisionIn",
    "adoption_record",
    "amendment_accept",
    "amendment_propose",
    "amendment_reject",
    "document_submit",
    "document_withdraw",
    "explanation_add",
    "meeting_agenda_set",
    "meeting_create",
    "position_set",
    "silence_break",
    "silence_expire_due",
    "silence_open",
    "sponsor_join",
    "sponsor_leave",
    "translation_verify",
    "version_create",
]
