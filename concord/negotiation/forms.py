"""Django forms of the negotiation desk. They check shapes (dates, choices, numbers); every
rule is the service's, so a page and the API refuse the same things with the same words."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.negotiation.compute import BracketIn, ProvisionIn
from concord.negotiation.models import AmendmentOp, Classification, Kind, ProvisionKind

LANGUAGE_NAMES = {"en": _("English"), "ru": _("Russian"), "zh": _("Chinese")}


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _codes(value: str) -> list[str]:
    return [c.upper() for c in re.split(r"[\s,;]+", value or "") if c]


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"))
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    host = forms.CharField(
        label=_("Host state (ISO 3166 alpha-3 code)"), max_length=3, required=False
    )
    agenda = forms.MultipleChoiceField(
        label=_("Documents on its agenda"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, bodies: list[tuple[str, str]], documents: Any, **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "body", bodies)
        _choices(self, "agenda", documents)


class AgendaForm(forms.Form):
    agenda = forms.MultipleChoiceField(
        label=_("Documents on its agenda"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, documents: Any, **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "agenda", documents)


class DocumentForm(forms.Form):
    symbol = forms.CharField(label=_("Symbol"), max_length=100, help_text="SCO/CHS/2026/DEC.1")
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    body = forms.ChoiceField(label=_("Adopting body"))
    meeting = forms.TypedChoiceField(
        label=_("Target meeting"), coerce=int, empty_value=None, required=False
    )
    languages = forms.MultipleChoiceField(label=_("Languages"), widget=forms.CheckboxSelectMultiple)
    sponsors = forms.CharField(
        label=_("Sponsors (ISO 3166 alpha-3 codes, comma-separated)"),
        required=False,
        max_length=400,
    )
    penholder = forms.CharField(label=_("Penholder (ISO code)"), max_length=3, required=False)
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial="restricted"
    )
    shared_with_partners = forms.BooleanField(label=_("Shared with partners"), required=False)

    def __init__(
        self,
        *args: Any,
        bodies: list[tuple[str, str]],
        meetings: list[tuple[Any, str]],
        languages: list[str],
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.langs = languages
        _choices(self, "body", bodies)
        _choices(self, "meeting", [("", "—"), *meetings])
        _choices(self, "languages", [(c, LANGUAGE_NAMES.get(c, c)) for c in languages])
        self.fields["languages"].initial = list(languages)
        for lang in languages:
            self.fields[f"title_{lang}"] = forms.CharField(
                label=_("Title (%(lang)s)") % {"lang": LANGUAGE_NAMES.get(lang, lang)},
                max_length=500,
                required=False,
            )

    def titles(self) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"title_{lang}") or "" for lang in self.langs}

    def sponsor_codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("sponsors", ""))


BRACKET_LINE = re.compile(r"^\s*(\d+)\s*[-–:]\s*(\d+)\s*(.*)$")


def parse_brackets(value: str, lang: str) -> list[BracketIn]:
    """One bracket a line: "start-end HELD,BY" (offsets into the text, in characters)."""
    found = []
    for line in (value or "").splitlines():
        if not line.strip():
            continue
        m = BRACKET_LINE.match(line)
        if m is None:
            raise forms.ValidationError(
                _("Write each bracket as start-end followed by the states holding it."),
                code="bracket",
            )
        found.append(BracketIn(int(m[1]), int(m[2]), tuple(_codes(m[3])), lang))
    return found


def format_brackets(brackets: Any) -> str:
    return "\n".join(f"{b.start}-{b.end} {','.join(b.held_by)}" for b in brackets)


class VersionForm(forms.Form):
    """A version's full text: ``rows`` provisions, each with a key, kind, parent, a text per
    language and its brackets per language (offsets, filled by selecting text when
    JavaScript runs, typed otherwise)."""

    note = forms.CharField(label=_("Note on this version"), max_length=300, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rows: int, languages: list[str], **kw: Any):
        super().__init__(*args, **kw)
        self.rows = rows
        self.languages = languages
        for i in range(rows):
            self.fields[f"p{i}_key"] = forms.CharField(
                label=_("Key"), max_length=60, required=False
            )
            self.fields[f"p{i}_kind"] = forms.ChoiceField(
                label=_("Kind"), choices=ProvisionKind.choices, initial="operative"
            )
            self.fields[f"p{i}_parent"] = forms.CharField(
                label=_("Part of (key)"), max_length=60, required=False
            )
            for lang in languages:
                self.fields[f"p{i}_text_{lang}"] = forms.CharField(
                    label=LANGUAGE_NAMES.get(lang, lang),
                    required=False,
                    max_length=20000,
                    strip=False,
                    widget=forms.Textarea(
                        attrs={"rows": 4, "lang": "zh" if lang == "zh" else lang}
                    ),
                )
                self.fields[f"p{i}_brackets_{lang}"] = forms.CharField(
                    label=_("Brackets (%(lang)s)") % {"lang": LANGUAGE_NAMES.get(lang, lang)},
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 1, "class": "bracket-offsets"}),
                )

    def rows_of(self) -> list[dict[str, Any]]:
        """The editor's rows as the template lays them out (languages side by side)."""
        out = []
        for i in range(self.rows):
            out.append(
                {
                    "i": i,
                    "key": self[f"p{i}_key"],
                    "kind": self[f"p{i}_kind"],
                    "parent": self[f"p{i}_parent"],
                    "langs": [
                        {
                            "lang": lang,
                            "text": self[f"p{i}_text_{lang}"],
                            "brackets": self[f"p{i}_brackets_{lang}"],
                        }
                        for lang in self.languages
                    ],
                }
            )
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.index: list[int] = []  # service row -> editor row
        self.provisions: list[ProvisionIn] = []
        for i in range(self.rows):
            key = (data.get(f"p{i}_key") or "").strip()
            texts = {
                lang: (data.get(f"p{i}_text_{lang}") or "").replace("\r\n", "\n")
                for lang in self.languages
                if (data.get(f"p{i}_text_{lang}") or "").strip()
            }
            brackets: list[BracketIn] = []
            for lang in self.languages:
                try:
                    brackets += parse_brackets(data.get(f"p{i}_brackets_{lang}") or "", lang)
                except forms.ValidationError as exc:
                    self.add_error(f"p{i}_brackets_{lang}", exc)
            if not key and not texts:
                continue  # an empty row
            if not key:
                self.add_error(f"p{i}_key", _("Give this provision a key."))
                continue
            self.index.append(i)
            self.provisions.append(
                ProvisionIn(
                    key=key,
                    kind=data.get(f"p{i}_kind") or "operative",
                    texts=texts,
                    brackets=tuple(brackets),
                    parent=(data.get(f"p{i}_parent") or "").strip(),
                )
            )
        return data

    def field_of(self, name: str) -> str | None:
        """The editor field a service's ``provisions.<n>.<part>`` names."""
        m = re.match(r"^provisions\.(\d+)(?:\.(\w+))?", name or "")
        if m is None:
            return None
        n = int(m[1])
        if n >= len(self.index):
            return None
        i = self.index[n]
        part = m[2] or "key"
        if part in ("key", "kind", "parent"):
            return f"p{i}_{part}"
        if part == "brackets":
            for lang in self.languages:
                if (self.data.get(f"p{i}_brackets_{lang}") or "").strip():
                    return f"p{i}_brackets_{lang}"
        return f"p{i}_text_{self.languages[0]}"


