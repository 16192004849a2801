"""The demo's practice bank: a dozen practices of two networks at every maturity step, some
with the history of how they matured, 360 profiles, case stories, validation and links.

Seeded with fixed ids and times, so seeding again adds nothing.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .config import DEMO_CODE

__all__ = ["DEMO_BANK_NETWORKS", "seed_bank"]

YEE = "YEE-verkosto"  # the demo day's network (demo.DEMO_NETWORK)
LAPE = "Lapsi- ja perhepalveluiden verkosto Pohjois-Savo"
DEMO_BANK_NETWORKS = (YEE, LAPE)

_INNOKYLA = {"title": "Innokylä: toimintamallit", "url": "https://www.innokyla.fi/fi/toimintamallit", "kind": "bank"}
_OHJAAMOT = {"title": "Ohjaamojen verkosto", "url": "https://ohjaamot.fi/", "kind": "community"}
_INNOKYLA_COMMUNITY = {"title": "Innokylän kehittäjäyhteisö", "url": "https://www.innokyla.fi/", "kind": "community"}

_DIMENSIONS = (
    "pysyvat_kumppanit", "tilapaiset_kumppanit", "asiakkaat_kansalaiset", "johtaminen",
    "poliittinen_paatoksenteko", "tuloksellisuus", "kaytantojen_hyodyntaminen", "sisainen_yhteistyo",
)


def _profile(*values: float) -> dict[str, float]:
    return dict(zip(_DIMENSIONS, values))


_YEE_SOURCE = {"session": DEMO_CODE, "activity": "arviointi_360", "layer": "nyt", "date": "2022-11-16", "n": 25}
_LAPE_SOURCE = {"activity": "arviointi_360", "layer": "nyt", "date": "2023-04-12", "n": 14}


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)


# Each practice: its id, its fields now, and its history as (day, changes to the fields, who, note),
# oldest first; the last entry is the practice now (no changes).
_PRACTICES: list[tuple[str, dict[str, Any], list[tuple[str, dict[str, Any], str, str]]]] = [
    ("demo-tilannehuone", {
        "name": "Nuorten palveluiden tilannehuone",
        "summary": "Nuorten palveluiden toimijat kokoontuvat kerran kuukaudessa tilannehuoneeseen, jossa "
                   "katsotaan yhdessä, missä nuoret putoavat palveluiden väliin.",
        "perustiedot": {"toteuttaja": "YEE-verkoston kunnat ja järjestöt", "yhteyshenkilo": "verkostokoordinaattori",
                        "kohderyhma": "16–29-vuotiaat nuoret ja heidän kanssaan työskentelevät", "kesto": "jatkuva",
                        "alkamisvuosi": "2021"},
        "perusidea": "Sosiaalityö, nuorisopalvelut, oppilaitokset, TE-palvelut ja järjestöt tuovat tilannehuoneeseen "
                     "havaintonsa ilman nimiä. Verkostoissa syntyvä yhteinen tilannekuva ohjaa, kuka tarttuu mihinkin.",
        "toimintaymparisto": "Keskisuuret kunnat, joissa nuorten palvelut ovat hajallaan eri hallinnonaloilla.",
        "ehdot": "Johdon tuki, nimetty koordinaattori ja varahenkilö, sovitut pelisäännöt tiedonvaihtoon.",
        "maturity": "hyva",
        "maturity_evidence": "Kaksi vuotta kuukausittaisia tapaamisia; nuorten ohjaus palveluihin nopeutui.",
        "profile": _profile(3.6, 2.8, 2.9, 3.2, 1.8, 2.9, 3.1, 3.8), "profile_source": _YEE_SOURCE,
        "steps": ["Yhteinen tilannehuone kerran kuukaudessa", "Nimetään verkostolle koordinaattori ja varahenkilö"],
        "stories": [{"title": "Kun nuori ei enää pudonnut väliin",
                     "text": "Oppilaitoksen kuraattori toi tilannehuoneeseen huolen keskeyttämisistä. Kuukauden päästä "
                             "Ohjaamo ja TE-palvelut olivat sopineet yhteisestä päivystyksestä oppilaitoksessa."}],
        "validation": {"by": "YEE-verkoston ohjausryhmä", "at": "2022-12-01",
                       "note": "Arvioitu verkostopäivän 360-tarkastelun pohjalta."},
        "links": [_INNOKYLA, _OHJAAMOT], "network": YEE, "sector": "Nuorten palvelut", "area": "Keski-Suomi",
        "keywords": ["verkostotyö", "tilannekuva", "nuorten palvelut"],
    }, [
        ("2021-03-15", {"maturity": "kiinnostava", "maturity_evidence": None, "profile": None, "profile_source": None,
                        "steps": [], "stories": [], "validation": None, "links": []},
         "Aino, verkostokoordinaattori", "Kuvattu ensimmäisen kokeilun jälkeen"),
        ("2021-11-20", {"maturity": "lupaava", "maturity_evidence": "Kahdeksan tapaamista, osallistujat jatkaisivat.",
                        "validation": None, "profile": None, "profile_source": None, "steps": []},
         "Aino, verkostokoordinaattori", "Kokeilu vakiintui, tapaustarina lisätty"),
        ("2022-11-16", {}, "YEE-verkostopäivä", "Verkostopäivän 360-profiili ja askeleet, validointi"),
    ]),
    ("demo-vuosikello", {
        "name": "Yhteinen vuosikello verkostotapaamisille",
        "summary": "Verkoston tapaamiset, suunnittelu ja arviointi samassa vuosikellossa, jonka kaikki näkevät.",
        "perustiedot": {"toteuttaja": "YEE-verkosto", "yhteyshenkilo": "verkostokoordinaattori", "alkamisvuosi": "2022"},
        "perusidea": "Kun kuntien ja järjestöjen tapaamiset ovat samassa kalenterissa, päällekkäisyydet vähenevät ja "
                     "yhteistyön rytmi on kaikkien tiedossa.",
        "toimintaymparisto": "Verkostot, joissa on monta hallinnonalaa ja omat suunnittelukierrot.",
        "ehdot": "Joku pitää vuosikellon ajan tasalla; kalenteri on kaikkien luettavissa.",
        "maturity": "lupaava", "maturity_evidence": "Ensimmäinen vuosi käytössä, tapaamisten osallistuminen kasvoi.",
        "profile": _profile(3.2, 2.2, 1.6, 2.8, 1.4, 2.3, 2.7, 3.4), "profile_source": _YEE_SOURCE,
        "steps": ["Yhteinen vuosikello verkostotapaamisille"],
        "links": [_INNOKYLA], "network": YEE, "sector": "Nuorten palvelut", "area": "Keski-Suomi",
        "keywords": ["vuosikello", "koordinointi"],
    }, [
        ("2022-01-10", {"maturity": "kiinnostava", "maturity_evidence": None, "profile": None, "profile_source": None},
         "Leena, nuorisopalvelut", "Idea verkoston kehittämispäivästä"),
        ("2022-11-16", {}, "YEE-verkostopäivä", "Siirretty lupaavaksi verkostopäivässä"),
    ]),
    ("demo-yhteystietolista", {
        "name": "Yhteystietolista rooleineen",
        "summary": "Verkoston jäsenet, heidän roolinsa ja varahenkilönsä yhdellä listalla, joka päivitetään "
                   "neljännesvuosittain.",
        "perustiedot": {"toteuttaja": "YEE-verkosto", "yhteyshenkilo": "verkostokoordinaattori", "kesto": "jatkuva",
                        "alkamisvuosi": "2019"},
        "perusidea": "Verkostotyössä tärkeintä on tietää, kenelle soittaa. Lista kertoo roolin, ei vain nimen, joten se "
                     "toimii myös, kun ihmiset vaihtuvat.",
        "toimintaymparisto": "Kaikki monialaiset verkostot.",
        "ehdot": "Listalla on omistaja; päivitys on vuosikellossa.",
        "maturity": "kestava",
        "maturity_evidence": "Käytössä neljättä vuotta; levinnyt kolmeen naapuriverkostoon.",
        "profile": _profile(4.0, 3.1, 2.4, 3.3, 2.0, 3.5, 3.6, 4.1), "profile_source": _YEE_SOURCE,
        "stories": [{"title": "Uusi työntekijä löysi kumppanit viikossa",
                     "text": "Sijaiseksi tullut nuorisotyöntekijä sai listasta kaikki tarvitsemansa yhteydet."}],
        "validation": {"by": "Keski-Suomen nuorten palveluiden kehittäjäverkosto", "at": "2023-02-14",
                       "note": "Todettu toimivaksi kolmessa verkostossa."},
        "links": [_INNOKYLA], "network": YEE, "sector": "Nuorten palvelut", "area": "Keski-Suomi",
        "keywords": ["yhteystiedot", "roolit", "verkostotyö"],
    }, [
        ("2019-09-01", {"maturity": "lupaava", "maturity_evidence": None, "validation": None, "stories": []},
         "Mikko, sosiaalityö", "Kuvattu pankkiin"),
        ("2021-05-05", {"maturity": "hyva", "maturity_evidence": "Käytössä kaksi vuotta, päivitetty säännöllisesti.",
                        "validation": None}, "Mikko, sosiaalityö", "Hyväksi käytännöksi"),
        ("2023-02-14", {}, "Keski-Suomen kehittäjäverkosto", "Validoitu ja levinnyt: kestävä hyvä käytäntö"),
    ]),
    ("demo-jalkautuva", {
        "name": "Ohjaamon jalkautuva työ oppilaitoksissa",
        "summary": "Ohjaamon ohjaajat päivystävät viikoittain ammatillisissa oppilaitoksissa.",
        "perustiedot": {"toteuttaja": "Ohjaamo ja ammatilliset oppilaitokset", "yhteyshenkilo": "Ohjaamon esihenkilö",
                        "kohderyhma": "opintonsa keskeyttämistä harkitsevat nuoret", "alkamisvuosi": "2018"},
        "perusidea": "Palvelu menee sinne, missä nuoret ovat. Matala kynnys ja tuttu ohjaaja tekevät avun pyytämisestä "
                     "helppoa.",
        "toimintaymparisto": "Oppilaitokset ja nuorten palveluiden verkostot kaupunkiseuduilla.",
        "ehdot": "Oppilaitoksen tila ja lukujärjestykseen sovitettu päivystysaika.",
        "maturity": "kestava", "maturity_evidence": "Vakiintunut osaksi oppilaitosten opiskeluhuoltoa.",
        "profile": _profile(4.2, 3.0, 3.9, 3.5, 2.4, 3.7, 3.3, 3.9), "profile_source": _YEE_SOURCE,
        "stories": [{"title": "Keskeyttäminen vaihtui alanvaihtoon",
                     "text": "Nuori tuli juttelemaan päivystykseen ja vaihtoi alaa keskeyttämisen sijaan."}],
        "validation": {"by": "Oppilaitosten opiskeluhuoltoryhmä", "at": "2022-06-01"},
        "links": [_INNOKYLA, _OHJAAMOT], "network": YEE, "sector": "Koulutus", "area": "Keski-Suomi",
        "keywords": ["jalkautuva työ", "opiskeluhuolto"],
    }, []),
    ("demo-verkostokartta", {
        "name": "Nuoren oma verkostokartta",
        "summary": "Nuori piirtää ohjaajan kanssa, keitä hänen elämässään on ja keitä hän toivoisi mukaan.",
        "perusidea": "Kartta näyttää, missä verkostoissa nuori jo on, ja auttaa pyytämään tuttuja aikuisia mukaan.",
        "maturity": "kiinnostava",
        "steps": ["Kokeillaan verkostokarttaa kolmen nuoren kanssa keväällä"],
        "network": YEE, "sector": "Nuorten palvelut", "area": "Keski-Suomi",
        "keywords": ["osallisuus", "verkostokartta"],
    }, []),
    ("demo-nuorisotakuu", {
        "name": "Kuntien yhteinen nuorisotakuun seurantamalli",
        "summary": "Kuntien yhteistyönä kootaan neljännesvuosittain, miten nuorisotakuu toteutuu alueella.",
        "perustiedot": {"toteuttaja": "Seudun kunnat", "yhteyshenkilo": "hyvinvointikoordinaattori"},
        "perusidea": "Yhteiset mittarit kertovat kuntien päättäjille, mihin verkoston työ vaikuttaa.",
        "ehdot": "Kunnat sopivat samoista mittareista ja toimittavat tiedot ajallaan.",
        "maturity": "lupaava", "maturity_evidence": "Kaksi seurantakierrosta tehty, raportti käsitelty lautakunnissa.",
        "profile": _profile(3.0, 1.8, 1.5, 3.4, 3.2, 3.0, 2.2, 2.6), "profile_source": _YEE_SOURCE,
        "links": [_INNOKYLA], "network": YEE, "sector": "Kuntien yhteistyö", "area": "Keski-Suomi",
        "keywords": ["nuorisotakuu", "seuranta", "päätöksenteko"],
    }, [
        ("2022-03-01", {"maturity": "kiinnostava", "maturity_evidence": None}, "Sami, kunnan hyvinvointityö",
         "Ehdotettu seutukokouksessa"),
        ("2022-10-01", {}, "Sami, kunnan hyvinvointityö", "Toinen seurantakierros tehty"),
    ]),
    ("demo-palveluohjaus", {
        "name": "Perhekeskuksen verkostoitunut palveluohjaus",
        "summary": "Perhe saa yhden palveluohjaajan, joka kokoaa neuvolan, varhaiskasvatuksen, sosiaalityön ja "
                   "järjestöjen avun yhteen.",
        "perustiedot": {"toteuttaja": "Pohjois-Savon perhekeskukset", "yhteyshenkilo": "perhekeskuskoordinaattori",
                        "kohderyhma": "lapsiperheet", "kesto": "jatkuva", "alkamisvuosi": "2018"},
        "perusidea": "Lasten ja perheiden ei tarvitse kertoa asiaansa moneen kertaan: palveluohjaaja kulkee perheen "
                     "rinnalla verkostoissa.",
        "toimintaymparisto": "Hyvinvointialueen perhekeskukset ja kuntien sivistyspalvelut.",
        "ehdot": "Perheen suostumus tiedonvaihtoon; palveluohjaajalla aikaa ja valtuudet.",
        "maturity": "kestava", "maturity_evidence": "Osa hyvinvointialueen perhekeskusmallia vuodesta 2023.",
        "profile": _profile(4.4, 3.2, 4.0, 3.8, 2.9, 3.6, 3.4, 4.0), "profile_source": _LAPE_SOURCE,
        "stories": [{"title": "Yksi yhteyshenkilö viiden sijaan",
                     "text": "Monilapsinen perhe sai palveluohjaajan, ja tapaamisia oli puolet vähemmän."}],
        "validation": {"by": "Pohjois-Savon hyvinvointialueen perhekeskuksen ohjausryhmä", "at": "2023-05-20",
                       "note": "Arvioitu asiakaspalautteen ja 360-tarkastelun pohjalta."},
        "links": [_INNOKYLA, _INNOKYLA_COMMUNITY], "network": LAPE, "sector": "Lapsi- ja perhepalvelut",
        "area": "Pohjois-Savo", "keywords": ["perhekeskus", "palveluohjaus", "verkostotyö"],
    }, []),
    ("demo-palvelupolku", {
        "name": "Lapsiperheiden yhteinen palvelupolku kuntien välillä",
        "summary": "Kun perhe muuttaa kunnasta toiseen, tieto ja tuki siirtyvät perheen mukana.",
        "perustiedot": {"toteuttaja": "Pohjois-Savon kunnat", "yhteyshenkilo": "lapsiperhepalveluiden päällikkö",
                        "kohderyhma": "muuttavat lapsiperheet", "alkamisvuosi": "2020"},
        "perusidea": "Kuntien yhteistyön sopimus: lähettävä kunta soittaa vastaanottavalle, ja perhe tapaa uuden "
                     "työntekijän ennen muuttoa.",
        "toimintaymparisto": "Maakunta, jossa perheet muuttavat kuntien välillä työn perässä.",
        "ehdot": "Yhteinen sopimus ja nimetyt yhteyshenkilöt kaikissa kunnissa.",
        "maturity": "hyva", "maturity_evidence": "Käytössä kuudessa kunnassa, perheiden palaute myönteistä.",
        "profile": _profile(3.8, 2.6, 3.4, 3.1, 2.7, 3.2, 3.0, 3.2), "profile_source": _LAPE_SOURCE,
        "stories": [{"title": "Muutto ei katkaissut tukea", "text": "Perhetyö jatkui uudessa kunnassa heti muuton jälkeen."}],
        "validation": {"by": "LAPE-verkoston vertaisarvioijat", "at": "2023-04-12"},
        "links": [_INNOKYLA], "network": LAPE, "sector": "Kuntien yhteistyö", "area": "Pohjois-Savo",
        "keywords": ["palvelupolku", "kuntien yhteistyö"],
    }, [
        ("2020-02-01", {"maturity": "kiinnostava", "maturity_evidence": None, "validation": None, "stories": [],
                        "profile": None, "profile_source": None}, "Paula, perhetyö", "Kuvattu ensimmäisen kerran"),
        ("2021-09-15", {"maturity": "lupaava", "maturity_evidence": "Kolme kuntaa kokeillut, yhteinen sopimus laadittu.",
                        "validation": None, "profile": None, "profile_source": None}, "Paula, perhetyö",
         "Kokeilu laajeni kolmeen kuntaan"),
        ("2023-04-12", {}, "LAPE-verkoston arviointipäivä", "Vertaisarvioitu: hyvä käytäntö"),
    ]),
    ("demo-vanhempainryhmat", {
        "name": "Vanhempainryhmät järjestöjen ja neuvolan yhteistyönä",
        "summary": "Neuvola ja järjestöt järjestävät yhdessä vertaisryhmiä ensimmäistä lastaan odottaville.",
        "perustiedot": {"toteuttaja": "Neuvolat ja perhejärjestöt", "kohderyhma": "ensimmäistä lastaan odottavat"},
        "perusidea": "Järjestöjen vertaistuki ja neuvolan asiantuntemus samassa ryhmässä.",
        "toimintaymparisto": "Kaupungit ja kuntakeskukset.",
        "maturity": "hyva", "maturity_evidence": "Ryhmiä pidetty viisi vuotta, osallistujia yli 400.",
        "profile": _profile(3.5, 3.4, 4.1, 2.6, 1.9, 3.1, 3.2, 3.0), "profile_source": _LAPE_SOURCE,
        "stories": [{"title": "Vertaisryhmästä ystäviksi",
                     "text": "Ryhmän vanhemmat jatkoivat tapaamisia omin päin vauvojen synnyttyä."}],
        "validation": {"by": "Perhejärjestöjen yhteistyöryhmä", "at": "2022-09-30"},
        "links": [_INNOKYLA, _INNOKYLA_COMMUNITY], "network": LAPE, "sector": "Järjestöt", "area": "Pohjois-Savo",
        "keywords": ["vertaistuki", "neuvola", "järjestöt"],
    }, []),
    ("demo-konsultaatiotiimi", {
        "name": "Koulujen ja lastensuojelun yhteinen konsultaatiotiimi",
        "summary": "Opettajat voivat kysyä lastensuojelun ja oppilashuollon tiimiltä neuvoa nimettömästi.",
        "perusidea": "Huoli otetaan puheeksi ajoissa, kun opettaja saa tukea matalalla kynnyksellä.",
        "ehdot": "Tiimillä on sovittu aika viikossa ja kaikki koulut tietävät sen.",
        "maturity": "lupaava", "maturity_evidence": "Lukuvuoden kokeilu neljässä koulussa.",
        "profile": _profile(3.1, 2.4, 2.2, 2.9, 1.5, 2.5, 2.8, 3.3), "profile_source": _LAPE_SOURCE,
        "network": LAPE, "sector": "Koulutus", "area": "Pohjois-Savo", "keywords": ["konsultaatio", "lastensuojelu"],
    }, []),
    ("demo-lasten-aani", {
        "name": "Lasten ääni verkostoissa -kysely",
        "summary": "Lapsilta kysytään kerran vuodessa, miten palvelut ovat heitä kuulleet.",
        "perusidea": "Lasten vastaukset tuodaan verkoston arviointipäivään 360-tarkastelun rinnalle.",
        "maturity": "kiinnostava", "steps": ["Laaditaan kysely yhdessä lasten kanssa"],
        "network": LAPE, "sector": "Lapsi- ja perhepalvelut", "area": "Pohjois-Savo",
        "keywords": ["osallisuus", "lapset"],
    }, []),
    ("demo-isatoiminta", {
        "name": "Isätoiminnan verkosto",
        "summary": "Isille suunnattu toiminta kootaan yhteen: järjestöt, seurakunnat ja perhekeskukset.",
        "perusidea": "Isät löytävät toiminnan helpommin, kun tarjonta on yhdessä paikassa ja toimijat tuntevat toisensa.",
        "maturity": "kiinnostava",
        "profile": _profile(2.4, 2.9, 2.6, 1.8, 1.2, 1.9, 2.3, 2.5), "profile_source": _LAPE_SOURCE,
        "links": [_INNOKYLA_COMMUNITY], "network": LAPE, "sector": "Järjestöt", "area": "Pohjois-Savo",
        "keywords": ["isät", "vertaistuki"],
    }, []),
]


def _versions(now: dict[str, Any], history: list[tuple[str, dict[str, Any], str, str]]):
    from .store.bank import VersionIn

    if not history:
        return [VersionIn(now, changed_by="Demo", note="Kuvattu pankkiin", created_at=_at("2023-06-01"))]
    out = []
    for day, changes, who, note in history:
        fields = {k: v for k, v in {**now, **changes}.items() if v is not None}
        session = DEMO_CODE if day == "2022-11-16" else None
        out.append(VersionIn(fields, changed_by=who, note=note, created_at=_at(day), from_session=session))
    return out


def seed_bank(store) -> None:
    """Seed the demo bank once (again: nothing is added)."""
    store.import_practices([(uid, _versions(now, history)) for uid, now, history in _PRACTICES])
