"""Notes as one PDF (fpdf2, with attendance's bundled DejaVu font, which covers the accents and
quotes of French and Spanish) for a records request or a transfer of care, in the language of
whoever makes it. File names are neutral: "records-2026-11-30.pdf"."""

import datetime

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from attendance.letters import FONT_DIR
from core.dates import clock
from core.timezones import zone


def records_filename(day: datetime.date) -> str:
    return f"records-{day.isoformat()}.pdf"


def _stamp(moment, tz) -> str:
    local = moment.astimezone(tz)
    return pgettext("a date, then a time of day", "%(day)s, %(time)s") % {
        "day": formats.date_format(local, "j F Y"),
        "time": clock(local),
    }


def _signatures(note, tz) -> str:
    if not note.signed_at:
        return _("Draft: not signed")
    signed = _("Signed by %(name)s on %(when)s") % {
        "name": note.signed_by.display_name,
        "when": _stamp(note.signed_at, tz),
    }
    if note.cosigned_at:
        signed += "; " + _("co-signed by %(name)s on %(when)s") % {
            "name": note.cosigned_by.display_name,
            "when": _stamp(note.cosigned_at, tz),
        }
    elif note.cosign_required:
        signed += "; " + _("awaiting co-signature")
    return signed


def notes_pdf(*, title: str, subtitle: str, notes: list, made_at: datetime.datetime) -> bytes:
    # Imported here: fpdf2 brings fontTools and Pillow (~45 MB a process), which only
    # the few requests that make a PDF need.
    from fpdf import FPDF

    clinic = settings.CLINIC_NAME
    pdf = FPDF(format="A4")
    pdf.set_title(_("Records"))
    pdf.set_author(clinic)
    pdf.set_creator(clinic)
    pdf.set_creation_date(made_at)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, clinic, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not notes:
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, _("No notes in this range."), new_x="LMARGIN", new_y="NEXT")
    for note in notes:
        tz = zone(note.session.group.time_zone)
        pdf.set_font("DejaVu", "B", 11)
        heading = _("%(when)s: %(kind)s") % {
            "when": _stamp(note.session.starts_at, tz),
            "kind": note.get_kind_display(),
        }
        if note.member_id:
            heading += f", {note.member.display_name}"
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        facts = [
            _("Group: %(name)s") % {"name": note.session.group.name},
            _("Format: %(name)s") % {"name": note.template.display_name},
        ]
        if note.attendance_label:
            facts.append(_("Attendance: %(mark)s") % {"mark": note.attendance_label})
        pdf.multi_cell(0, 5, " · ".join(facts), new_x="LMARGIN", new_y="NEXT")
        for _key, label, text in note.labelled():
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, text or "—", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 5, _signatures(note, tz), new_x="LMARGIN", new_y="NEXT")
        for addendum in note.addenda.all():
            pdf.set_font("DejaVu", "B", 9)
            signed = _("Addendum, signed by %(name)s on %(when)s") % {
                "name": addendum.signed_by.display_name,
                "when": _stamp(addendum.signed_at, tz),
            }
            pdf.multi_cell(0, 5, signed, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, addendum.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
    return bytes(pdf.output())
