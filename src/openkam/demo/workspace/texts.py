"""Words for the demo's account workspace: positions by buying role, what meetings were
about and how they went, plan sections, risks and competitors. Polish, as a Polish
distributor's KAMs would write them; `{line}` and `{competitor}` are filled in."""

from __future__ import annotations

# Buying role -> (position for a man, position for a woman, department), per segment
# where the segment matters ("*" for any). Directors and managers keep the masculine
# title on a woman's business card, as most Polish companies write it.
ROLE_POSITIONS: dict[str, dict[str, tuple[tuple[str, str, str], ...]]] = {
    "decision_maker": {
        "*": (
            ("Prezes zarządu", "Prezes zarządu", "Zarząd"),
            ("Dyrektor generalny", "Dyrektor generalny", "Zarząd"),
        ),
        "Public sector": (("Dyrektor", "Dyrektor", "Dyrekcja"),),
    },
    "economic_buyer": {
        "*": (
            ("Dyrektor finansowy", "Dyrektor finansowy", "Finanse"),
            ("Członek zarządu ds. finansowych", "Członkini zarządu ds. finansowych", "Zarząd"),
        ),
        "Public sector": (("Główny księgowy", "Główna księgowa", "Finanse"),),
    },
    "technical_buyer": {
        "*": (
            ("Kierownik działu jakości", "Kierownik działu jakości", "Jakość"),
            ("Category manager", "Category manager", "Zakupy"),
        ),
        "HoReCa": (("Szef kuchni", "Szefowa kuchni", "Gastronomia"),),
        "Industry": (("Kierownik utrzymania ruchu", "Kierownik utrzymania ruchu", "Produkcja"),),
        "Public sector": (
            (
                "Kierownik działu zamówień publicznych",
                "Kierownik działu zamówień publicznych",
                "Zamówienia publiczne",
            ),
        ),
    },
    "user": {
        "*": (
            ("Kierownik magazynu", "Kierownik magazynu", "Logistyka"),
            ("Specjalista ds. zakupów", "Specjalistka ds. zakupów", "Zakupy"),
            ("Kierownik logistyki", "Kierownik logistyki", "Logistyka"),
        ),
        "Retail chains": (("Kierownik regionu", "Kierownik regionu", "Sprzedaż"),),
        "HoReCa": (("Menedżer restauracji", "Menedżerka restauracji", "Operacje"),),
    },
    "gatekeeper": {
        "*": (
            ("Asystent zarządu", "Asystentka zarządu", "Zarząd"),
            ("Asystent zarządu", "Sekretarka zarządu", "Zarząd"),
        ),
    },
}
RUSSIAN_POSITIONS = {
    "decision_maker": ("Генеральный директор", "Руководство"),
    "economic_buyer": ("Финансовый директор", "Финансы"),
    "technical_buyer": ("Главный технолог", "Производство"),
    "user": ("Менеджер по закупкам", "Закупки"),
    "gatekeeper": ("Секретарь-референт", "Руководство"),
}
# Existing demo contacts' positions -> their buying role.
ROLE_BY_POSITION = {
    "Prezes zarządu": "decision_maker",
    "Dyrektor generalny": "decision_maker",
    "Dyrektor finansowy": "economic_buyer",
    "Główna księgowa": "influencer",
    "Specjalista ds. rozliczeń": "user",
    "Dyrektor zakupów": "influencer",
    "Kierownik zakupów": "user",
    "Specjalista ds. zakupów": "user",
    "Category manager": "technical_buyer",
    "Kierownik logistyki": "user",
    "Kierownik magazynu": "user",
    "Kierownik działu jakości": "technical_buyer",
    "Szef kuchni": "technical_buyer",
    "Kierownik administracji": "gatekeeper",
}

# Written without gendered verbs: the same note fits anyone.
ATTITUDE_NOTES = {
    "champion": (
        "Propozycja rozszerzenia współpracy na kolejne spółki grupy wyszła od tej osoby.",
        "Broni naszej oferty na zarządzie, zna nasze warunki lepiej niż konkurencji.",
    ),
    "supporter": (
        "Po spotkaniu w sprawie warunków rocznych wyraźnie większa otwartość na współpracę.",
        "Docenia terminowość dostaw w szczycie sezonu.",
        "Pozytywna ocena szkolenia dla zespołu i nowej oferty.",
    ),
    "neutral": (
        "Pierwsze rozmowy poprawne, bez wyraźnego zdania o nas.",
        "Rozmowy poprawne, ale bez deklaracji; porównuje oferty.",
        "Po rozwiązaniu reklamacji znowu rzeczowa rozmowa.",
    ),
    "sceptic": (
        "Po podwyżce cen w styczniu pytania o oferty konkurencji.",
        "Niezadowolenie po dwóch opóźnionych dostawach.",
        "Według tej osoby nasz asortyment chemii jest za drogi.",
    ),
    "opponent": (
        "Otwarcie forsuje przejście do {competitor}.",
        "Dobre relacje z przedstawicielem {competitor}; blokuje nasze propozycje.",
    ),
}

