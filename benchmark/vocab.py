"""Fictional Danish vocabulary for the benchmark corpus.

Everything here is invented for the benchmark: places, bodies and people are
composed from generic parts and do not name real persons.  Nouns carry their
inflections (indefinite, definite, plural, definite plural) so that the corpus
exercises stemming; compounds are built from a first part (with its linking
element) and an inflected head, so that the corpus exercises compound splitting.
"""
from __future__ import annotations

# -- places and bodies ---------------------------------------------------------
TOWNS = [
    "Fjordby", "Havbjerg", "Solhøj", "Kløverby", "Egelund", "Tangvig", "Birkeskov", "Nordvig",
    "Østerlund", "Vesterå", "Lyngholm", "Stenbæk", "Mågerup", "Rævebakke", "Sandvig Strand",
    "Bøgely", "Kragsø", "Hedelund", "Marskov", "Ulvehøj", "Lærkevang", "Mosebro", "Tjørneby",
    "Engvig", "Ravnholt Sø", "Skærlund", "Fyrbakke", "Ålykke", "Hvidklint", "Granhøj",
]

MUNICIPAL_COMMITTEES = [
    "Teknik- og Miljøudvalget", "Børne- og Skoleudvalget", "Økonomiudvalget",
    "Kultur- og Fritidsudvalget", "Social- og Sundhedsudvalget", "Klima- og Planudvalget",
    "Beskæftigelsesudvalget", "Ældreudvalget",
]

BOARD_PATTERNS = [
    "Bestyrelsen for {town} Boligselskab", "Bestyrelsen for {town} Forsyning",
    "Skolebestyrelsen ved {town} Skole", "Bestyrelsen for {town} Havn",
    "Styregruppen for {town} Cykelsti", "Bestyrelsen for {town} Idrætscenter",
    "Bestyrelsen for Foreningen Grønne Stier {town}", "Bestyrelsen for {town} Kulturhus",
]

ASSOCIATION_PATTERNS = [
    "Styregruppen for Digital Borgerservice {town}", "Generalforsamling i {town} Vandlaug",
    "Grundejerforeningen {town} Syd", "Styregruppen for Klimanetværk {town}",
]

STREETS = [
    "Rådhustorvet 1", "Havnegade 12", "Skolevej 4", "Stationsvej 22", "Kirkestræde 3",
    "Industrivej 40", "Strandvejen 101", "Parkallé 7", "Møllevej 15", "Engvej 2",
]
ROOMS = ["Mødelokale 1", "Byrådssalen", "Udvalgsværelse 2", "Lokale 1.24", "Kantinen", "Mødelokale Fjorden"]

# -- people --------------------------------------------------------------------
FIRST_NAMES = [
    "Anne", "Mette", "Hanne", "Lone", "Susanne", "Camilla", "Louise", "Marianne", "Ida", "Sofie",
    "Karen", "Birgitte", "Helle", "Signe", "Maja", "Lærke", "Jens", "Peter", "Lars", "Michael",
    "Søren", "Henrik", "Thomas", "Morten", "Jesper", "Rasmus", "Anders", "Niels", "Mads", "Frederik",
    "Torben", "Bo", "Kasper", "Jørgen", "Ulla", "Pia", "Dorthe", "Bjarne", "Asger", "Esben",
]
MIDDLE_NAMES = ["", "", "", "", "Juul", "Krogh", "Dam", "Bech", "Lund", "Holm", "Skov", "Vind"]
LAST_NAMES = [
    "Nørgaard", "Kjærsgaard", "Vestergaard", "Damgaard", "Lindholm", "Bæksted", "Fjeldsø", "Rosendahl",
    "Thorsager", "Engholt", "Kirkeby", "Munkholm", "Sandgaard", "Havmand", "Bregnholt", "Lyngsø",
    "Stenholt", "Mølgaard", "Hedegaard", "Ravnkilde", "Birkholm", "Egebjerg", "Kløvedal", "Sølvhøj",
]
ROLES = [
    "direktør for Teknik og Miljø", "kommunaldirektør", "afdelingschef i Vej og Park", "økonomichef",
    "specialkonsulent", "projektleder", "skoleleder", "driftsleder", "planchef", "chefkonsulent",
    "centerchef for Børn og Unge", "direktør", "forretningsfører", "administrerende direktør",
    "kommunikationsansvarlig", "kasserer", "sekretariatschef", "miljømedarbejder",
]
MEMBER_ROLES = ["formand", "næstformand", "medlem", "medlem", "medlem", "medarbejderrepræsentant"]

