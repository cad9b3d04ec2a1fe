"""Proof-of-attendance letters: the PDF (fpdf2) and looking a letter up by its code."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from attendance.models import AttendanceLetter
from attendance.selectors import attended_sessions
from core.timezones import zone

# DejaVu covers Latin (é, ç, ñ, ¿, «…), Greek, Cyrillic and more, so any language and any name
# prints as written (fpdf2's core fonts are Latin-1 only).
FONT_DIR = Path(__file__).resolve().parent / "fonts"


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())[:32]


def letter_by_code(raw: str) -> AttendanceLetter | None:
    code = normalise_code(raw)
    if not code:
        return None
    return (
        AttendanceLetter.objects.select_related("member", "group", "issued_by")
        .filter(code=code)
        .first()
    )


def letter_still_matches(letter) -> bool:
    """Whether today's records still give the sessions the letter certified."""
    current = attended_sessions(letter.group, letter.member, letter.date_from, letter.date_to)
    return [s.pk for s in current] == [entry["session"] for entry in letter.sessions]


def letter_filename(letter) -> str:
    """Neutral: nothing about the clinic's services or the person."""
    return f"letter-{letter.code.lower()}.pdf"


def _long_date(day: datetime.date) -> str:
    # Translators: a Django date format (1 January 2026).
    return date_format(day, pgettext("letter date", "j F Y"))


def _weekday_date(day: datetime.date) -> str:
    # Translators: a Django date format (Tuesday 6 January 2026).
    return date_format(day, pgettext("letter date", "l j F Y"))


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest})
    return " ".join(parts)


def letter_sentence(letter) -> str:
    """The certifying sentence, in the active language."""
    count = letter.sessions_attended
    if letter.name_programme:
        what = ngettext(
            "%(count)d session of the %(kind)s “%(group)s”",
            "%(count)d sessions of the %(kind)s “%(group)s”",
            count,
        ) % {"count": count, "kind": letter.group.get_kind_display().lower(), "group": letter.group}
    else:
        what = ngettext("%(count)d group session", "%(count)d group sessions", count) % {
            "count": count
        }
    period = _("between %(first)s and %(last)s") % {
        "first": _long_date(letter.date_from),
        "last": _long_date(letter.date_to),
    }
    total = (
        _(", %(duration)s in total") % {"duration": _duration(letter.total_minutes)}
        if count
        else ""
    )
    return _(
        "This letter confirms that %(who)s attended %(what)s at %(clinic)s %(period)s%(total)s."
    ) % {
        "who": letter.name_on_letter,
        "what": what,
        "clinic": settings.CLINIC_NAME,
        "period": period,
        "total": total,
    }


def letter_pdf(letter) -> bytes:
    """The letter in its member's language (whoever downloads it: it is theirs to hand over)."""
    with translation.override(letter.member.language or settings.LANGUAGE_CODE):
        return _letter_pdf(letter)


def _letter_pdf(letter) -> bytes:
    # Imported here: fpdf2 brings fontTools and Pillow (~45 MB a process), which only
    # the few requests that make a PDF need.
    from fpdf import FPDF

    clinic = settings.CLINIC_NAME
    group_zone = zone(letter.group.time_zone)
    code = format_code(letter.code)
    pdf = FPDF(format="A4")
    pdf.set_lang(translation.get_language())
    pdf.set_title(_("Confirmation of attendance"))
    pdf.set_author(clinic)
    pdf.set_creator(clinic)
    pdf.set_creation_date(letter.issued_at)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, clinic, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    issued = letter.issued_at.astimezone(group_zone).date()
    pdf.cell(
        0,
        6,
        _("Issued on %(date)s") % {"date": _long_date(issued)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, _("Confirmation of attendance"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, _("To whom it may concern,"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6, letter_sentence(letter), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    if letter.sessions:
        pdf.set_font("DejaVu", "", 10)
        with pdf.table(col_widths=(60, 30, 40), text_align="LEFT") as table:
            table.row(
                (
                    pgettext("letter table", "Date"),
                    pgettext("letter table", "Start"),
                    pgettext("letter table", "Duration"),
                )
            )
            for entry in letter.sessions:
                start = datetime.datetime.fromisoformat(entry["starts_at"]).astimezone(group_zone)
                table.row(
                    (
                        _weekday_date(start.date()),
                        # Translators: a Django time format (18:30).
                        date_format(start, pgettext("letter time", "H:i")),
                        _duration(entry["minutes"]),
                    )
                )
        pdf.ln(4)

    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5,
        _(
            "Times are local to the sessions (%(zone)s). %(clinic)s can confirm this letter "
            "on request: quote the verification code %(code)s."
        )
        % {"zone": letter.group.time_zone, "clinic": clinic, "code": code},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, _("Verification code: %(code)s") % {"code": code})
    return bytes(pdf.output())