LOCATIONS_OURS = ("Biuro Warszawa, sala Wisła", "Biuro Warszawa, sala Odra", "Microsoft Teams")

# Meetings and visits: (subject, objective, outcomes, next steps).
MEETINGS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Negocjacje warunków rocznych",
        "Uzgodnić rabat roczny i próg bonusu obrotowego na przyszły rok.",
        (
            "Klient przyjął próg bonusu, chce dłuższego terminu płatności (45 dni).",
            "Rabat uzgodniony na poziomie zeszłorocznym, bonus od progu +10%.",
            "Bez porozumienia co do rabatu; klient czeka na ofertę {competitor}.",
        ),
        (
            "Przygotować wariant z terminem 45 dni i przesłać do piątku.",
            "Wysłać projekt aneksu do umowy do akceptacji działu prawnego.",
        ),
    ),
    (
        "Przegląd asortymentu: {line}",
        "Pokazać nowości w kategorii {line} i uzgodnić listę do wprowadzenia.",
        (
            "Klient wybrał 6 nowych indeksów do testu w trzech lokalizacjach.",
            "Zainteresowanie jest, ale decyzja dopiero po inwentaryzacji.",
            "Kategoria {line} zostaje u dotychczasowego dostawcy do końca kwartału.",
        ),
        (
            "Przesłać karty produktów i cennik na nowe indeksy.",
            "Umówić degustację w centrali klienta.",
        ),
    ),
    (
        "Kwartalny przegląd współpracy",
        "Omówić wyniki kwartału, poziom serwisu i plan na kolejny kwartał.",
        (
            "Poziom realizacji zamówień 97,8%; klient zadowolony z terminowości.",
            "Klient zgłosił dwie reklamacje transportowe; reszta kwartału bez uwag.",
            "Obroty powyżej planu, klient pyta o wspólne działania promocyjne.",
        ),
        (
            "Przygotować raport serwisowy za kwartał dla działu zakupów.",
            "Zaproponować kalendarz promocji na kolejny kwartał.",
        ),
    ),
    (
        "Wizyta w magazynie centralnym",
        "Sprawdzić warunki przyjęcia dostaw i okna rozładunkowe.",
        (
            "Ustalono nowe okna dostaw: wtorki i piątki 6:00-10:00.",
            "Magazyn zgłasza problem z paletami mieszanymi; trzeba zmienić kompletację.",
        ),
        (
            "Przekazać ustalenia do logistyki i potwierdzić mailem.",
            "Sprawdzić z magazynem możliwość dostaw na paletach jednorodnych.",
        ),
    ),
    (
        "Prezentacja oferty: {line}",
        "Przedstawić ofertę w kategorii {line}, której klient jeszcze u nas nie kupuje.",
        (
            "Klient poprosił o ofertę cenową na pełny asortyment {line}.",
            "Obecny dostawca ({competitor}) ma kontrakt do marca; wracamy do tematu w lutym.",
            "Zamówienie testowe na dwa tygodnie, potem decyzja.",
        ),
        (
            "Przygotować ofertę z cenami na 12 miesięcy.",
            "Zapisać w planie termin powrotu do tematu.",
        ),
    ),
    (
        "Spotkanie z zarządem",
        "Przedstawić propozycję umowy ramowej i rozwój współpracy w grupie.",
        (
            "Zarząd zainteresowany umową ramową na 3 lata; prosi o warunki dla spółek zależnych.",
            "Prezes potwierdził, że przetarg na dostawy ruszy w pierwszym kwartale.",
            "Spotkanie krótkie, decyzje przesunięte na kolejny miesiąc.",
        ),
        (
            "Przygotować warunki umowy ramowej z dyrektorem handlowym.",
            "Zaprosić zarząd na wizytę w naszym centrum dystrybucyjnym.",
        ),
    ),
    (
        "Rozwiązanie reklamacji dostawy",
        "Wyjaśnić przyczynę reklamacji i uzgodnić korektę.",
        (
            "Reklamacja uznana, korekta faktury wystawiona, klient przyjął przeprosiny.",
            "Przyczyną była pomyłka w kompletacji; wprowadzamy podwójną kontrolę.",
        ),
        ("Potwierdzić korektę mailem i sprawdzić kolejne dwie dostawy.",),
    ),
    (
        "Planowanie sezonu świątecznego",
        "Uzgodnić wolumeny i harmonogram dostaw na sezon świąteczny.",
        (
            "Klient zamówi o 20% więcej słodyczy i kawy niż przed rokiem.",
            "Ustalono harmonogram: pierwsza dostawa sezonowa w połowie listopada.",
        ),
        ("Zarezerwować towar u producentów i potwierdzić terminy.",),
    ),
    (
        "Otwarcie nowej lokalizacji klienta",
        "Ustalić pierwsze zamówienie i harmonogram dostaw do nowego punktu.",
        (
            "Pierwsza dostawa tydzień przed otwarciem; klient chce pełny asortyment {line}.",
            "Otwarcie przesunięte o miesiąc, zamówienie bez zmian.",
        ),
        ("Przygotować listę startową indeksów i potwierdzić z logistyką.",),
    ),
    (
        "Przetarg na dostawy na przyszły rok",
        "Poznać warunki przetargu i kryteria oceny ofert.",
        (
            "Kryteria: cena 60%, termin dostawy 20%, serwis 20%; termin składania ofert w styczniu.",
            "Klient rozważa podział zamówienia między dwóch dostawców, w tym {competitor}.",
        ),
        (
            "Przygotować kalkulację cenową z działem zakupów.",
            "Zebrać referencje od innych klientów.",
        ),
    ),
    (
        "Szkolenie dla zespołu klienta",
        "Przeszkolić pracowników z dozowania środków profesjonalnych.",
        (
            "Przeszkolono 14 osób; klient prosi o powtórkę dla drugiej zmiany.",
            "Szkolenie przeprowadzone, zużycie środków powinno spaść o ok. 10%.",
        ),
        ("Umówić termin szkolenia dla drugiej zmiany.",),
    ),
)
# Calls: (subject, objective, outcomes).
CALLS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Potwierdzenie zamówienia na przyszły tydzień",
        "Potwierdzić ilości i termin dostawy.",
        ("Zamówienie potwierdzone bez zmian.", "Klient dorzuca dwie palety napojów."),
    ),
    (
        "Termin płatności zaległych faktur",
        "Ustalić, kiedy wpłyną zaległe płatności.",
        (
            "Klient obiecał przelew do końca tygodnia.",
            "Dział finansowy prosi o kopie dwóch faktur.",
            "Część zapłacona, reszta po zamknięciu miesiąca.",
        ),
    ),
    (
        "Ustalenie terminu spotkania",
        "Umówić spotkanie w przyszłym miesiącu.",
        ("Spotkanie ustalone.", "Klient oddzwoni po urlopie."),
    ),
    (
        "Pytanie o dostępność: {line}",
        "Odpowiedzieć na pytanie klienta o dostępność towaru.",
        ("Towar dostępny, wysyłka w 48 godzin.", "Brak na stanie, zaproponowano zamiennik."),
    ),
    (
        "Informacja o zmianie cen od stycznia",
        "Uprzedzić klienta o nowym cenniku, zanim dostanie go mailem.",
        (
            "Klient przyjął informację, prosi o cennik na piśmie.",
            "Klient niezadowolony, chce rozmowy z przełożonym.",
        ),
    ),
    (
        "Krótka rozmowa po dostawie",
        "Sprawdzić, czy dostawa dotarła kompletna.",
        ("Dostawa kompletna, bez uwag.", "Jedna paleta uszkodzona, zgłoszenie reklamacji."),
    ),
    (
        "Wyniki promocji: {line}",
        "Omówić sprzedaż w czasie promocji i zapasy po niej.",
        (
            "Promocja sprzedała się o 30% lepiej niż zakładano; klient chce powtórki.",
            "Zostały zapasy na dwa tygodnie, kolejne zamówienie mniejsze.",
        ),
    ),
    (
        "Zmiana osoby kontaktowej w zakupach",
        "Dowiedzieć się, kto przejmuje zamówienia.",
        ("Nowa osoba zacznie od przyszłego miesiąca; umówiono przedstawienie.",),
    ),
)
EMAILS: tuple[tuple[str, str], ...] = (
    ("Oferta cenowa: {line}", "Wysłano ofertę z cenami ważnymi do końca kwartału."),
    ("Podsumowanie spotkania", "Przesłano notatkę ze spotkania i listę ustaleń."),
    ("Karty produktów i certyfikaty", "Przesłano karty charakterystyki i certyfikaty jakości."),
    ("Kalendarz promocji", "Przesłano propozycję promocji na kolejny kwartał."),
    ("Raport serwisowy", "Przesłano raport terminowości dostaw i reklamacji."),
)
TASKS: tuple[str, ...] = (
    "Przygotować ofertę na {line}",
    "Zaktualizować warunki handlowe w systemie",
    "Sprawdzić limit kredytowy z działem finansów",
    "Przygotować analizę sprzedaży za ostatni kwartał",
    "Zamówić próbki: {line}",
)
NOTES: tuple[str, ...] = (
    "Klient planuje otwarcie dwóch nowych lokalizacji w przyszłym roku.",
    "Słychać, że {competitor} składa agresywne oferty w regionie.",
    "W firmie klienta zmiany w dziale zakupów; warto poznać nowych ludzi.",
    "Klient rozważa centralizację zakupów w grupie.",
)
CANCELLED = "Odwołane przez klienta; nowy termin do ustalenia."

