"""The distributor's catalogue: 300 products in 12 product lines, with list prices and
unit costs (list prices and costs live only in the generator; the Product model keeps
no prices, invoice lines carry the money)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openkam.demo.spec import DemoSpec

# line -> (code, unit, price range per unit in PLN, margin range at list price, items)
LINES: dict[str, tuple[str, str, tuple[float, float], tuple[float, float], tuple[str, ...]]] = {
    "Kawa i herbata": (
        "KAW",
        "szt.",
        (12, 160),
        (0.28, 0.40),
        (
            "Kawa ziarnista Arabica 1 kg",
            "Kawa mielona 500 g",
            "Kawa rozpuszczalna 200 g",
            "Herbata czarna 100 torebek",
            "Herbata zielona 50 torebek",
            "Kawa w kapsułkach 30 szt.",
            "Herbata owocowa 20 torebek",
            "Kawa ziarnista Espresso 1 kg",
        ),
    ),
    "Napoje": (
        "NAP",
        "zgrz.",
        (18, 70),
        (0.14, 0.24),
        (
            "Woda mineralna 1,5 l x6",
            "Woda gazowana 0,5 l x12",
            "Sok pomarańczowy 1 l x6",
            "Napój gazowany 0,33 l x24",
            "Napój izotoniczny 0,5 l x12",
            "Sok jabłkowy 0,2 l x24",
        ),
    ),
    "Słodycze": (
        "SLO",
        "krt.",
        (25, 180),
        (0.22, 0.34),
        (
            "Czekolada mleczna 100 g x20",
            "Wafle w czekoladzie x30",
            "Cukierki krówki 1 kg",
            "Baton zbożowy x24",
            "Herbatniki maślane x12",
            "Pierniki toruńskie x10",
        ),
    ),
    "Przekąski": (
        "PRZ",
        "krt.",
        (20, 120),
        (0.20, 0.32),
        (
            "Chipsy ziemniaczane 140 g x14",
            "Paluszki solone 200 g x20",
            "Orzeszki ziemne 1 kg",
            "Krakersy 100 g x24",
            "Chrupki kukurydziane x16",
        ),
    ),
    "Produkty sypkie": (
        "SYP",
        "worek",
        (30, 220),
        (0.10, 0.16),
        (
            "Mąka pszenna typ 450 25 kg",
            "Cukier biały 25 kg",
            "Ryż długoziarnisty 5 kg",
            "Kasza gryczana 5 kg",
            "Makaron świderki 5 kg",
            "Płatki owsiane 10 kg",
        ),
    ),
    "Konserwy i przetwory": (
        "KON",
        "krt.",
        (35, 200),
        (0.16, 0.26),
        (
            "Pomidory krojone 400 g x12",
            "Groszek konserwowy 400 g x12",
            "Koncentrat pomidorowy 5 kg",
            "Ogórki konserwowe 900 ml x6",
            "Fasola czerwona 400 g x12",
        ),
    ),
    "Oleje i tłuszcze": (
        "OLE",
        "krt.",
        (40, 260),
        (0.10, 0.15),
        (
            "Olej rzepakowy 5 l x3",
            "Oliwa z oliwek 1 l x6",
            "Olej do smażenia 10 l",
            "Margaryna 2,5 kg x4",
        ),
    ),
    "Przyprawy": (
        "PRP",
        "opak.",
        (8, 90),
        (0.30, 0.40),
        (
            "Pieprz czarny mielony 500 g",
            "Papryka słodka 500 g",
            "Sól jodowana 25 kg",
            "Przyprawa do mięs 1 kg",
            "Majeranek 200 g",
            "Ziele angielskie 500 g",
        ),
    ),
    "Chemia gospodarcza": (
        "CHE",
        "krt.",
        (25, 190),
        (0.24, 0.36),
        (
            "Płyn do naczyń 5 l x2",
            "Proszek do prania 10 kg",
            "Płyn do podłóg 5 l",
            "Tabletki do zmywarki x100",
            "Mleczko do czyszczenia x12",
        ),
    ),
    "Higiena i papier": (
        "HIG",
        "krt.",
        (30, 240),
        (0.18, 0.30),
        (
            "Papier toaletowy 3-warstwowy x64",
            "Ręcznik papierowy ZZ x4000",
            "Mydło w płynie 5 l",
            "Chusteczki higieniczne x40",
            "Ręcznik w roli maxi x6",
        ),
    ),
    "Opakowania jednorazowe": (
        "OPA",
        "krt.",
        (35, 210),
        (0.20, 0.32),
        (
            "Kubek papierowy 250 ml x1000",
            "Pojemnik obiadowy x300",
            "Sztućce drewniane x1000",
            "Serwetki 2-warstwowe x2400",
            "Folia spożywcza 300 m",
            "Torba papierowa x500",
        ),
    ),
    "Środki profesjonalne HoReCa": (
        "PRO",
        "kan.",
        (60, 420),
        (0.30, 0.40),
        (
            "Koncentrat do mycia podłóg 10 l",
            "Płyn do zmywarek przemysłowych 20 l",
            "Preparat do dezynfekcji rąk 5 l",
            "Odtłuszczacz do kuchni 5 l",
            "Nabłyszczacz 10 l",
        ),
    ),
}
VARIANTS = ("", "Premium", "Ekonomiczny", "Bio", "Professional", "Classic")

# How much each customer segment buys from each line (rows follow LINES order).
SEGMENT_AFFINITY = {
    "Retail chains": (1.0, 1.0, 1.2, 1.2, 0.6, 0.7, 0.6, 0.5, 0.8, 0.8, 0.1, 0.05),
    "Wholesale": (0.9, 1.0, 0.9, 0.9, 1.0, 1.0, 0.9, 0.7, 0.7, 0.7, 0.4, 0.2),
    "HoReCa": (1.3, 1.0, 0.3, 0.3, 0.9, 0.8, 0.9, 0.9, 0.3, 0.6, 1.0, 1.2),
    "Industry": (0.7, 0.8, 0.2, 0.3, 0.5, 0.3, 0.4, 0.3, 0.9, 1.2, 0.7, 0.8),
    "Public sector": (0.5, 0.6, 0.1, 0.1, 0.9, 0.8, 0.6, 0.4, 1.0, 1.2, 0.5, 0.9),
}


# Month-by-month demand of a line on top of the company-wide season (Jan..Dec);
# lines not listed sell evenly through the year.
LINE_SEASON = {
    "Kawa i herbata": (1.15, 1.1, 1.0, 0.95, 0.9, 0.85, 0.85, 0.85, 1.0, 1.05, 1.1, 1.2),
    "Napoje": (0.7, 0.75, 0.85, 1.0, 1.15, 1.4, 1.5, 1.4, 1.0, 0.85, 0.75, 0.8),
    "Słodycze": (0.8, 1.0, 1.15, 1.2, 0.85, 0.8, 0.75, 0.75, 0.9, 1.05, 1.3, 1.6),
    "Przekąski": (0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.2, 1.15, 0.95, 0.9, 0.9, 1.1),
    "Opakowania jednorazowe": (0.8, 0.8, 0.9, 1.0, 1.1, 1.25, 1.3, 1.25, 1.0, 0.9, 0.85, 0.9),
}


@dataclass
class Catalogue:
    ids: np.ndarray
    skus: list[str]
    names: list[str]
    line_names: list[str]
    product_line: np.ndarray  # index into line_names
    units: list[str]
    list_cents: np.ndarray
    cost_cents: np.ndarray
    line_offsets: np.ndarray  # products of line k are line_offsets[k]:line_offsets[k+1]
    line_season: np.ndarray  # (lines x 12) demand multipliers by calendar month

    @property
    def count(self) -> int:
        return len(self.ids)


def generate_catalogue(spec: DemoSpec, rng: np.random.Generator, size: int = 300) -> Catalogue:
    line_names = list(LINES)
    shares = rng.dirichlet(np.full(len(line_names), 8.0))
    counts = np.maximum(8, np.round(shares * size).astype(int))
    counts[-1] += size - counts.sum()
    skus, product_names, units, lines, list_cents, cost_cents = [], [], [], [], [], []
    for k, (code, unit, (low, high), (m_low, m_high), items) in enumerate(LINES.values()):
        for j in range(int(counts[k])):
            item = items[j % len(items)]
            variant = VARIANTS[(j // len(items)) % len(VARIANTS)]
            round_no = j // (len(items) * len(VARIANTS))
            label = f"{item} {variant}".strip() + (f" ({round_no + 1})" if round_no else "")
            price = np.exp(rng.uniform(np.log(low), np.log(high)))
            margin = rng.uniform(m_low, m_high)
            cents = int(round(price * 100))
            skus.append(f"{code}-{j + 1:04d}")
            product_names.append(label)
            units.append(unit)
            lines.append(k)
            list_cents.append(cents)
            cost_cents.append(int(round(cents * (1 - margin))))
    offset = spec.offset("product")
    return Catalogue(
        ids=np.arange(offset + 1, offset + size + 1, dtype=np.int64),
        skus=skus,
        names=product_names,
        line_names=line_names,
        product_line=np.array(lines),
        units=units,
        list_cents=np.array(list_cents, dtype=np.int64),
        cost_cents=np.array(cost_cents, dtype=np.int64),
        line_offsets=np.concatenate([[0], np.cumsum(counts)]),
        line_season=np.array([LINE_SEASON.get(line, (1.0,) * 12) for line in line_names]),
    )
