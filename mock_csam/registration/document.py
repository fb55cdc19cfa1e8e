"""The registration document (2.12-2.13): a PDF the main access manager signs and sends back to CSAM."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

from ..domain.models import Registration
from ..domain.rules import IDENTIFICATION_TYPES, PROJECT_TYPE
from ..i18n import _, _l
from . import LANGUAGE_NAMES

# Where the signed document goes back: by e-mail with an eID signature, or by post with a handwritten one.
SIGNED_DOCUMENT_EMAIL = "enregistrement@csam.ehealth.example"
SIGNED_DOCUMENT_POSTAL_ADDRESS = _l("eHealth – CSAM, Quai de Willebroeck 38, 1000 Bruxelles")

# A Unicode TrueType font prints French as typed; the usual places on Debian, Fedora and Arch.
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
# The PDF core fonts only know Latin-1: these common characters get a close Latin-1 stand-in.
_LATIN1_STAND_INS = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u202f": " ", "œ": "oe", "Œ": "OE"}
)


@lru_cache(maxsize=1)
def unicode_font() -> tuple[Path, Path] | None:
    """The DejaVu Sans regular and bold files, if this machine has them."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class UnicodePdf(FPDF):
    """An A4 PDF that prints French as typed with a Unicode font when the system has one, else with the
    core fonts and a Latin-1 transliteration (`text_for_font`)."""

    def __init__(self, font: tuple[Path, Path] | None) -> None:
        super().__init__(format="A4")
        if font:
            self.add_font("DejaVu", "", str(font[0]))
            self.add_font("DejaVu", "B", str(font[1]))
            self.family_name = "DejaVu"
        else:
            self.family_name = "helvetica"
        self.unicode = font is not None
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(20, 20, 20)

    def text_for_font(self, text: str) -> str:
        """The text itself with a Unicode font; otherwise a Latin-1 transliteration keeping the accents it can."""
        if self.unicode:
            return text
        text = str(text).translate(_LATIN1_STAND_INS)
        out = []
        for ch in text:
            try:
                ch.encode("latin-1")
                out.append(ch)
            except UnicodeEncodeError:
                out.append(unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1"))
        return "".join(out)


class _Document(UnicodePdf):
    """A4 pages with the CSAM header and a page number in the footer."""

    def header(self) -> None:
        """The issuer's name at the top of every page."""
        self.set_font(self.family_name, "B", 10)
        self.set_text_color(91, 42, 134)
        self.cell(0, 6, self.text_for_font(_("CSAM – Gestion des accès")), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(4)

    def footer(self) -> None:
        """The page number at the bottom of every page."""
        self.set_y(-15)
        self.set_font(self.family_name, "", 8)
        self.cell(0, 8, self.text_for_font(_("Page %(page)s", page=self.page_no())), align="C")

    def heading(self, text: str) -> None:
        """A section title."""
        self.ln(3)
        self.set_font(self.family_name, "B", 12)
        self.multi_cell(0, 7, self.text_for_font(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family_name, "", 10)

    def paragraph(self, text: str) -> None:
        """A block of running text."""
        self.set_font(self.family_name, "", 10)
        self.multi_cell(0, 5.5, self.text_for_font(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def row(self, label: str, value: str) -> None:
        """One «label : value» line of a summary."""
        self.set_font(self.family_name, "B", 10)
        self.cell(62, 6.5, self.text_for_font(label))
        self.set_font(self.family_name, "", 10)
        self.multi_cell(0, 6.5, self.text_for_font(value or "–"), new_x="LMARGIN", new_y="NEXT")


def registration_pdf(registration: Registration) -> bytes:
    """The request to designate this registration's main access manager, ready to be signed."""
    project, person = registration.project, registration.gap_person
    pdf = _Document(unicode_font())
    number = registration.request_number
    pdf.set_title(_("Demande %(number)s", number=number))
    pdf.set_author("CSAM")
    pdf.set_subject(_("Désignation d'un Gestionnaire d'Accès Principal"))
    pdf.add_page()

    pdf.set_font(pdf.family_name, "B", 16)
    pdf.multi_cell(
        0, 8, pdf.text_for_font(_("Désignation d'un Gestionnaire d'Accès Principal")), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.row(_("Numéro de la demande"), number)
    pdf.row(_("Date de la demande"), f"{registration.created_at:%d/%m/%Y}")

    pdf.heading(_("Organisation"))
    pdf.row(_("Type d'identification"), str(IDENTIFICATION_TYPES[PROJECT_TYPE]))
    pdf.row(_("Dénomination"), project.name)
    pdf.row(_("N°INAMI"), project.inami_number)
    pdf.row(_("Adresse"), f"{project.street}, {project.postal_code} {project.city}")

    pdf.heading(_("Gestionnaire d'Accès Principal"))
    pdf.row(_("Nom"), person.last_name)
    pdf.row(_("Prénom"), person.first_name)
    # The 11 digits, as the confirmation summary shows them, so the document and the page read alike.
    pdf.row(_("NISS"), person.niss)
    pdf.row(_("Adresse e-mail"), registration.email)
    pdf.row(_("Numéro de téléphone"), registration.phone)
    pdf.row(_("Langue"), LANGUAGE_NAMES.get(person.language, person.language))
    pdf.row(_("Identifiants par la poste"), _("Oui") if registration.credentials_by_post else _("Non"))

    pdf.heading(_("Déclaration"))
    pdf.paragraph(
        _(
            "Je soussigné(e), %(name)s, responsable du projet %(project)s dans l'application SZV de l'INAMI, "
            "demande à être désigné(e) Gestionnaire d'Accès Principal de cette organisation dans CSAM et "
            "certifie que les données ci-dessus sont exactes.",
            name=person.full_name,
            project=project.name,
        )
    )

    pdf.heading(_("Comment renvoyer ce document"))
    pdf.paragraph(
        _(
            "Signature électronique : signez ce PDF avec votre carte eID et renvoyez-le par e-mail à %(email)s.",
            email=SIGNED_DOCUMENT_EMAIL,
        )
    )
    pdf.paragraph(
        _(
            "Signature manuelle : imprimez ce document, signez-le à la main et envoyez-le par la poste à "
            "%(address)s. La demande sera enregistrée à la réception du document.",
            address=SIGNED_DOCUMENT_POSTAL_ADDRESS,
        )
    )
    pdf.paragraph(_("Mentionnez le numéro de la demande (%(number)s) dans votre envoi.", number=number))

    pdf.ln(6)
    pdf.row(_("Date"), "_" * 30)
    pdf.ln(4)
    pdf.row(_("Signature"), "_" * 30)
    return bytes(pdf.output())