PLAN_SECTIONS = {
    "relationship_summary": (
        "Współpraca od kilku lat, dobre relacje na poziomie zakupów i logistyki; "
        "słabszy kontakt z zarządem i finansami.",
        "Jesteśmy głównym dostawcą w kategoriach spożywczych; w chemii i opakowaniach "
        "klient kupuje głównie u konkurencji.",
        "Relacja oparta na jednej osobie w zakupach; trzeba poszerzyć kontakty o zarząd.",
    ),
    "client_goals": (
        "Klient chce obniżyć koszty logistyki o 8% i ograniczyć liczbę dostawców.",
        "Rozwój sieci o nowe lokalizacje i ujednolicenie asortymentu w całej grupie.",
        "Poprawa marży na kategoriach suchych i skrócenie rotacji zapasów.",
    ),
    "client_plans": (
        "W przyszłym roku przetarg na dostawy dla całej grupy; nowe centrum dystrybucyjne "
        "pod Łodzią w trzecim kwartale.",
        "Otwarcie kilku nowych punktów i rozbudowa oferty gastronomicznej.",
        "Centralizacja zakupów w spółce matce od stycznia.",
    ),
    "client_financial_condition": (
        "Stabilna; płaci w terminie, rosnące przychody, zadłużenie umiarkowane.",
        "Przychody rosną, ale marże pod presją; płatności z opóźnieniem do 14 dni.",
        "Po słabszym roku klient tnie koszty; pilnujemy limitu kredytowego.",
    ),
    "strategy": (
        "Utrzymać pozycję w kategoriach spożywczych i wejść z chemią profesjonalną; "
        "poszerzyć relację o dyrektora finansowego.",
        "Umowa ramowa dla grupy, wspólny kalendarz promocji, regularne przeglądy serwisu.",
        "Bronić udziału przed konkurencją ceną w kluczowych indeksach i jakością serwisu.",
    ),
}
TEMPLATES = (
    # (name, segment, cadence, section prompts)
    (
        "Plan roczny: sieci handlowe",
        "Retail chains",
        "monthly",
        {
            "client_goals": "Cele sieci: nowe sklepy, marża kategorii, koszty logistyki.",
            "strategy": "Kategorie do obrony, kategorie do wejścia, kalendarz promocji.",
        },
    ),
    (
        "Plan roczny: HoReCa",
        "HoReCa",
        "quarterly",
        {
            "client_goals": "Cele klienta: nowe lokale, menu, koszty zakupów.",
            "strategy": "Serwis, szkolenia, asortyment profesjonalny.",
        },
    ),
    (
        "Plan roczny: hurt, przemysł i sektor publiczny",
        "",
        "quarterly",
        {
            "client_goals": "Cele klienta na ten rok.",
            "strategy": "Jak zwiększymy udział w wydatkach klienta.",
        },
    ),
)
ACTIONS = (
    ("Przygotować i wynegocjować warunki roczne", "revenue"),
    ("Wprowadzić kategorię {line} do oferty klienta", "line_revenue"),
    ("Degustacja i próbki: {line}", "line_revenue"),
    ("Przegląd cen na 20 kluczowych indeksach", "margin_pct"),
    ("Ograniczyć rabaty pozaumowne", "margin_pct"),
    ("Spotkanie z dyrektorem finansowym w sprawie umowy ramowej", "manual"),
    ("Oferta na chemię profesjonalną dla wszystkich lokalizacji", "product_lines"),
    ("Wspólny kalendarz promocji na kolejny kwartał", "share_of_wallet"),
    ("Raport serwisowy dla zarządu klienta", "share_of_wallet"),
)
RISKS = (
    (
        "Zmiana prezesa może oznaczać przegląd wszystkich dostawców.",
        "Poznać nowego prezesa w ciągu miesiąca od zmiany.",
    ),
    (
        "Opóźnienia w płatnościach rosną; ryzyko wstrzymania dostaw.",
        "Co miesiąc przegląd należności z działem finansów.",
    ),
    (
        "Presja na ceny po styczniowej podwyżce.",
        "Pokazać całkowity koszt dostaw, nie tylko cenę jednostkową.",
    ),
    (
        "Centralizacja zakupów w grupie może przenieść decyzje do centrali za granicą.",
        "Zbudować relację z centralą zakupów grupy.",
    ),
)
COMPETITOR_THREATS = (
    (
        "{competitor} oferuje niższe ceny w kategorii {line} i odwiedza zakupy co tydzień.",
        "Oferta pakietowa z {line} i lepszy termin płatności.",
    ),
    (
        "{competitor} proponuje umowę na wyłączność dla całej grupy.",
        "Przyspieszyć rozmowy o umowie ramowej.",
    ),
    (
        "{competitor} wygrał przetarg w spółce zależnej klienta.",
        "Przeanalizować przegraną ofertę i przygotować się do kolejnego przetargu.",
    ),
)
REVIEW_COMMENTS = {
    "on_track": (
        "Sprzedaż zgodnie z planem, działania realizowane terminowo.",
        "Dobry kwartał; nowe kategorie weszły zgodnie z planem.",
        "Bez uwag, utrzymać rytm spotkań.",
    ),
    "at_risk": (
        "Obroty poniżej planu o kilka procent; trzeba przyspieszyć wejście z nowymi kategoriami.",
        "Marża spada przez rabaty pozaumowne; pilnować cen.",
        "Brak kontaktu z dyrektorem finansowym od kilku miesięcy.",
    ),
    "off_track": (
        "Konkurencja przejęła część wolumenu; plan wymaga korekty.",
        "Klient ograniczył zamówienia; potrzebny plan naprawczy i spotkanie z zarządem.",
    ),
}
COMPETITORS = (
    ("Hurtpol Dystrybucja S.A.", "Ogólnopolski hurt spożywczy, silny w sieciach handlowych."),
    ("Gastro-Serwis Polska Sp. z o.o.", "Dostawca dla HoReCa, własna flota chłodnicza."),
    ("Mazowiecki Hurt Spożywczy Sp. z o.o.", "Regionalny hurt, agresywne ceny na Mazowszu."),
    ("FoodLink Europe GmbH", "Niemiecki dystrybutor, wchodzi do Polski przez przejęcia."),
    ("Nordis Food Service Sp. z o.o.", "Food service dla sieci restauracji i stołówek."),
    ("Bałtyk Handel i Logistyka S.A.", "Hurt z Pomorza, silny w napojach i konserwach."),
    ("CleanPro Polska Sp. z o.o.", "Chemia profesjonalna i higiena, serwis dozowników."),
    ("Delta Cash & Carry Sp. z o.o.", "Hurtownie samoobsługowe w dużych miastach."),
    ("Agro-Trade Wielkopolska Sp. z o.o.", "Produkty sypkie i oleje, bezpośrednio od producentów."),
    ("PakMax Opakowania Sp. z o.o.", "Opakowania jednorazowe, ceny poniżej rynku."),
)
COMPETITOR_NOTES = (
    "Kupują u nich głównie z przyzwyczajenia; ceny porównywalne.",
    "Mają umowę do końca roku, potem przetarg.",
    "Silna relacja z kierownikiem zakupów.",
    "Wygrywają ceną, przegrywają terminowością.",
)
