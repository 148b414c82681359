"""A small FICTIONAL corpus of Danish municipal minutes for measuring search quality.

Bodies, people and places are invented ("Fjordby Kommune").  The texts use the
compounds and inflections real minutes are full of, so that a Danish chain and a
Snowball-only chain can be told apart.  Each meeting has an alias; judgments in
``judgments.json`` name items as ``alias/number`` (the seed minutes are ``seed``).
"""
from __future__ import annotations

import datetime as dt

from archive.ids import assign_ids
from archive.model import AgendaItem, Meeting, Presenter

TM = "Fjordby Kommune, Teknik- og Miljøudvalget"
BS = "Fjordby Kommune, Børne- og Skoleudvalget"
SS = "Fjordby Kommune, Social- og Sundhedsudvalget"
OK = "Fjordby Kommune, Økonomiudvalget"


def _i(number, title, description="", recommendation="", minutes="", presenters=(), outcomes=()):
    return AgendaItem(number=number, title=title, description=description, recommendation=recommendation,
                      minutes=minutes, presenters=[Presenter(n, r) for n, r in presenters], outcomes=list(outcomes))


LARS = ("Lars Kjærgaard", "vejchef")
BIRGIT = ("Birgit Aagaard", "miljøchef")
HENRIK = ("Henrik Ølgaard", "skolechef")
SUSANNE = ("Susanne Mørch", "sundhedschef")
PETER = ("Peter Vestergaard", "økonomichef")

