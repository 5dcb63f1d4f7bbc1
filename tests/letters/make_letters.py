"""Make the DOCX and PDF letters of the ingest corpus (tests/letters/).

    .venv/bin/python tests/letters/make_letters.py          # all of them

The files it makes are committed: the tests read them and never need LibreOffice.
  be-interior-2022-02-07.docx   python-docx: letterhead in the page header, footer with a
                                PAGE field, addressee block in a table, Word numbering
  de-digital-2021-10-11.docx    python-docx: letterhead header, footer, proposals in a table
  ie-foreign-2022-04-04.pdf     LibreOffice (soffice --convert-to pdf) from a DOCX with a
                                two-column letterhead (a borderless table) and a numbered list
  it-culture-2022-03-15.pdf     LibreOffice from a DOCX: letterhead in the page header, a
                                list run into one paragraph ("...: - ...; - ...; et - ...")
  nl-rail-2021-11-08.pdf        WeasyPrint (from nl-rail-2021-11-08.html): two pages, running header and "Page n of N",
                                justified text hyphenated with U+2010, a paragraph across
                                the page break, the addressee block at the foot
"""
from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent


# -- python-docx helpers --------------------------------------------------------------------

def _new_document():
    import docx
    from docx.shared import Pt

    document = docx.Document()
    core = document.core_properties
    core.author, core.last_modified_by = "", ""
    core.created = core.modified = datetime.datetime(2022, 1, 1)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Liberation Serif", Pt(11)
    return document


