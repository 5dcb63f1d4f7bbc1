"""Protocol by the pair of writer and reader: salutation, complimentary close, addressee
block and signature block, in French and in the English courtesy translation, for every
pair of the four ranks (head of State, head of government, minister, ambassador) and both
registers. The expected forms are written here from the sources (French ministerial
usage, the FDFA's Protocole épistolaire; the forms English diplomatic translation uses),
not read back from protocol.yaml, so a wrong row of the table fails."""
from __future__ import annotations

import pytest
from conftest import edit, norm

from drafting import build, load_case
from drafting.errors import InputError
from drafting.inputs.people import Person, load_protocol
from drafting.inputs.sources import Map

RANKS = ("head-of-state", "head-of-government", "minister", "ambassador")

# The reader's form of address (a man), French and English.
ADDRESS = {
    "head-of-state": ("Monsieur le Président", "Mr President"),
    "head-of-government": ("Monsieur le Premier ministre", "Prime Minister"),
    "minister": ("Monsieur le Ministre", "Minister"),
    "ambassador": ("Monsieur l'Ambassadeur", "Ambassador"),
}
# The formal close's French noun and grade, and the English grade, for each pair: the
# expression of the highest consideration among heads and towards a higher rank, its
# assurance from a head of State to a head of government, the assurance of high
# consideration between ministers and towards a lower rank.
HIGHEST_EXPRESSION = ("l'expression de ma très haute considération", "my highest consideration")
HIGHEST_ASSURANCE = ("l'assurance de ma très haute considération", "my highest consideration")
HIGH_ASSURANCE = ("l'assurance de ma haute considération", "my high consideration")
FORMAL = {
    ("head-of-state", "head-of-state"): HIGHEST_EXPRESSION,
    ("head-of-state", "head-of-government"): HIGHEST_ASSURANCE,
    ("head-of-state", "minister"): HIGH_ASSURANCE,
    ("head-of-state", "ambassador"): HIGH_ASSURANCE,
    ("head-of-government", "head-of-state"): HIGHEST_EXPRESSION,
    ("head-of-government", "head-of-government"): HIGHEST_EXPRESSION,
    ("head-of-government", "minister"): HIGH_ASSURANCE,
    ("head-of-government", "ambassador"): HIGH_ASSURANCE,
    ("minister", "head-of-state"): HIGHEST_EXPRESSION,
    ("minister", "head-of-government"): HIGHEST_EXPRESSION,
    ("minister", "minister"): HIGH_ASSURANCE,
    ("minister", "ambassador"): HIGH_ASSURANCE,
    ("ambassador", "head-of-state"): HIGHEST_EXPRESSION,
    ("ambassador", "head-of-government"): HIGHEST_EXPRESSION,
    ("ambassador", "minister"): HIGHEST_EXPRESSION,
    ("ambassador", "ambassador"): HIGH_ASSURANCE,
}
HEADS = ("head-of-state", "head-of-government")
# Familiar register: the warmest close between the two leaders, a cordial one otherwise.
FRIENDSHIP = ("à l'assurance de mes sentiments les plus cordiaux et les plus fidèles",
              "my warmest and most faithful regards")
CORDIAL = ("à l'assurance de mes sentiments les meilleurs", "my very best regards")


def person(key, rank, gender="m", country="xx", **extra):
    data = Map({"rank": rank, "gender": gender, "country": country,
                "name": {"fr": f"Jean {key.title()}", "en": f"Jean {key.title()}"},
                "office": {"fr": f"titre de {key}", "en": f"Title of {key}"},
                "courtesy": {"fr": "M.", "en": "Mr"}, **extra})
    return Person(key, data)


@pytest.fixture(scope="module")
def protocol(workspace):
    return load_protocol(workspace / "clauses" / "protocol.yaml")


