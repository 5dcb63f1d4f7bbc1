"""The words the letter reader knows, in English and French: stop words, the
diplomatic vocabulary that names no subject, vague words, the subjects (domains) a
proposal can be about, and a French-to-English map of the words that matter for
matching, so a French proposal finds a clause written in English and back.

Words are compared without accents (`deaccent`) and stemmed (`stem`): "réadmissions"
and "readmission" meet, and so do "patrouilles" (mapped to "patrol") and "patrols".
"""
from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["deaccent", "stem", "words", "terms", "STOP", "GENERIC", "VAGUE", "DOMAIN_STEMS",
           "CROSS", "domains_of", "domains_in"]


def deaccent(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() \
        if not text.isascii() else text


_STOP_EN = """a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how i if
in into is it its itself just let me more most my myself no nor not now of off on once only
or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours
yourself yourselves may might must shall per via upon within without across along among
amongst around towards toward etc including include includes included perhaps therefore
thereafter however well still yet already even ever much many every either neither whether
would like wish want hope trust believe think know see seen make made ready stand stands
glad happy pleased delighted willing prepared keen formally request requesting requested
propose proposing proposed proposal proposals suggest suggesting suggestion consider
considering invite inviting ask asking urge welcome offer offering dear letter write writing
sir madam mr mrs ms rt hon excellency please kindly grateful finally also""".split()

_STOP_FR = """le la les un une des du de d l au aux et ou mais donc or ni car que qu qui quoi
dont où ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs je
tu il elle nous vous ils elles on me te se lui y en ne pas plus moins très tout tous toute
toutes dans par pour sur sous avec sans entre vers chez est sont être été avoir a ont ai
avons avez fait faire comme ainsi aussi également si non oui propose proposons suggère
souhaite souhaiterais souhaitons voudrais invite demande prie envisager pourrions devrions
serait sera cher chère monsieur madame président ministre enfin outre ailleurs afin
cela ceci celui celle ceux celles dès depuis lors alors puis encore déjà bien prêt prête
prêts prêtes tiens tient tiennent tenir heureux heureuse serais pourrait pourraient
également d'abord abord ensemble autres autre même mêmes chaque""".split()

STOP = {deaccent(w) for w in _STOP_EN + _STOP_FR}

# Diplomatic vocabulary that says nothing about a subject: it may add to a score but
# never makes a match on its own (English; French words reach it through CROSS).
_GENERIC = """joint jointly bilateral multilateral cooperation cooperate cooperating
cooperative work working works together close closely partner partners partnership
agreement agreements agree agreed arrangement arrangements framework mechanism
meeting meetings meet summit leaders leader level minister ministers ministerial
ministry official officials government governments country countries nation national
international both two side sides new further progress effort efforts step steps
measure measures action actions plan plans idea ideas initiative initiatives programme
program project group groups team teams dialogue discussion discussions talks talk
support supporting help shared share sharing common mutual reciprocal relationship
relations commitment commitments priority priorities issue issues matter matters
question questions time week weeks month months year years day days today future
current recent early soon next first second last good better best great important
strong stronger deep deepen deeper urgent urgently rapid rapidly immediate effective
european europe union eu uk united kingdom britain british france french england
english paris london prime president secretary state states office department
ambassador embassy counterpart counterparts colleague colleagues official
establish establishing set setting create creating put place build building develop
developing launch launching begin start continue continuing increase increasing
improve improving strengthen strengthening enhance expand extend deliver delivering
ensure ensuring provide providing take taking use using bring bringing way ways
area areas part parts number range basis view views point end order case cases
include possible possibility option options belgium belgian netherlands dutch germany
german luxembourg ireland irish italy italian spain spanish spring summer autumn winter
interior home affairs""".split()

# Words that leave a sentence vague: "Let us continue to work closely together" or
# "I would be happy to discuss these ideas" propose nothing.
_VAGUE = """work working together close closely continue continuing discuss discussing
discussion discussions idea ideas proposal proposals matter matters issue issues progress
touch contact talk talks speak soon forward look looking more further view views thought
thoughts cooperation cooperate efforts effort step steps way ways thing things everything
support help both country countries two all any time these those them this that
relationship partnership friendship services service teams team staff disposal
disposition votres propositions points differents sujets questions idees pistes
preparer travailler equipes vos""".split()

# Subjects, each recognised by a few unmistakable words, in both languages.
_DOMAINS = {
    "migration": "migrant migrants migration immigration asylum smuggler smugglers smuggling "
                 "refugee refugees crossings deportation readmission readmissions "
                 "passeur passeurs migratoire migratoires asile réfugié réfugiés traversées "
                 "réadmission réadmissions",
    "crime": "drug drugs narcotics cocaine cannabis heroin laundering stupéfiants stupéfiant "
             "drogue drogues cocaïne blanchiment toxicomanie",
    "fisheries": "fish fishing fisheries fishery fishermen fisherman trawler trawlers quota "
                 "quotas scallop scallops landings catches seafood stocks pêche pêcheurs "
                 "pêcheur chalutier chalutiers halieutique",
    "energy": "energy electricity gas nuclear reactor reactors interconnector "
              "interconnectors grid renewable renewables wind solar hydrogen lng oil "
              "decarbonisation énergie électricité nucléaire réacteur réacteurs "
              "interconnexion éolien éolienne hydrogène",
    "trade": "trade trading tariff tariffs export exports exporters exporter import imports "
             "importers customs goods procurement investment investors market markets wto "
             "phytosanitary commerce commercial douane douanes exportations exportateurs "
             "importations",
    "defence": "defence defense military armed nato army navy missile missiles weapons troops "
               "warship warships défense militaire militaires armée armées otan",
    "health": "health vaccine vaccines pandemic hospital hospitals medical medicines patients "
              "santé vaccin vaccins hôpital hôpitaux médical soignant soignants",
    "climate": "climate biodiversity emissions pollution environmental climat émissions",
    "culture": "culture cultural museum museums heritage education students universities "
               "schools youth language teachers musée musées patrimoine étudiants "
               "université universités lycées enseignants artistes",
    "transport": "rail railway railways aviation airport airports airline airlines hauliers "
                 "lorries ferry ferries train trains ferroviaire ferroviaires gare gares "
                 "locomotives freight sailings berths",
    "digital": "digital cyber cybersecurity telecoms telecommunications semiconductors 5g "
               "microelectronics cloud numérique cybersécurité télécommunications",
    "space": "space satellite satellites launcher rocket spatial",
    "agriculture": "agriculture agricultural farmers farming crops livestock agriculteurs",
    "finance": "tax taxation financial banking banks debt budget fiscal fiscale fiscalité "
               "impôt impôts télétravail",
}

# French words and their English counterparts (the words of the subjects and of the
# library's proposals; cognates that differ only by accents need no entry).
_CROSS = """
patrouille patrol; patrouilles patrols; conjoint joint; conjointe joint; conjointes joint;
conjoints joint; mixte joint; mixtes joint; commun joint; commune joint; communs joint;
aérien airborne; aérienne airborne; aériennes airborne; avion aircraft; avions aircraft;
aéronef aircraft; aéronefs aircraft; drone drones; capteur sensor; capteurs sensors;
renseignement intelligence; renseignements intelligence; cellule cell; passeur smuggler;
passeurs smugglers; trafiquant trafficker; trafiquants traffickers; traversée crossing;
traversées crossings; réadmission readmission; retour return; retours returns;
accord agreement; accords agreements; frontière border; frontières border;
côte coast; côtes coast; littoral coast; mer sea; manche channel; eaux waters;
territoriales territorial; réunion meeting; réunions meeting; réunir meet; réunissions meet;
sommet summit; dirigeants leaders; ministres ministers; intérieur interior;
sécurité security; arrestations arrests; poursuites prosecutions; voie route; voies routes;
légale legal; légales legal; asile asylum; marché market; travail labour; emploi employment;
pêche fishing; navire vessel; navires vessels; énergie energy; électricité electricity;
réacteur reactor; réacteurs reactors; nucléaire nuclear; interconnexion interconnector;
hydrogène hydrogen; éolien wind; éolienne wind; commerce trade; douane customs;
douanes customs; exportations exports; santé health; hôpital hospital; hôpitaux hospitals;
ferroviaire rail; gare railway; gares railways; patrimoine heritage; musée museum;
musées museums; étudiants students; université university; drogue drug; drogues drugs;
stupéfiants drugs; blanchiment laundering; enquête investigation; données data;
échange exchange; échanges exchange; financer fund; financement funding; fonds fund;
cofinancer fund; technologie technology; technologies technology; campagne campaign;
campements camps; surveillance surveillance; plages beaches; secours rescue;
sauvetage rescue; agence agency; agences agencies; réfugiés refugees; plaques plates;
immatriculation registration; trains trains; police police; gendarmes gendarmes;
fiscale tax; fiscal tax; télétravail teleworking; soignant nurses; soignants nurses;
enseignants teachers; œuvres works; numérique digital; cybersécurité cybersecurity;
nuit night; liaison connection; liaisons connections; câbles cables; câble cable;
européen european; européenne european; européens european; européennes european;
royaume kingdom; négociation negotiation; négociations negotiations; pays country
"""


_SUFFIXES = (("ational", "ate"), ("izations", "ize"), ("ization", "ize"), ("isations", "ise"),
             ("isation", "ise"), ("ations", "ate"), ("ation", "ate"), ("ements", ""),
             ("ement", ""), ("ments", ""), ("ment", ""), ("ness", ""), ("ingly", ""),
             ("ically", "ic"), ("ical", "ic"), ("ings", ""), ("ing", ""), ("edly", ""),
             ("ally", "al"), ("ies", "y"), ("ied", "y"), ("ers", "er"), ("ed", ""), ("ly", ""),
             ("es", ""), ("s", ""))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English (and rough French) stemmer: enough to join patrol/patrols/
    patrolling, readmission/readmissions, deploy/deploying/deployment."""
    w = deaccent(word.lower())
    if len(w) <= 3:
        return w
    if w.endswith(("ss", "us", "is", "ous")):
        return w
    for suffix, rep in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) + len(rep) >= 3:
            if suffix == "es" and not re.search(r"(sh|ch|x|z|ss)es$", w):
                continue
            w = w[: len(w) - len(suffix)] + rep
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]
    return w


_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+[a-z]+", re.UNICODE)


def _fold(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("œ", "oe")


def words(text: str) -> list[str]:
    """The words of a text, lower-case, hyphenated words split too (accents kept)."""
    out = []
    for m in _WORD_RE.finditer(_fold(text).lower().replace("'", " ")):
        out.extend(p for p in m.group(0).split("-") if p)
    return out


CROSS = {}
for _pair in _CROSS.replace("\n", " ").split(";"):
    if _pair.strip():
        _fr, _en = _pair.split()
        CROSS[stem(_fr)] = stem(_en)


def terms(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of a text; French stems are
    mapped to their English counterparts where the lexicon has them."""
    out = []
    for w in words(text):
        if len(w) <= 2 or deaccent(w) in STOP:
            continue
        s = stem(w)
        out.append((CROSS.get(s, s), w))
    return out


def _stems(ws) -> set:
    return {CROSS.get(stem(w), stem(w)) for w in (ws.split() if isinstance(ws, str) else ws)}


GENERIC = _stems(_GENERIC)
VAGUE = _stems(_VAGUE)
DOMAIN_STEMS = {name: _stems(ws) for name, ws in _DOMAINS.items()}
_DOMAINS_OF_STEM: dict[str, list] = {}
for _name, _domain in DOMAIN_STEMS.items():
    for _s in _domain:
        _DOMAINS_OF_STEM.setdefault(_s, []).append(_name)


def domains_in(found, minimum: int = 1) -> set[str]:
    """The subjects of (stem, word) pairs (`terms`) with at least `minimum` distinct
    words of each."""
    hits: dict[str, set] = {}
    for s, _ in found:
        for name in _DOMAINS_OF_STEM.get(s, ()):
            hits.setdefault(name, set()).add(s)
    return {name for name, stems in hits.items() if len(stems) >= minimum}


def domains_of(text: str, minimum: int = 1) -> set[str]:
    return domains_in(terms(text), minimum)