def _page_field(paragraph):
    """A PAGE field: Word and LibreOffice print the page number there."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.startswith(" ") else "w:t")
            el.text = text
            if text.startswith(" "):
                el.set(qn("xml:space"), "preserve")
        run._r.append(el)


def _no_borders(table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _lines(cell, lines):
    cell.paragraphs[0].text = lines[0]
    for ln in lines[1:]:
        cell.add_paragraph(ln)


def _letterhead(document, lines, footer=None):
    """The letterhead in the page header, a paragraph a line; a footer ending in a PAGE field."""
    _lines(document.sections[0].header, lines)
    if footer:
        paragraph = document.sections[0].footer.paragraphs[0]
        paragraph.text = footer
        _page_field(paragraph)


def _paras(document, text):
    for block in text.strip().split("\n\n"):
        document.add_paragraph(" ".join(block.split("\n")) if not block.startswith("|")
                               else block[1:])


# -- A: Belgian Minister of the Interior, French, DOCX -------------------------------------

def be_interior(path: Path):
    document = _new_document()
    _letterhead(document, ["ROYAUME DE BELGIQUE",
                           "La Ministre de l'Intérieur, des Réformes institutionnelles "
                           "et du Renouveau démocratique"],
                footer="Rue de la Loi 2 – 1000 Bruxelles – page ")
    document.add_paragraph("Bruxelles, le 7 février 2022")
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _lines(table.rows[0].cells[1], ["Monsieur Gérald Darmanin", "Ministre de l'Intérieur",
                                    "Place Beauvau", "75008 Paris", "France"])
    document.add_paragraph("Objet : coopération policière transfrontalière et lutte contre "
                           "le trafic de stupéfiants")
    document.add_paragraph("Cher Gérald,")
    document.add_paragraph(
        "Je tiens tout d'abord à vous remercier pour l'accueil réservé à ma délégation à "
        "Lille le 20 janvier, et à saluer le travail remarquable des policiers français et "
        "belges qui ont démantelé, le mois dernier, un réseau de trafiquants opérant entre "
        "Anvers et Roubaix.")
    document.add_paragraph(
        "Les saisies de cocaïne dans le port d'Anvers ont atteint 89 tonnes en 2021. Les "
        "réseaux criminels se déplacent désormais vers des ports plus petits et vers les "
        "axes routiers qui traversent notre frontière commune, où la violence liée à la "
        "drogue progresse.")
    document.add_paragraph(
        "Dans ce contexte, je propose que nous réunissions à Bruxelles, au printemps, les "
        "ministres de l'Intérieur de la France, de la Belgique, des Pays-Bas et du "
        "Luxembourg afin d'arrêter un plan commun contre le trafic de stupéfiants dans les "
        "ports de la mer du Nord.")
    document.add_paragraph("Nous pourrions en outre :")
    for item in ("créer des patrouilles mixtes de police dans les trains transfrontaliers "
                 "entre Lille et Bruxelles ;",
                 "étendre l'échange automatisé des données de lecture des plaques "
                 "d'immatriculation à tous les points de passage de la frontière ;",
                 "mettre en place une équipe commune d'enquête permanente sur le blanchiment "
                 "des profits du trafic de drogue."):
        document.add_paragraph(item, style="List Number")
    document.add_paragraph(
        "Par solidarité avec les communes frontalières les plus touchées, je propose "
        "également que nos deux gouvernements cofinancent un programme de prévention de la "
        "toxicomanie dans les quartiers de Roubaix, de Tourcoing et de Mouscron.")
    document.add_paragraph(
        "Mes services se tiennent à la disposition des vôtres pour préparer ces "
        "propositions.")
    document.add_paragraph(
        "Je vous prie d'agréer, Monsieur le Ministre, cher Gérald, l'expression de ma haute "
        "considération.")
    document.add_paragraph("Annelies Verlinden")
    document.add_paragraph("Copie : M. Vincent Van Quickenborne, vice-Premier ministre et "
                           "ministre de la Justice ; Mme Ylva Johansson, commissaire "
                           "européenne aux Affaires intérieures")
    document.save(path)


# -- G: German Federal Minister of Transport and Digital Infrastructure, English, DOCX ------

def de_digital(path: Path):
    document = _new_document()
    _letterhead(document, ["Federal Ministry of Transport and Digital Infrastructure",
                           "The Federal Minister"],
                footer="Invalidenstraße 44, 10115 Berlin · Page ")
    for line in ("Mr Cédric O", "Secretary of State for the Digital Transition and "
                 "Electronic Communications", "139 rue de Bercy", "75012 Paris"):
        document.add_paragraph(line)
    document.add_paragraph("Berlin, 11 October 2021")
    document.add_paragraph("Dear Cédric,")
    document.add_paragraph(
        "Let me first congratulate you on the success of the VivaTech conference in Paris, "
        "and thank you for the warm welcome you gave to the German start-ups that took part "
        "in it.")
    document.add_paragraph(
        "Our two countries have shown with GAIA-X that Europe can build its own "
        "infrastructure for data. Yet our motorways still lose mobile coverage at the border, "
        "and our companies depend on chips made in Asia for almost every connected product "
        "they sell.")
    document.add_paragraph("I suggest that we take the following steps together:")
    table = document.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    rows = [("Step", "Timing"),
            ("a cross-border 5G corridor for connected and automated driving between "
             "Metz, Saarbrücken and Merzig", "tender by spring 2022"),
            ("a joint call for projects under the IPCEI on microelectronics, open to "
             "small and medium-sized firms", "before the end of 2021"),
            ("a common position on the Data Act ahead of the Telecommunications Council",
             "December 2021")]
    for row, (a, b) in zip(table.rows, rows):
        row.cells[0].text, row.cells[1].text = a, b
    document.add_paragraph(
        "I would also be glad to host a meeting of our national cybersecurity agencies, the "
        "BSI and ANSSI, in Bonn in November, to prepare a joint certification scheme for "
        "cloud services.")
    document.add_paragraph(
        "I look forward to continuing our excellent cooperation during the French Presidency "
        "of the Council of the European Union.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Andreas Scheuer")
    document.add_paragraph("Federal Minister of Transport and Digital Infrastructure")
    document.save(path)


# -- B: Irish Minister for Foreign Affairs, English, DOCX -> LibreOffice PDF --------------

def ie_foreign_docx(path: Path):
    document = _new_document()
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _lines(table.rows[0].cells[0], ["An Roinn Gnóthaí Eachtracha", "Department of Foreign Affairs",
                                    "Office of the Minister"])
    _lines(table.rows[0].cells[1], ["Iveagh House", "80 St Stephen's Green", "Dublin 2",
                                    "D02 VY53", "Ireland"])
    document.add_paragraph("")
    for line in ("M. Jean-Yves Le Drian", "Ministre de l'Europe et des Affaires étrangères",
                 "37 Quai d'Orsay", "75007 Paris", "France"):
        document.add_paragraph(line)
    document.add_paragraph("4 April 2022")
    document.add_paragraph("Dear Jean-Yves,")
    document.add_paragraph(
        "I would like to thank you once again for the support that France gave to Ireland "
        "throughout the negotiation of the Protocol on Ireland and Northern Ireland, and to "
        "express our solidarity with the people of the Alpes-Maritimes after the floods of "
        "last autumn.")
    document.add_paragraph(
        "Since the United Kingdom left the European Union, the direct links between our two "
        "countries have become more important than ever. The number of freight sailings "
        "between Rosslare and Cherbourg, Le Havre and Dunkirk has risen from twelve to more "
        "than forty a week, and the Celtic Interconnector will from 2027 be the first "
        "electricity link between Ireland and continental Europe.")
    document.add_paragraph("To build on this, I propose three areas of work for the coming year:")
    for item in ("a joint review by our port authorities of the capacity of the Rosslare to "
                 "Cherbourg route, including new berths for unaccompanied trailers;",
                 "a Franco-Irish working group on the security of subsea cables and of the "
                 "Celtic Interconnector;",
                 "an exchange programme for teachers of French and of Irish in our secondary "
                 "schools, financed under Erasmus+."):
        document.add_paragraph(item, style="List Number")
    document.add_paragraph(
        "We could also hold the next Franco-Irish consultations in Cork in the autumn, with "
        "the ministers responsible for transport and for energy.")
    document.add_paragraph(
        "I would be grateful if your officials could confirm whether France will support "
        "funding for the Rosslare Europort project under the Connecting Europe Facility.")
    document.add_paragraph(
        "I look forward to seeing you at the Foreign Affairs Council in Luxembourg next week.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Simon Coveney")
    document.add_paragraph("Minister for Foreign Affairs")
    document.add_paragraph("Cc: Mr Clément Beaune, Minister of State for European Affairs")
    document.save(path)


# -- F: Italian Minister of Culture, French, DOCX -> LibreOffice PDF ----------------------

def it_culture_docx(path: Path):
    document = _new_document()
    _letterhead(document, ["Ministero della Cultura", "Il Ministro"])
    document.add_paragraph("Rome, le 15 mars 2022")
    for line in ("Madame Roselyne Bachelot-Narquin", "Ministre de la Culture",
                 "3 rue de Valois", "75001 Paris"):
        document.add_paragraph(line)
    document.add_paragraph("Madame la Ministre, chère Roselyne,")
    document.add_paragraph(
        "Je tiens à vous remercier chaleureusement pour l'accueil que vous avez réservé à "
        "la délégation italienne lors de l'inauguration de l'exposition consacrée à "
        "Léonard de Vinci, et à rendre hommage aux conservateurs du Louvre qui l'ont "
        "préparée.")
    document.add_paragraph(
        "Le traité du Quirinal, signé le 26 novembre dernier, ouvre un nouveau chapitre de "
        "la coopération entre nos deux pays. Son article 9 consacre la culture, la "
        "jeunesse et l'enseignement supérieur comme des priorités communes, et il nous "
        "appartient désormais de lui donner un contenu concret.")
    document.add_paragraph(
        "À cette fin, nous pourrions : - organiser en 2023 une saison croisée "
        "franco-italienne consacrée à la Renaissance ; - créer un fonds commun pour la "
        "restauration du patrimoine des vallées alpines et du littoral, de Menton à "
        "Vintimille ; et - ouvrir aux étudiants des deux pays un programme d'échange entre "
        "l'École du Louvre et l'université de Florence.")
    document.add_paragraph(
        "Je propose par ailleurs que nos ministères signent, avant l'été, un accord sur la "
        "circulation des œuvres entre musées nationaux, afin de réduire les délais et les "
        "coûts d'assurance des prêts.")
    document.add_paragraph(
        "Je serais heureux de vous accueillir à Florence au mois de juin pour faire le "
        "point sur ces projets.")
    document.add_paragraph(
        "Je vous prie d'agréer, Madame la Ministre, chère Roselyne, l'expression de mes "
        "sentiments les meilleurs.")
    document.add_paragraph("Dario Franceschini")
    document.add_paragraph("Copie : M. Christian Masset, ambassadeur de France en Italie")
    document.save(path)


def soffice_pdf(docx_path: Path, pdf_path: Path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice is needed: apt-get install -y libreoffice-writer")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True, timeout=300)
        shutil.move(Path(tmp) / (docx_path.stem + ".pdf"), pdf_path)


# -- C: Dutch Minister of Infrastructure, English, WeasyPrint, two pages -------------------

NL_RAIL = HERE / "nl-rail-2021-11-08.html"   # the letter's body, as the ministry wrote it

NL_CSS = """
@page { size: A4; margin: 3cm 2.8cm 3cm 2.8cm;
  @top-center { content: "Ministry of Infrastructure and Water Management"; font-size: 8pt; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }
@page :first { @top-center { content: none; } }
body { font-family: serif; font-size: 12pt; line-height: 1.45; }
p { margin: 0 0 0.9em 0; text-align: justify; hyphens: auto; }
p.head { text-align: left; hyphens: none; margin-bottom: 2em; }
p.foot { text-align: left; hyphens: none; margin-top: 3em; }
ul { margin: 0 0 0.9em 0; }
"""


def nl_rail(path: Path):
    import weasyprint

    page = (f"<html lang='en'><head><meta charset='utf-8'><style>{NL_CSS}</style></head>"
            f"<body>{NL_RAIL.read_text(encoding='utf-8')}</body></html>")
    weasyprint.HTML(string=page).write_pdf(path)


def main():
    be_interior(HERE / "be-interior-2022-02-07.docx")
    de_digital(HERE / "de-digital-2021-10-11.docx")
    with tempfile.TemporaryDirectory() as tmp:
        ie = Path(tmp) / "ie-foreign-2022-04-04.docx"
        ie_foreign_docx(ie)
        soffice_pdf(ie, HERE / "ie-foreign-2022-04-04.pdf")
        it = Path(tmp) / "it-culture-2022-03-15.docx"
        it_culture_docx(it)
        soffice_pdf(it, HERE / "it-culture-2022-03-15.pdf")
    nl_rail(HERE / "nl-rail-2021-11-08.pdf")


if __name__ == "__main__":
    main()
