"""Word lists for believable Polish (and a few Russian) company and person names.

Data only. The demo company is a Polish food, beverage and hygiene distributor; its
customers are retail chains, wholesalers, hotels and restaurants, factories and
public institutions. Every name is made up; any likeness to a real firm is chance.
"""

from __future__ import annotations

# (city, voivodeship, relative weight ~ size of the local market)
CITIES: tuple[tuple[str, str, float], ...] = (
    ("Warszawa", "mazowieckie", 10.0),
    ("Kraków", "małopolskie", 5.0),
    ("Łódź", "łódzkie", 4.0),
    ("Wrocław", "dolnośląskie", 4.5),
    ("Poznań", "wielkopolskie", 4.0),
    ("Gdańsk", "pomorskie", 3.5),
    ("Szczecin", "zachodniopomorskie", 2.5),
    ("Bydgoszcz", "kujawsko-pomorskie", 2.0),
    ("Lublin", "lubelskie", 2.2),
    ("Białystok", "podlaskie", 1.8),
    ("Katowice", "śląskie", 3.0),
    ("Gdynia", "pomorskie", 1.5),
    ("Częstochowa", "śląskie", 1.2),
    ("Radom", "mazowieckie", 1.1),
    ("Toruń", "kujawsko-pomorskie", 1.1),
    ("Rzeszów", "podkarpackie", 1.5),
    ("Kielce", "świętokrzyskie", 1.2),
    ("Gliwice", "śląskie", 1.1),
    ("Olsztyn", "warmińsko-mazurskie", 1.1),
    ("Zielona Góra", "lubuskie", 0.9),
    ("Opole", "opolskie", 0.9),
    ("Gorzów Wielkopolski", "lubuskie", 0.7),
    ("Płock", "mazowieckie", 0.8),
    ("Elbląg", "warmińsko-mazurskie", 0.6),
    ("Tarnów", "małopolskie", 0.7),
    ("Koszalin", "zachodniopomorskie", 0.6),
    ("Legnica", "dolnośląskie", 0.6),
    ("Kalisz", "wielkopolskie", 0.6),
    ("Nowy Sącz", "małopolskie", 0.5),
    ("Siedlce", "mazowieckie", 0.5),
    ("Piotrków Trybunalski", "łódzkie", 0.4),
    ("Suwałki", "podlaskie", 0.4),
    ("Zamość", "lubelskie", 0.4),
    ("Łomża", "podlaskie", 0.3),
    ("Pruszków", "mazowieckie", 0.6),
    ("Sopot", "pomorskie", 0.4),
    ("Zakopane", "małopolskie", 0.4),
    ("Świnoujście", "zachodniopomorskie", 0.3),
)

# "in <city>": Polish puts the city in the locative case.
LOCATIVE = {
    "Warszawa": "w Warszawie",
    "Kraków": "w Krakowie",
    "Łódź": "w Łodzi",
    "Wrocław": "we Wrocławiu",
    "Poznań": "w Poznaniu",
    "Gdańsk": "w Gdańsku",
    "Szczecin": "w Szczecinie",
    "Bydgoszcz": "w Bydgoszczy",
    "Lublin": "w Lublinie",
    "Białystok": "w Białymstoku",
    "Katowice": "w Katowicach",
    "Gdynia": "w Gdyni",
    "Częstochowa": "w Częstochowie",
    "Radom": "w Radomiu",
    "Toruń": "w Toruniu",
    "Rzeszów": "w Rzeszowie",
    "Kielce": "w Kielcach",
    "Gliwice": "w Gliwicach",
    "Olsztyn": "w Olsztynie",
    "Zielona Góra": "w Zielonej Górze",
    "Opole": "w Opolu",
    "Gorzów Wielkopolski": "w Gorzowie Wielkopolskim",
    "Płock": "w Płocku",
    "Elbląg": "w Elblągu",
    "Tarnów": "w Tarnowie",
    "Koszalin": "w Koszalinie",
    "Legnica": "w Legnicy",
    "Kalisz": "w Kaliszu",
    "Nowy Sącz": "w Nowym Sączu",
    "Siedlce": "w Siedlcach",
    "Piotrków Trybunalski": "w Piotrkowie Trybunalskim",
    "Suwałki": "w Suwałkach",
    "Zamość": "w Zamościu",
    "Łomża": "w Łomży",
    "Pruszków": "w Pruszkowie",
    "Sopot": "w Sopocie",
    "Zakopane": "w Zakopanem",
    "Świnoujście": "w Świnoujściu",
}


def in_city(city: str) -> str:
    return LOCATIVE.get(city, f"– {city}")