@pytest.mark.parametrize("writer,reader", list(FORMAL), ids=[f"{w}>{r}" for w, r in FORMAL])
def test_every_pair_has_its_forms(protocol, writer, reader):
    w, r = person("auteur", writer, country="fr"), person("lecteur", reader, country="uk")
    fr_addr, en_addr = ADDRESS[reader]
    fr_noun, en_grade = FORMAL[(writer, reader)]
    fr = protocol.forms(w, r, "formal", "fr")
    en = protocol.forms(w, r, "formal", "en")
    assert fr["salutation"] == f"{fr_addr},"
    assert fr["close"] == f"Je vous prie d'agréer, {fr_addr}, {fr_noun}."
    # the English renders the French formula: "Dear Prime Minister," and "Please accept,
    # Prime Minister, the assurance of my highest consideration."
    assert en["salutation"] == f"Dear {en_addr},"
    assert en["close"] == f"Please accept, {en_addr}, the assurance of {en_grade}."
    # the addressee block of a foreign reader: Son Excellence, the office, capitalised
    assert fr["suscription"][:2] == ["Son Excellence Monsieur Jean Lecteur", "Titre de lecteur"]
    assert en["suscription"][:2] == ["His Excellency Mr Jean Lecteur", "Title of lecteur"]
    # the signature block: the name, and for an ambassador the office no letterhead carries
    want = ["Jean Auteur"] + (["titre de auteur"] if writer == "ambassador" else [])
    assert fr["signature"] == want
    # familiar register: the first name, lower case inside the close in both languages
    fam_fr = protocol.forms(w, r, "familiar", "fr")
    fam_en = protocol.forms(w, r, "familiar", "en")
    warm = FRIENDSHIP if writer in HEADS and reader in HEADS else CORDIAL
    assert fam_fr["salutation"] == "Cher Jean," and fam_en["salutation"] == "Dear Jean,"
    assert fam_fr["close"] == f"Je vous prie de croire, cher Jean, {warm[0]}."
    assert fam_en["close"] == f"Please accept, dear Jean, {warm[1]}."
    assert "Dear Jean" not in fam_en["close"] and "believe" not in fam_en["close"]


def test_pairs_differ_where_protocol_does(protocol):
    """A minister writing to a minister and a head of State writing to a head of
    government do not get the same close as two heads of government."""
    def close(w, r):
        return protocol.forms(person("a", w), person("b", r), "formal", "fr")["close"]
    heads = close("head-of-government", "head-of-government")
    assert close("minister", "minister") != heads
    assert close("head-of-state", "head-of-government") != heads


def test_feminine_forms_and_own_address(protocol):
    w = person("auteur", "minister", country="fr")
    r = person("lectrice", "minister", gender="f", country="uk",
               address=Map({"en": "Home Secretary"}))
    fr = protocol.forms(w, r, "formal", "fr")
    en = protocol.forms(w, r, "formal", "en")
    assert fr["salutation"] == "Madame la Ministre,"
    assert en["salutation"] == "Dear Home Secretary,"
    assert en["close"] == "Please accept, Home Secretary, the assurance of my high consideration."
    assert fr["suscription"][0] == "Son Excellence Madame Jean Lectrice"
    assert en["suscription"][0] == "Her Excellency Ms Jean Lectrice"
    assert protocol.forms(w, r, "familiar", "fr")["salutation"] == "Chère Jean,"


def test_a_reader_of_unknown_gender_is_never_guessed(protocol):
    """people.yaml without `gender:` (a person read by ingest, a hand-written entry): a form
    that differs by gender is both forms, still to draft, never a guessed Monsieur or
    Cher; a form that does not differ (English "Dear Jean", "Minister") is given."""
    w = person("auteur", "minister", country="fr")
    r = person("lecteur", "minister", gender=None, country="es")
    fr, en = (protocol.forms(w, r, "formal", lang) for lang in ("fr", "en"))
    assert fr["salutation"] == "[TO BE DRAFTED: Monsieur le Ministre or Madame la Ministre],"
    assert en["salutation"] == "Dear Minister,"
    assert fr["suscription"][0] == \
        "[TO BE DRAFTED: Son Excellence Monsieur Jean Lecteur or Son Excellence Madame Jean Lecteur]"
    familiar = protocol.forms(w, r, "familiar", "fr")
    assert familiar["salutation"] == "[TO BE DRAFTED: Cher Jean or Chère Jean],"
    assert protocol.forms(w, r, "familiar", "en")["salutation"] == "Dear Jean,"
    known = person("lecteur", "minister", gender="m", country="es")
    assert protocol.forms(w, known, "familiar", "fr")["salutation"] == "Cher Jean,"


def test_no_excellency_for_a_compatriot(protocol):
    w = person("auteur", "head-of-government", country="fr")
    r = person("lecteur", "minister", country="fr", postal=Map({"fr": ["Place Beauvau"]}))
    assert protocol.forms(w, r, "formal", "fr")["suscription"] == [
        "Monsieur Jean Lecteur", "Titre de lecteur", "Place Beauvau"]


def test_ranks_the_table_treats_as_another(protocol):
    commissioner = person("c", "commissioner")
    assert protocol.rank(commissioner) == "minister"
    assert protocol.address(commissioner, "fr") == "Monsieur le Ministre"