# -- nouns with inflections: (indefinite, definite, plural, definite plural) -----
HEADS = [
    ("plan", "planen", "planer", "planerne"),
    ("projekt", "projektet", "projekter", "projekterne"),
    ("forslag", "forslaget", "forslag", "forslagene"),
    ("sortering", "sorteringen", "sorteringer", "sorteringerne"),
    ("ordning", "ordningen", "ordninger", "ordningerne"),
    ("strategi", "strategien", "strategier", "strategierne"),
    ("politik", "politikken", "politikker", "politikkerne"),
    ("bestyrelse", "bestyrelsen", "bestyrelser", "bestyrelserne"),
    ("opfølgning", "opfølgningen", "opfølgninger", "opfølgningerne"),
    ("aftale", "aftalen", "aftaler", "aftalerne"),
    ("område", "området", "områder", "områderne"),
    ("anlæg", "anlægget", "anlæg", "anlæggene"),
    ("rapport", "rapporten", "rapporter", "rapporterne"),
    ("redegørelse", "redegørelsen", "redegørelser", "redegørelserne"),
    ("pulje", "puljen", "puljer", "puljerne"),
    ("bevilling", "bevillingen", "bevillinger", "bevillingerne"),
    ("tilsyn", "tilsynet", "tilsyn", "tilsynene"),
    ("høring", "høringen", "høringer", "høringerne"),
    ("analyse", "analysen", "analyser", "analyserne"),
    ("renovering", "renoveringen", "renoveringer", "renoveringerne"),
    ("udbud", "udbuddet", "udbud", "udbuddene"),
    ("kontrakt", "kontrakten", "kontrakter", "kontrakterne"),
    ("indsats", "indsatsen", "indsatser", "indsatserne"),
    ("regulativ", "regulativet", "regulativer", "regulativerne"),
    ("takst", "taksten", "takster", "taksterne"),
    ("tilskud", "tilskuddet", "tilskud", "tilskuddene"),
    ("program", "programmet", "programmer", "programmerne"),
    ("evaluering", "evalueringen", "evalueringer", "evalueringerne"),
    ("budget", "budgettet", "budgetter", "budgetterne"),
    ("model", "modellen", "modeller", "modellerne"),
]

# First parts of compounds as written before a head (linking -s- or -e- included).
PREFIXES = [
    "affalds", "cykelsti", "klimatilpasnings", "lokalplan", "skole", "budget", "trafik", "natur",
    "kloak", "vand", "energi", "bolig", "ældre", "børne", "sundheds", "idræts", "kultur", "erhvervs",
    "turisme", "havne", "vej", "park", "byudviklings", "miljø", "støj", "regnvands", "spildevands",
    "grundvands", "fjernvarme", "solcelle", "vindmølle", "bus", "biblioteks", "dagtilbuds",
    "fritids", "beskæftigelses", "integrations", "handicap", "plejehjems", "digitaliserings",
    "indkøbs", "personale", "arbejdsmiljø", "beredskabs", "kirkegårds", "strand", "skov", "lege",
    "svømmehals", "frivilligheds", "forsynings", "renoverings", "anlægs", "drifts", "sikkerheds",
    "kvalitets", "rengørings", "vedligeholdelses", "genbrugs", "storskralds",
]

# Plain nouns (not compounds), same shape as HEADS.
NOUNS = [
    ("sag", "sagen", "sager", "sagerne"),
    ("borger", "borgeren", "borgere", "borgerne"),
    ("kommune", "kommunen", "kommuner", "kommunerne"),
    ("forvaltning", "forvaltningen", "forvaltninger", "forvaltningerne"),
    ("udvalg", "udvalget", "udvalg", "udvalgene"),
    ("skole", "skolen", "skoler", "skolerne"),
    ("vej", "vejen", "veje", "vejene"),
    ("bygning", "bygningen", "bygninger", "bygningerne"),
    ("lejer", "lejeren", "lejere", "lejerne"),
    ("afdeling", "afdelingen", "afdelinger", "afdelingerne"),
    ("økonomi", "økonomien", "økonomier", "økonomierne"),
    ("udgift", "udgiften", "udgifter", "udgifterne"),
    ("indtægt", "indtægten", "indtægter", "indtægterne"),
    ("tidsplan", "tidsplanen", "tidsplaner", "tidsplanerne"),
    ("beslutning", "beslutningen", "beslutninger", "beslutningerne"),
    ("medarbejder", "medarbejderen", "medarbejdere", "medarbejderne"),
    ("elev", "eleven", "elever", "eleverne"),
    ("forælder", "forælderen", "forældre", "forældrene"),
    ("ansøgning", "ansøgningen", "ansøgninger", "ansøgningerne"),
    ("tilbud", "tilbuddet", "tilbud", "tilbuddene"),
    ("lokale", "lokalet", "lokaler", "lokalerne"),
    ("grund", "grunden", "grunde", "grundene"),
    ("sti", "stien", "stier", "stierne"),
    ("cykel", "cyklen", "cykler", "cyklerne"),
    ("træ", "træet", "træer", "træerne"),
    ("container", "containeren", "containere", "containerne"),
    ("facilitet", "faciliteten", "faciliteter", "faciliteterne"),
    ("partner", "partneren", "partnere", "partnerne"),
    ("høringssvar", "høringssvaret", "høringssvar", "høringssvarene"),
    ("vedtægt", "vedtægten", "vedtægter", "vedtægterne"),
    ("regnskab", "regnskabet", "regnskaber", "regnskaberne"),
    ("mål", "målet", "mål", "målene"),
    ("risiko", "risikoen", "risici", "risiciene"),
    ("leverandør", "leverandøren", "leverandører", "leverandørerne"),
    ("oversvømmelse", "oversvømmelsen", "oversvømmelser", "oversvømmelserne"),
    ("trafiksikkerhed", "trafiksikkerheden", "trafiksikkerheder", "trafiksikkerhederne"),
]