MEETINGS: dict[str, tuple[str, dt.date, str, list[AgendaItem]]] = {
    "tm1": (TM, dt.date(2023, 3, 7), "3", [
        _i("1", "Godkendelse af dagsorden", minutes="Dagsordenen blev godkendt.", outcomes=["godkendt"]),
        _i("2", "Ny ordning for affaldssortering i etageboliger",
           "Fra 2024 skal husstande sortere affald i ti fraktioner. Forvaltningen foreslår fælles "
           "sorteringsløsninger i etageboligerne og en informationskampagne om madaffald og plast.",
           "Det indstilles, at udvalget godkender den nye affaldsordning.",
           "Udvalget godkendte ordningen. Affaldssorteringen evalueres efter et år.",
           [BIRGIT], ["godkendt"]),
        _i("3", "Cykelstier langs Fjordvej og Skovbrynet",
           "Der er afsat 4 mio. kr. til anlæg af cykelstier. Cykelstien langs Fjordvej prioriteres "
           "af hensyn til trafiksikkerheden for skolebørn.",
           "Det indstilles, at anlægget af cykelstierne igangsættes.",
           "Udvalget besluttede at igangsætte anlægget af den første cykelsti.",
           [LARS], ["godkendt"]),
        _i("4", "Klimatilpasning i midtbyen – skybrudsplan",
           "Efter skybruddet i august 2022 er der udarbejdet en plan for klimatilpasning med "
           "regnvandsbassiner og grønne tage. Planen koordineres med forsyningen.",
           "Det indstilles, at udvalget tager orienteringen til efterretning.",
           "Udvalget tog orienteringen til efterretning.", [BIRGIT], ["efterretning"]),
        _i("5", "Lokalplanforslag for Havnefronten",
           "Lokalplanforslaget muliggør boliger og erhverv på den gamle havnegrund. "
           "Forslaget sendes i offentlig høring i otte uger.",
           "Det indstilles, at lokalplanforslaget vedtages til offentlig høring.",
           "Anbefalet over for Økonomiudvalget.", [LARS], ["anbefalet"]),
        _i("6", "Vintervedligeholdelse af veje og fortove",
           "Regulativet for vintertjeneste revideres. Saltning og snerydning af fortove og "
           "stier prioriteres ved skoler og plejehjem.",
           "Det indstilles, at regulativet godkendes.",
           "Godkendt.", [LARS], ["godkendt"]),
        _i("7", "Orientering om genbrugspladsens åbningstider",
           "Genbrugspladsen udvider åbningstiden om lørdagen. Der er indført booking til "
           "aflevering af haveaffald og storskrald.",
           "", "Udvalget tog orienteringen til efterretning.", [BIRGIT], ["efterretning"]),
    ]),
    "tm2": (TM, dt.date(2023, 9, 12), "7", [
        _i("1", "Budget 2024 for vejområdet",
           "Budgettet for vejvedligeholdelse er reduceret med 2 mio. kr. Forvaltningen har "
           "prioriteret asfaltarbejder på de mest trafikerede veje.",
           "Det indstilles, at budgettet for vejområdet godkendes.",
           "Godkendt med bemærkning om, at budgetterne for fortove skal følges tæt.",
           [PETER, LARS], ["godkendt"]),
        _i("2", "Trafiksikkerhedsplan 2023-2027",
           "Trafiksikkerhedsplanen indeholder hastighedsdæmpning ved skoler, nye fodgængerfelter "
           "og sikre skoleveje. Borgerne har indsendt 140 forslag.",
           "Det indstilles, at planen sendes i høring.",
           "Udvalget drøftede planen og besluttede at udsætte sagen til næste møde.",
           [LARS], ["udsat"]),
        _i("3", "Spildevandsplan og kloakseparering i Nørreby",
           "Forsyningen separerer kloakken i Nørreby, så regnvand og spildevand ledes hver for sig. "
           "Arbejdet medfører vejlukninger i 2024.",
           "Det indstilles, at tillæg til spildevandsplanen vedtages.",
           "Godkendt.", [BIRGIT], ["godkendt"]),
        _i("4", "Naturgenopretning af Møllebækken",
           "Vandløbet genoprettes med slyngninger og gydebanker for ørreder. Projektet er "
           "finansieret af statslige puljemidler til naturgenopretning.",
           "Det indstilles, at projektet igangsættes.",
           "Godkendt.", [BIRGIT], ["godkendt"]),
        _i("5", "Solcelleanlæg på kommunale bygninger",
           "Der etableres solceller på tage af skoler og rådhuset. Energirenoveringen forventes "
           "at reducere elforbruget med 15 procent.",
           "Det indstilles, at udvalget anbefaler projektet.",
           "Anbefalet.", [PETER], ["anbefalet"]),
        _i("6", "Henvendelse om parkering ved Aarhusvej",
           "Beboere på Aarhusvej har klaget over manglende parkeringspladser og støj fra "
           "lastbiler. Forvaltningen har undersøgt mulighederne for beboerparkering.",
           "", "Sagen blev oversendt til Økonomiudvalget.", [LARS], ["oversendt"]),
    ]),
    "bs1": (BS, dt.date(2023, 4, 18), "4", [
        _i("1", "Skolebestyrelsernes høringssvar om ny skolestruktur",
           "Alle skolebestyrelser har afgivet høringssvar. Skolebestyrelsen ved Fjordskolen "
           "foreslår, at overbygningen bevares. Der er bekymring for længere skoleveje.",
           "Det indstilles, at udvalget drøfter høringssvarene.",
           "Udvalget drøftede høringssvarene.", [HENRIK], ["droeftet"]),
        _i("2", "Skoledistrikter fra skoleåret 2024/25",
           "Forslaget ændrer skoledistriktet for Nørreby, så elever fra Møllevangen "
           "fremover hører til Fjordskolen.",
           "Det indstilles, at de nye distrikter vedtages.",
           "Godkendt.", [HENRIK], ["godkendt"]),
        _i("3", "Madordning i daginstitutioner",
           "Frokostordningen i vuggestuer og børnehaver udbydes på ny. Forældrebestyrelserne "
           "ønsker økologisk mad tilberedt i institutionernes egne køkkener.",
           "Det indstilles, at udbuddet igangsættes.",
           "Godkendt.", [HENRIK], ["godkendt"]),
        _i("4", "Legepladser – tilsyn og renovering",
           "Det årlige legepladstilsyn viste mangler på otte legepladser. Renoveringen af "
           "legepladsen ved Skovbrynets Børnehus prioriteres.",
           "", "Udvalget tog orienteringen til efterretning.", [HENRIK], ["efterretning"]),
        _i("5", "Ungdomsskolens sommerferieaktiviteter",
           "Ungdomsskolen tilbyder kajak, klatring og cykelture i sommerferien. "
           "Aktiviteterne er gratis for unge mellem 13 og 17 år.",
           "", "Taget til efterretning.", [HENRIK], ["efterretning"]),
        _i("6", "Skolebuskørsel og kørselsordning",
           "Kørselsordningen for elever med særlige behov udbydes. Skolebusserne kører fremover "
           "også til fritidsordningerne.",
           "Det indstilles, at kørselsordningen godkendes.",
           "Godkendt.", [HENRIK, PETER], ["godkendt"]),
    ]),
    "ss1": (SS, dt.date(2024, 2, 6), "2", [
        _i("1", "Hjemmeplejen – kvalitetsstandard 2024",
           "Kvalitetsstandarden for hjemmepleje beskriver personlig pleje, praktisk hjælp og "
           "rehabilitering. Borgere visiteres efter en faglig vurdering.",
           "Det indstilles, at kvalitetsstandarden godkendes.",
           "Godkendt.", [SUSANNE], ["godkendt"]),
        _i("2", "Plejehjemspladser og venteliste",
           "Ventelisten til plejehjem er steget. Der foreslås 24 nye plejeboliger ved "
           "Solgården og midlertidige aflastningspladser.",
           "Det indstilles, at udvalget anbefaler udbygningen.",
           "Anbefalet over for Økonomiudvalget.", [SUSANNE, PETER], ["anbefalet"]),
        _i("3", "Sundhedshuset i Fjordby – status",
           "Sundhedshuset samler genoptræning, sundhedspleje og lægepraksis. Byggeriet er "
           "forsinket tre måneder.",
           "", "Udvalget tog orienteringen til efterretning.", [SUSANNE], ["efterretning"]),
        _i("4", "Handicaprådets høringssvar om tilgængelighed",
           "Handicaprådet anbefaler bedre tilgængelighed til kommunale bygninger, herunder "
           "ramper og handicaptoiletter.",
           "Det indstilles, at udvalget drøfter høringssvaret.",
           "Drøftet.", [SUSANNE], ["droeftet"]),
        _i("5", "Ældreplejens digitale løsninger",
           "Skærmbesøg og digitale medicinhuskere afprøves i ældreplejen. Erfaringerne fra "
           "hjemmeplejen er gode.",
           "", "Taget til efterretning.", [SUSANNE], ["efterretning"]),
        _i("6", "Retningslinjer for magtanvendelse",
           "Nye retningslinjer for magtanvendelse over for borgere med demens skal sikre "
           "retssikkerheden.",
           "Det indstilles, at retningslinjerne godkendes.",
           "Godkendt.", [SUSANNE], ["godkendt"]),
        _i("7", "Efteruddannelse i forflytning",
           "Medarbejderne i hjemmeplejen tilbydes et kursus i forflytning. Kurset afholdes "
           "på Solgården, og de nye regler for brug af lifte gennemgås.",
           "", "Taget til efterretning.", [SUSANNE], ["efterretning"]),
    ]),
    "ok1": (OK, dt.date(2024, 5, 21), "5", [
        _i("1", "Budgetopfølgning pr. 31. marts",
           "Budgetopfølgningen viser merforbrug på ældreområdet og mindreforbrug på anlæg. "
           "Der forventes et samlet overskud.",
           "Det indstilles, at budgetopfølgningen tages til efterretning.",
           "Taget til efterretning.", [PETER], ["efterretning"]),
        _i("2", "Lokalplan for Havnefronten – endelig vedtagelse",
           "Efter høringen er lokalplanen justeret med lavere bebyggelse mod vandet. Der er "
           "modtaget 31 høringssvar.",
           "Det indstilles, at lokalplanen vedtages endeligt.",
           "Godkendt.", [LARS], ["godkendt"]),
        _i("3", "Anlægsbevilling til cykelparkering ved stationen",
           "Der søges en anlægsbevilling på 1,2 mio. kr. til overdækket cykelparkering og "
           "ladestandere til elcykler.",
           "Det indstilles, at bevillingen gives.",
           "Godkendt.", [PETER], ["godkendt"]),
        _i("4", "Salg af byggegrunde i Skovbrynet",
           "Byggegrundene udbydes til salg. Mindsteprisen er fastsat efter en vurdering "
           "fra en ejendomsmægler.",
           "Det indstilles, at grundene udbydes.",
           "Sagen blev trukket af dagsordenen.", [PETER], ["trukket"]),
        _i("5", "Fjernvarme i landsbyerne",
           "Fjernvarmeværket vil udvide forsyningen til tre landsbyer. Kommunen stiller "
           "garanti for lån.",
           "Det indstilles, at kommunegarantien godkendes.",
           "Forkastet.", [PETER], ["forkastet"]),
        _i("6", "Parkeringsstrategi for midtbyen",
           "Strategien samler parkeringen i p-huse og frigør pladser til byliv. Beboerne i "
           "Aarhusvej-kvarteret får mulighed for beboerlicens.",
           "Det indstilles, at strategien godkendes.",
           "Godkendt.", [LARS, PETER], ["godkendt"]),
    ]),
}


def fictional_meetings() -> dict[str, Meeting]:
    out = {}
    for alias, (body, date, number, items) in MEETINGS.items():
        m = Meeting(body=body, date=date, number=number, items=[_copy(i) for i in items],
                    source_file=f"{alias}.txt", source_sha256=f"eval-{alias}")
        out[alias] = assign_ids(m)
    return out


def _copy(item: AgendaItem) -> AgendaItem:
    return AgendaItem(**{**item.__dict__, "presenters": list(item.presenters), "outcomes": list(item.outcomes)})
