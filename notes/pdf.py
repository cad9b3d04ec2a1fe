"""Notes as one PDF (fpdf2, with attendance's bundled DejaVu font) for a records request or a
transfer of care. File names are neutral: "records-2026-11-30.pdf"."""

import datetime

from django.conf import settings
from fpdf import FPDF

from attendance.letters import FONT_DIR
from attendance.models import Mark
from core.timezones import zone


def records_filename(day: datetime.date) -> str:
    return f"records-{day.isoformat()}.pdf"


def _stamp(moment, tz) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y, %H:%M}"


def notes_pdf(*, title: str, subtitle: str, notes: list, made_at: datetime.datetime) -> bytes:
    clinic = settings.CLINIC_NAME
    pdf = FPDF(format="A4")
    pdf.set_title("Records")
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
        pdf.multi_cell(0, 6, "No notes in this range.", new_x="LMARGIN", new_y="NEXT")
    for note in notes:
        tz = zone(note.session.group.time_zone)
        pdf.set_font("DejaVu", "B", 11)
        who = f", {note.member.display_name}" if note.member_id else ""
        heading = f"{_stamp(note.session.starts_at, tz)}: {note.get_kind_display()}{who}"
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        facts = [f"Group: {note.session.group.name}", f"Format: {note.template.name}"]
        if note.attendance_mark:
            facts.append(f"Attendance: {Mark(note.attendance_mark).label.lower()}")
        pdf.multi_cell(0, 5, " · ".join(facts), new_x="LMARGIN", new_y="NEXT")
        for _key, label, text in note.labelled():
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, text or "—", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        if note.signed_at:
            signed = f"Signed by {note.signed_by.display_name} on {_stamp(note.signed_at, tz)}"
            if note.cosigned_at:
                signed += f"; co-signed by {note.cosigned_by.display_name}"
                signed += f" on {_stamp(note.cosigned_at, tz)}"
            elif note.cosign_required:
                signed += "; awaiting co-signature"
        else:
            signed = "Draft: not signed"
        pdf.multi_cell(0, 5, signed, new_x="LMARGIN", new_y="NEXT")
        for addendum in note.addenda.all():
            pdf.set_font("DejaVu", "B", 9)
            pdf.multi_cell(
                0,
                5,
                f"Addendum, signed by {addendum.signed_by.display_name} "
                f"on {_stamp(addendum.signed_at, tz)}",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, addendum.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
    return bytes(pdf.output())