ADJECTIVES = [  # (base, definite/plural form)
    ("ny", "nye"), ("samlet", "samlede"), ("endelig", "endelige"), ("foreløbig", "foreløbige"),
    ("økonomisk", "økonomiske"), ("grøn", "grønne"), ("lokal", "lokale"), ("kommunal", "kommunale"),
    ("fælles", "fælles"), ("digital", "digitale"), ("bæredygtig", "bæredygtige"),
    ("midlertidig", "midlertidige"), ("årlig", "årlige"), ("revideret", "reviderede"),
    ("ekstraordinær", "ekstraordinære"), ("langsigtet", "langsigtede"),
]

VERBS_PRESENT = [
    "orienterer om", "fremlægger", "gennemgår", "præsenterer", "redegør for", "giver en status på",
    "beskriver", "lægger op til drøftelse af",
]
VERBS_PAST = [
    "orienterede om", "fremlagde", "gennemgik", "præsenterede", "redegjorde for",
    "gav en status på", "beskrev",
]

# Rare words: each occurs in only a few items (place-like names, project code words).
RARE_STEMS = [
    "Kløvermarken", "Ålegræsprojektet", "Skrænthuse", "Lergravsparken", "Mågeøen", "Tuemosen",
    "Sivkæret", "Hvededalen", "Ravnekløften", "Stenagerbroen", "Tangenhallen", "Engtoften",
    "Lyngbakken", "Fyrretoppen", "Klitrosen", "Bøgestien", "Hyldebærhaven", "Kildevældet",
    "Sneppevej", "Vibeengen",
]

TITLE_TEMPLATES = [
    "Godkendelse af {c}",
    "Orientering om {c}",
    "Status på {c} i {town}",
    "Høring om {c}",
    "Forslag til {c} for {place}",
    "Ansøgning om tilskud til {c}",
    "Evaluering af {c}",
    "Budgetopfølgning {year}",
    "{C} – endelig vedtagelse",
    "{C} for {place}",
    "Drøftelse af {c}",
    "Ny {n0} for {c}",
]

DESCRIPTION_TEMPLATES = [
    "{Presenter} {verb} {c_def} og de {adje} {n_pl}.",
    "{Forv} har udarbejdet et forslag til {c}, som skal sikre {adj} {n0} for {n_pl_def} i {place}.",
    "Sagen vedrører {c_def} i {place}, hvor {n_pl_def} har ønsket en {adj} {n0}.",
    "Der er i alt modtaget {num} {n_pl} i forbindelse med {c_def}.",
    "Den samlede udgift til {c_def} er opgjort til {amount} mio. kr., heraf {small} mio. kr. i {year}.",
    "{C_def} blev sidst behandlet på mødet den {day}. {month} {year}.",
    "Formålet er at styrke {c_def} og samtidig nedbringe {n_pl_def}s {n0}.",
    "Forvaltningen vurderer, at {c_def} kan gennemføres inden for den eksisterende {c2}.",
    "Arbejdet med {c_def} forventes afsluttet i {month} {year}, hvorefter {n_pl_def} inddrages.",
    "Der henvises til {c_def} og de tidligere {c2_pl} på området.",
    "{Rare} indgår som en del af {c_def}, og {n_def} skal tage stilling til {c2_def}.",
    "Ifølge {c_def} skal {n_pl_def} have bedre adgang til {c2_pl_def}.",
]

BULLET_TEMPLATES = [
    "- {C} skal koordineres med {c2_def}",
    "- Der bør udarbejdes en {adj} {c2}",
    "- Vigtigt at inddrage {n_pl_def} i {c_def}",
    "- {C2_pl} skal prioriteres i {year}",
]

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]
WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