RUSSIAN_CITIES: tuple[tuple[str, str], ...] = (
    ("Калининград", "Калининградская область"),
    ("Москва", "Москва"),
    ("Санкт-Петербург", "Санкт-Петербург"),
    ("Смоленск", "Смоленская область"),
)

# segment -> (share of customers, industries, name prefixes, legal forms with weights)
SEGMENTS: dict[str, dict] = {
    "Retail chains": {
        "share": 0.12,
        "industries": ("Grocery retail", "Convenience stores", "Drugstores"),
        "prefixes": ("Sieć Sklepów", "Delikatesy", "Market", "Supersam", "Sklepy"),
        "forms": (("Sp. z o.o.", 5), ("S.A.", 2), ("sp.j.", 1)),
    },
    "Wholesale": {
        "share": 0.30,
        "industries": ("Food wholesale", "Cash and carry", "Regional distribution"),
        "prefixes": ("Hurtownia", "Centrum Dystrybucji", "Handel", "Hurt", "Dystrybucja"),
        "forms": (("Sp. z o.o.", 5), ("sp.j.", 3), ("S.A.", 1), ("sp.k.", 1)),
    },
    "HoReCa": {
        "share": 0.30,
        "industries": ("Hotels", "Restaurants", "Catering", "Cafés"),
        "prefixes": ("Hotel", "Restauracja", "Catering", "Bistro", "Kawiarnia", "Pensjonat"),
        "forms": (("Sp. z o.o.", 4), ("sp.j.", 2), ("s.c.", 2), ("", 1)),
    },
    "Industry": {
        "share": 0.16,
        "industries": ("Food processing", "Manufacturing", "Logistics", "Facility services"),
        "prefixes": ("Zakłady", "Przedsiębiorstwo Produkcyjne", "Fabryka", "Przetwórnia"),
        "forms": (("Sp. z o.o.", 5), ("S.A.", 2), ("sp.k.", 1)),
    },
    "Public sector": {
        "share": 0.12,
        "industries": ("Hospitals", "Schools", "Social care", "Local government"),
        "prefixes": (
            "Szpital Miejski",
            "Zespół Szkół",
            "Dom Pomocy Społecznej",
            "Centrum Usług Wspólnych",
        ),
        "forms": (("", 1),),
    },
}

# Syllables that make invented brand-like names: "Agromar", "Polvit", "Eurotrans".
NAME_HEADS = (
    "Agro",
    "Pol",
    "Euro",
    "Inter",
    "Trans",
    "Mar",
    "Bal",
    "Vis",
    "Nord",
    "Pro",
    "Gast",
    "Frux",
    "Delta",
    "Omega",
    "Magna",
    "Tar",
    "Ziel",
    "Wis",
    "Kar",
    "Jan",
    "Bud",
    "Rol",
    "Kor",
    "Smak",
    "Zdro",
    "Słon",
    "Dom",
    "Sad",
    "Las",
    "Mazo",
)
NAME_TAILS = (
    "mar",
    "pol",
    "vit",
    "tex",
    "trans",
    "med",
    "hand",
    "gast",
    "san",
    "lux",
    "pak",
    "net",
    "fruct",
    "mix",
    "bis",
    "ex",
    "max",
    "com",
    "tom",
    "ica",
)
PLACE_WORDS = (
    "Mazowsze",
    "Wisła",
    "Bałtyk",
    "Karpaty",
    "Warta",
    "Odra",
    "Podhale",
    "Kaszuby",
    "Mazury",
    "Roztocze",
    "Pomorze",
    "Śląsk",
    "Kujawy",
    "Podlasie",
    "Żuławy",
    "Beskid",
    "Tatry",
    "Sudety",
    "Narew",
    "Bug",
)
HORECA_NAMES = (
    "Pod Lipami",
    "Złota Kaczka",
    "Stary Młyn",
    "Pod Różą",
    "Zielony Dwór",
    "Pod Dębem",
    "Srebrny Potok",
    "Biały Jeleń",
    "Leśna Polana",
    "Na Rynku",
    "Pod Orłem",
    "Dworek",
    "Przystań",
    "Kamienica",
    "Pod Wawelem",
    "Stara Piekarnia",
    "Winnica",
    "Zajazd",
)

GROUP_SUFFIXES = (
    "Logistyka",
    "Retail",
    "Hurt",
    "Serwis",
    "Gastronomia",
    "Dystrybucja",
    "Market",
    "Produkcja",
    "Trade",
    "Catering",
)