class FromAmendmentsForm(forms.Form):
    amendments = forms.TypedMultipleChoiceField(
        label=_("Accepted amendments to apply"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note on this version"), max_length=300, required=False)

    def __init__(self, *args: Any, amendments: list[tuple[int, str]], **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "amendments", amendments)
        self.fields["amendments"].initial = [a for a, _l in amendments]


class VerifyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    lang = forms.CharField(widget=forms.HiddenInput, max_length=10)


class SponsorForm(forms.Form):
    state = forms.CharField(label=_("State (ISO code)"), max_length=3)
    action = forms.ChoiceField(choices=[("join", "join"), ("leave", "leave")])


def _zones() -> list[tuple[str, str]]:
    common = ["UTC", "Asia/Shanghai", "Europe/Moscow", "Asia/Almaty", "Asia/Tashkent"]
    return [(z, z) for z in common]


class SilenceOpenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    zone = forms.CharField(label=_("Time zone of the deadline"), max_length=60, initial="UTC")

    def clean_zone(self) -> str:
        zone = self.cleaned_data["zone"].strip()
        if zone not in available_timezones():
            raise forms.ValidationError(_("Name a time zone such as UTC or Asia/Shanghai."))
        return zone

    def aware_deadline(self) -> Any:
        naive = self.cleaned_data["deadline"]
        if timezone.is_aware(naive):
            naive = timezone.make_naive(naive, timezone.get_current_timezone())
        return naive.replace(tzinfo=ZoneInfo(self.cleaned_data["zone"]))


class ReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdoptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    meeting = forms.TypedChoiceField(label=_("Meeting"), coerce=int)

    def __init__(self, *args: Any, meetings: list[tuple[int, str]], **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "meeting", meetings)


class AmendmentForm(forms.Form):
    """The same fields as the document page's embedded form (its names are kept)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    op = forms.ChoiceField(label=_("Operation"), choices=AmendmentOp.choices)
    provision = forms.CharField(
        label=_("Provision (its key; a new key to insert)"), max_length=60, required=False
    )
    after = forms.CharField(label=_("Insert after (key)"), max_length=60, required=False)
    kind = forms.ChoiceField(
        label=_("Kind (insert)"),
        choices=ProvisionKind.choices,
        initial="operative",
        required=False,
    )
    lang = forms.ChoiceField(label=_("Language"))
    text = forms.CharField(
        label=_("Text"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, languages: list[str], **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "lang", [(c, LANGUAGE_NAMES.get(c, c)) for c in languages])