def test_a_person_without_rank_gets_the_default_close(protocol):
    """A stub person from draft ingest has no rank: the most deferential close."""
    stub = Person("stub", Map({"name": {"fr": "X", "en": "X"},
                               "address": {"fr": "Monsieur le Maire", "en": "Mayor"}}))
    fr = protocol.forms(person("a", "minister"), stub, "formal", "fr")
    assert fr["close"] == ("Je vous prie d'agréer, Monsieur le Maire, "
                           "l'expression de ma très haute considération.")


def test_unknown_rank_names_the_line(project):
    people = project / "clauses" / "people.yaml"
    edit(people, "  rank: head-of-government\n  familiar: {fr: Cher Boris",
         "  rank: head-of-govrnment\n  familiar: {fr: Cher Boris")
    with pytest.raises(InputError) as exc:
        build(load_case(project), "reply", "fr")
    err = exc.value.problems[0]
    assert "unknown rank 'head-of-govrnment'" in str(err)
    assert str(err.path).endswith("people.yaml") and err.line
    lines = people.read_text(encoding="utf-8").splitlines()
    assert "head-of-govrnment" in lines[err.line - 1]
    assert "head-of-government" in err.hint


def _letter_forms(case, lang):
    doc = build(case, "reply", lang).document
    return {cls: [norm("".join(p.itertext())) for p in doc.body.iter("p", "h2")
                  if p.get("class") == cls]
            for cls in ("salutation", "close", "signature", "suscription", "office")}


def test_default_reply_prime_minister_to_prime_minister(make_case):
    case = make_case()
    fr, en = _letter_forms(case, "fr"), _letter_forms(case, "en")
    assert fr["salutation"] == ["Monsieur le Premier ministre,"]
    assert fr["close"] == ["Je vous prie d'agréer, Monsieur le Premier ministre, "
                           "l'expression de ma très haute considération."]
    assert en["salutation"] == ["Dear Prime Minister,"]
    assert en["close"] == ["Please accept, Prime Minister, the assurance of my highest "
                           "consideration."]
    assert fr["suscription"][0] == "Son Excellence Monsieur Boris Johnson"
    assert en["suscription"][0] == "His Excellency Mr Boris Johnson"


def test_president_to_prime_minister(make_case, case_folder):
    """The President's reply: a head of State writing to a head of government."""
    case = make_case(brief=case_folder / "brief-president.yaml")
    fr, en = _letter_forms(case, "fr"), _letter_forms(case, "en")
    assert fr["salutation"] == ["Cher Boris,"] and en["salutation"] == ["Dear Boris,"]
    assert en["close"] == ["Please accept, dear Boris, my warmest and most faithful regards."]
    assert fr["signature"] == ["Emmanuel Macron"]
    formal = make_case(brief=case_folder / "brief-president.yaml")
    formal.brief.register = type(formal.brief.register)("formal")
    assert _letter_forms(formal, "fr")["close"] == [
        "Je vous prie d'agréer, Monsieur le Premier ministre, l'assurance de ma très haute "
        "considération."]


def test_minister_to_minister_in_the_example(project):
    """The Interior Minister answers the Home Secretary (the second example case)."""
    case = load_case(project, "2021-11-29-home-secretary")
    fr, en = _letter_forms(case, "fr"), _letter_forms(case, "en")
    assert fr["office"] == ["Le ministre de l'Intérieur"]
    assert fr["salutation"] == ["Madame la Ministre,"]
    assert fr["close"] == ["Je vous prie d'agréer, Madame la Ministre, l'assurance de ma "
                           "haute considération."]
    assert en["salutation"] == ["Dear Home Secretary,"]
    assert en["close"] == ["Please accept, Home Secretary, the assurance of my high "
                           "consideration."]
    assert fr["suscription"][0] == "Son Excellence Madame Priti Patel"
    assert fr["signature"] == ["Gérald Darmanin"]


def test_minister_case_checks_clean_and_makes_its_reply(workspace, capsys, tmp_path):
    from conftest import docx_text, run_cli
    name = "2021-11-29-home-secretary"
    code, out, err = run_cli(["check", "--case", name], capsys)
    assert code == 0 and out.strip().splitlines()[-1] == "0 errors, 0 warnings", out + err
    code, out, err = run_cli(["reply", "--case", name, "--format", "docx", "--out",
                              str(tmp_path)], capsys)
    assert code == 0, err
    fr = docx_text(tmp_path / "reply.fr.docx")
    en = docx_text(tmp_path / "reply.en.docx")
    assert "Madame la Ministre," in fr and "Dear Home Secretary," in en
    assert "Gérald Darmanin" in fr and "(signed) Gérald Darmanin" in en
