"""Proof-of-attendance letters: the PDF (fpdf2) and looking a letter up by its code."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

from attendance.models import AttendanceLetter
from attendance.selectors import attended_sessions
from core.timezones import zone

# DejaVu covers most scripts, so any name prints as written (fpdf2's core fonts are Latin-1).
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
    return f"{day.day} {day:%B %Y}"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def letter_sentence(letter) -> str:
    clinic = settings.CLINIC_NAME
    count = letter.sessions_attended
    noun = "session" if count == 1 else "sessions"
    period = f"between {_long_date(letter.date_from)} and {_long_date(letter.date_to)}"
    if letter.name_programme:
        what = f"{count} {noun} of the {letter.group.get_kind_display().lower()} “{letter.group}”"
    else:
        what = f"{count} group {noun}"
    total = f", {_duration(letter.total_minutes)} in total" if count else ""
    who = letter.name_on_letter
    return f"This letter confirms that {who} attended {what} at {clinic} {period}{total}."


def letter_pdf(letter) -> bytes:
    clinic = settings.CLINIC_NAME
    group_zone = zone(letter.group.time_zone)
    pdf = FPDF(format="A4")
    pdf.set_title("Confirmation of attendance")
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
    pdf.cell(0, 6, f"Issued on {_long_date(issued)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(0, 8, "Confirmation of attendance", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, "To whom it may concern,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6, letter_sentence(letter), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    if letter.sessions:
        pdf.set_font("DejaVu", "", 10)
        with pdf.table(col_widths=(60, 30, 40), text_align="LEFT") as table:
            table.row(("Date", "Start", "Duration"))
            for entry in letter.sessions:
                start = datetime.datetime.fromisoformat(entry["starts_at"]).astimezone(group_zone)
                table.row(
                    (
                        f"{start:%A} {_long_date(start.date())}",
                        f"{start:%H:%M}",
                        _duration(entry["minutes"]),
                    )
                )
        pdf.ln(4)

    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5,
        f"Times are local to the sessions ({letter.group.time_zone}). "
        f"{clinic} can confirm this letter on request: quote the verification code "
        f"{format_code(letter.code)}.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, f"Verification code: {format_code(letter.code)}")
    return bytes(pdf.output())