RUSSIAN_NAME_WORDS = (
    "Восток",
    "Балтика",
    "Янтарь",
    "Северный Путь",
    "Торговый Дом",
    "Нева",
    "Вектор",
    "Продсервис",
    "Альфа-Трейд",
    "Меридиан",
)

MALE_FIRST = (
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Marcin",
    "Michał",
    "Marek",
    "Grzegorz",
    "Jakub",
    "Adam",
    "Łukasz",
    "Mateusz",
    "Wojciech",
    "Rafał",
    "Jan",
    "Kamil",
    "Robert",
    "Dariusz",
    "Maciej",
)
FEMALE_FIRST = (
    "Anna",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Magdalena",
    "Joanna",
    "Aleksandra",
    "Monika",
    "Zofia",
    "Beata",
    "Dorota",
    "Marta",
    "Karolina",
    "Natalia",
    "Justyna",
    "Iwona",
    "Agata",
    "Paulina",
)
# Male form; the female form is derived (-ski -> -ska, -cki -> -cka, -dzki -> -dzka).
SURNAMES = (
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Nowicki",
    "Adamczyk",
    "Dudek",
    "Zając",
    "Wieczorek",
    "Jabłoński",
    "Król",
    "Majewski",
    "Olszewski",
    "Jaworski",
    "Wróbel",
    "Malinowski",
    "Pawlak",
    "Witkowski",
    "Walczak",
    "Stępień",
    "Górski",
    "Rutkowski",
    "Michalak",
    "Sikora",
    "Ostrowski",
    "Baran",
    "Duda",
    "Szewczyk",
    "Tomaszewski",
    "Pietrzak",
    "Marciniak",
    "Wróblewski",
    "Zalewski",
    "Jakubowski",
    "Jasiński",
    "Zawadzki",
    "Sadowski",
    "Bąk",
    "Chmielewski",
    "Włodarczyk",
    "Borkowski",
    "Czarnecki",
    "Sawicki",
)
RUSSIAN_CONTACTS = (
    ("Алексей", "Иванов"),
    ("Ольга", "Смирнова"),
    ("Дмитрий", "Кузнецов"),
    ("Наталья", "Попова"),
    ("Сергей", "Соколов"),
    ("Ирина", "Лебедева"),
)

POSITIONS: tuple[tuple[str, str], ...] = (
    ("Prezes zarządu", "Zarząd"),
    ("Dyrektor generalny", "Zarząd"),
    ("Dyrektor zakupów", "Zakupy"),
    ("Kierownik zakupów", "Zakupy"),
    ("Specjalista ds. zakupów", "Zakupy"),
    ("Category manager", "Zakupy"),
    ("Kierownik logistyki", "Logistyka"),
    ("Kierownik magazynu", "Logistyka"),
    ("Główna księgowa", "Finanse"),
    ("Dyrektor finansowy", "Finanse"),
    ("Specjalista ds. rozliczeń", "Finanse"),
    ("Kierownik działu jakości", "Jakość"),
    ("Szef kuchni", "Gastronomia"),
    ("Kierownik administracji", "Administracja"),
)

# As an ERP writes them on the correction invoices (data, not interface text), with how
# often each comes up: damage in transport and short shelf life lead, as in food trade.
RETURN_REASONS = (
    "Uszkodzenie w transporcie",
    "Krótki termin przydatności",
    "Błędna dostawa",
    "Reklamacja jakościowa",
    "Zwrot handlowy (nadwyżka magazynowa)",
    "Towar przeterminowany",
    "Nie zamawiano",
)
RETURN_REASON_WEIGHTS = (0.30, 0.20, 0.14, 0.12, 0.10, 0.08, 0.06)

TIER_REASONS = {
    "key": (
        "Obroty powyżej progu klienta kluczowego przez dwa lata z rzędu",
        "Wysoki potencjał wzrostu i dobra dyscyplina płatnicza",
        "Szeroki koszyk produktowy, stabilna współpraca",
        "Grupa kapitałowa z kilkoma spółkami zależnymi, potencjał cross-sellingu",
    ),
    "strategic": (
        "Jeden z największych odbiorców; współpraca na poziomie zarządów",
        "Kontrakt ramowy na trzy lata, kluczowy dla planu sprzedaży",
        "Największy potencjał w segmencie, wspólne plany rozwoju",
    ),
    "standard": (
        "Spadek obrotów o ponad 30% rok do roku",
        "Przeniesienie do obsługi standardowej po zmianie właściciela",
    ),
}


def feminine(surname: str) -> str:
    """The female form of a Polish surname."""
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


ASCII_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits only, for e-mail addresses and domains."""
    folded = text.translate(ASCII_FOLD).lower()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())
