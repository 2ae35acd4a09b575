"""A PDF document readable in Polish and Russian (fpdf2): the Unicode font and the page
furniture shared by every printed document (the plan, the proposal).

PDF core fonts know only Latin-1, so the text needs a Unicode TrueType font. In order:
Source Sans Pro from the `font-source-sans-pro` package (a dependency, so every install
has it), DejaVu Sans from the system, and as a last resort the core Helvetica with a
logged warning (letters outside Latin-1 then print as "?").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

log = logging.getLogger(__name__)

SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
FAMILY = "DocumentSans"


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


def unicode_font() -> FontFiles | None:
    """The first Unicode font found: the packaged one, then the system's; None if neither."""
    try:
        import font_source_sans_pro as packaged

        files = packaged.font_files_ttf
        found = FontFiles(Path(files["SourceSansPro"]), Path(files["SourceSansProBold"]))
        if found.regular.is_file() and found.bold.is_file():
            return found
    except (ImportError, KeyError):
        pass
    regular, bold = SYSTEM_FONTS
    if regular.is_file() and bold.is_file():
        return FontFiles(regular, bold)
    return None


class DocumentPDF(FPDF):
    def __init__(self, title: str, fonts: FontFiles | None):
        super().__init__(format="A4")
        self.document_title = title
        self.unicode = fonts is not None
        if fonts:
            self.add_font(FAMILY, "", str(fonts.regular))
            self.add_font(FAMILY, "B", str(fonts.bold))
            self.body_font = FAMILY
        else:
            log.warning(
                "No Unicode font for PDF documents (install font-source-sans-pro or DejaVu); "
                "letters outside Latin-1 will print as '?'."
            )
            self.body_font = "Helvetica"
        self.set_title(self.clean(title))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def clean(self, value) -> str:
        value = str(value if value is not None else "")
        if self.unicode:
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.body_font, "", 8)
        self.set_text_color(120)
        label = f"{self.document_title} · {self.page_no()}/{{nb}}"
        self.cell(0, 6, self.clean(label), align="C")
        self.set_text_color(0)

    def heading(self, label: str, size: int = 13) -> None:
        # Never a heading alone at the foot of a page: start a new page unless the
        # heading and a few lines of what follows still fit.
        if self.get_y() + KEEP_WITH_HEADING > self.page_break_trigger:
            self.add_page()
        self.ln(3)
        self.set_font(self.body_font, "B", size)
        self.multi_cell(0, 7, self.clean(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.body_font, "", 10)

    def paragraph(self, value: str) -> None:
        self.set_font(self.body_font, "", 10)
        self.multi_cell(0, 5, self.clean(value or "—"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, header: list[str], rows: list[list[str]], weights: tuple[int, ...]) -> None:
        """A table whose columns are at least as wide as their longest word or amount (an
        amount or a word is never broken), the rest shared by `weights`."""
        if not rows:
            self.paragraph(_("None."))
            return
        self.set_font(self.body_font, "", 9)
        widths = self.fitted_widths([header, *rows], weights)
        with self.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            head = table.row()
            for label in header:
                head.cell(self.clean(label))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.clean(value))
        self.set_font(self.body_font, "", 10)

    def fitted_widths(self, rows: list[list[str]], weights: tuple[int, ...]) -> tuple[float, ...]:
        padding = 2 * self.c_margin + 1
        longest = [
            max(
                (
                    self.get_string_width(token)
                    for row in rows
                    for token in _unbreakable(self.clean(row[column]))
                ),
                default=0,
            )
            + padding
            for column in range(len(weights))
        ]
        room = self.epw - sum(longest)
        if room <= 0:  # more than a page of words: share the page by the longest words
            return tuple(self.epw * width / sum(longest) for width in longest)
        total = sum(weights)
        return tuple(width + room * weight / total for width, weight in zip(longest, weights))


def _unbreakable(text: str) -> list[str]:
    """The pieces a line may not be broken inside: words, and amounts with their currency
    (the formats put a no-break space between an amount and its currency)."""
    return [token for token in re.split(r"[ \t\n]+", text) if token] or [""]


KEEP_WITH_HEADING = 30  # mm: a heading and about four lines of what follows
