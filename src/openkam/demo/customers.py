"""The customer base: who buys, how much, how they grow or fade, how they pay.

Everything is drawn from one seeded numpy Generator, in a fixed order, so the same
seed gives the same customers. Revenue weights are lognormal: tuned so that the top
20% of customers bring about three quarters of three years' revenue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openkam.demo import names
from openkam.demo.spec import DemoSpec
from openkam.demo.tax_ids import polish_nips, russian_inns

# Trajectory codes (how a customer's buying changes over the three years).
STABLE, GROWING, DECLINING, CHURNED, NEW, RECENT_DROP = range(6)
# Payment behaviour codes.
PUNCTUAL, SLIGHTLY_LATE, CHRONIC_LATE, ERRATIC = range(4)

REVENUE_SIGMA = 1.33
AVERAGE_ANNUAL_REVENUE = 75_000.0  # PLN per customer and year
GROUPS_PER_ACCOUNT = 60 / 2000
RUSSIAN_SHARE = 0.01
TERMS_DAYS = np.array([14, 21, 30, 45, 60])


@dataclass
class Customers:
    ids: np.ndarray
    external_ids: list[str]
    names: list[str]
    legal_forms: list[str]
    tax_ids: list[str]
    countries: list[str]
    regions: list[str]
    cities: list[str]
    segments: list[str]
    industries: list[str]
    parent: np.ndarray  # index of the parent, -1 for none
    root: np.ndarray  # index of the group root (itself when stand-alone)
    annual_revenue: np.ndarray  # expected PLN per year at the start
    trajectory: np.ndarray
    change_rate: np.ndarray  # yearly growth (+) or decline (-)
    start_month: np.ndarray  # first month with purchases (index into spec.month_starts)
    end_month: np.ndarray  # last month with purchases
    payer: np.ndarray
    terms_days: np.ndarray
    discount: np.ndarray  # off list price, 0..0.12
    line_preference: np.ndarray  # (customers x product lines) probabilities, rows sum to 1

    @property
    def count(self) -> int:
        return len(self.ids)


def generate_customers(spec: DemoSpec, rng: np.random.Generator, line_affinity) -> Customers:
    n = spec.account_count
    segment_names = list(names.SEGMENTS)
    shares = np.array([names.SEGMENTS[s]["share"] for s in segment_names])
    segment = rng.choice(len(segment_names), size=n, p=shares / shares.sum())
    revenue = _annual_revenue(rng, n, segment, segment_names)
    parent, root = _groups(rng, revenue)
    # Capital groups are businesses, not public institutions; subsidiaries work in
    # their group's segment.
    is_root = np.zeros(n, dtype=bool)
    is_root[root[parent >= 0]] = True
    public = segment_names.index("Public sector")
    segment = np.where(is_root & (segment == public), segment_names.index("Wholesale"), segment)
    segment = np.where(parent >= 0, segment[root], segment)
    russian = _russian_flags(rng, n, parent)
    trajectory, rate, start, end = _trajectories(rng, revenue)
    payer = rng.choice(4, size=n, p=[0.63, 0.24, 0.08, 0.05])
    size_rank = np.argsort(np.argsort(-revenue)) / n  # 0 = largest
    terms = TERMS_DAYS[np.clip((rng.integers(0, 3, n) + (size_rank < 0.2) * 2), 0, 4)]
    discount = np.round(np.clip(0.12 * (1 - size_rank) + rng.normal(0, 0.015, n), 0, 0.12), 3)
    preference = _line_preferences(rng, segment, size_rank, line_affinity, segment_names)
    texts = _texts(rng, n, segment, segment_names, parent, root, russian)
    offset = spec.offset("account")
    return Customers(
        ids=np.arange(offset + 1, offset + n + 1, dtype=np.int64),
        external_ids=[f"K{i + 1:05d}" for i in range(n)],
        parent=parent,
        root=root,
        annual_revenue=revenue,
        trajectory=trajectory,
        change_rate=rate,
        start_month=start,
        end_month=end,
        payer=payer,
        terms_days=terms,
        discount=discount,
        line_preference=preference,
        **texts,
    )


def _annual_revenue(rng, n: int, segment: np.ndarray, segment_names: list[str]) -> np.ndarray:
    scale = {"Retail chains": 1.8, "Wholesale": 1.4, "HoReCa": 0.5, "Industry": 1.0}
    factor = np.array([scale.get(name, 0.7) for name in segment_names])[segment]
    # Clipped far out in the tail: no single customer may dwarf the whole company.
    raw = np.minimum(rng.lognormal(0.0, REVENUE_SIGMA, n), np.exp(3.2 * REVENUE_SIGMA)) * factor
    return raw / raw.mean() * AVERAGE_ANNUAL_REVENUE


def _groups(rng, revenue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """About 60 groups per 2,000 customers, each a big root with 2-6 subsidiaries;
    a third of the groups have a subsidiary with subsidiaries of its own."""
    n = len(revenue)
    parent = np.full(n, -1, dtype=np.int64)
    group_count = max(1, round(n * GROUPS_PER_ACCOUNT))
    by_size = np.argsort(-revenue, kind="stable")
    roots = rng.choice(by_size[: max(group_count * 3, 1)], size=group_count, replace=False)
    is_root = np.zeros(n, dtype=bool)
    is_root[roots] = True
    candidates = rng.permutation(np.flatnonzero(~is_root))
    cursor = 0
    for group_root in roots:
        size = int(rng.integers(2, 7))
        members = candidates[cursor : cursor + size]
        cursor += size
        if len(members) == 0:
            break
        parent[members] = group_root
        if len(members) >= 3 and rng.random() < 0.35:
            # Three levels: the last one or two hang under the first subsidiary.
            parent[members[-int(rng.integers(1, 3)) :]] = members[0]
    root = np.arange(n, dtype=np.int64)
    for _ in range(3):  # depth is at most three
        has_parent = parent[root] >= 0
        root = np.where(has_parent, parent[root], root)
    return parent, root


def _russian_flags(rng, n: int, parent: np.ndarray) -> np.ndarray:
    count = max(2, round(n * RUSSIAN_SHARE))
    in_group = np.zeros(n, dtype=bool)
    in_group[parent[parent >= 0]] = True
    in_group |= parent >= 0
    standalone = np.flatnonzero(~in_group)
    chosen = rng.choice(standalone, size=min(count, len(standalone)), replace=False)
    flags = np.zeros(n, dtype=bool)
    flags[chosen] = True
    return flags


def _trajectories(rng, revenue: np.ndarray):
    n = len(revenue)
    big = revenue >= np.quantile(revenue, 0.95)
    small_p = [0.46, 0.18, 0.13, 0.11, 0.09, 0.03]
    big_p = [0.52, 0.24, 0.12, 0.01, 0.03, 0.08]
    trajectory = np.where(
        big, rng.choice(6, size=n, p=big_p), rng.choice(6, size=n, p=small_p)
    ).astype(np.int8)
    rate = np.where(
        trajectory == GROWING,
        rng.uniform(0.12, 0.45, n),
        np.where(trajectory == DECLINING, -rng.uniform(0.12, 0.40, n), rng.normal(0, 0.03, n)),
    )
    start = np.where(trajectory == NEW, rng.integers(3, 31, n), 0)
    end = np.where(trajectory == CHURNED, rng.integers(6, 34, n), 10_000)
    return trajectory, rate, start, end


def _line_preferences(rng, segment, size_rank, line_affinity, segment_names) -> np.ndarray:
    """Which product lines a customer buys: segment affinity times a personal taste;
    smaller customers buy fewer lines, which leaves whitespace to sell into."""
    affinity = np.array([line_affinity[name] for name in segment_names])[segment]
    taste = rng.gamma(shape=0.8, scale=1.0, size=affinity.shape)
    weights = affinity * taste
    keep = np.clip(np.round(10 - 7 * size_rank + rng.normal(0, 1, len(segment))), 2, 12)
    order = np.argsort(-weights, axis=1)
    ranks = np.argsort(order, axis=1)
    weights = np.where(ranks < keep[:, None], weights, 0.0) + 1e-12
    return weights / weights.sum(axis=1, keepdims=True)


def _texts(rng, n, segment, segment_names, parent, root, russian) -> dict[str, list[str]]:
    city_names = [c[0] for c in names.CITIES]
    city_weights = np.array([c[2] for c in names.CITIES])
    city = rng.choice(len(city_names), size=n, p=city_weights / city_weights.sum())
    nips = iter(polish_nips(rng, n))
    inns = iter(russian_inns(rng, int(russian.sum())))
    brands = _brands(rng, n)
    has_children = np.zeros(n, dtype=bool)
    has_children[parent[parent >= 0]] = True
    out: dict[str, list[str]] = {
        k: []
        for k in (
            "names",
            "legal_forms",
            "tax_ids",
            "countries",
            "regions",
            "cities",
            "segments",
            "industries",
        )
    }
    taken: set[str] = set()
    for i in range(n):
        seg = names.SEGMENTS[segment_names[segment[i]]]
        out["segments"].append(segment_names[segment[i]])
        out["industries"].append(str(rng.choice(seg["industries"])))
        if russian[i]:
            ru_city, ru_region = names.RUSSIAN_CITIES[int(rng.integers(len(names.RUSSIAN_CITIES)))]
            word = names.RUSSIAN_NAME_WORDS[int(rng.integers(len(names.RUSSIAN_NAME_WORDS)))]
            out["names"].append(_unique(f'ООО "{word}"', ru_city, taken))
            out["legal_forms"].append("ООО")
            out["tax_ids"].append(next(inns))
            out["countries"].append("RU")
            out["regions"].append(ru_region)
            out["cities"].append(ru_city)
            next(nips)  # keep the NIP stream aligned whatever the flags
            continue
        in_group = parent[i] >= 0 or has_children[i]
        name, form = _company_name(
            rng,
            i,
            seg,
            brands[root[i]] if in_group else brands[i],
            parent[i] >= 0 if in_group else None,
            city_names[city[i]],
        )
        out["names"].append(_unique(display_name(name, form), city_names[city[i]], taken))
        out["legal_forms"].append(form)
        out["tax_ids"].append(next(nips))
        out["countries"].append("PL")
        out["regions"].append(names.CITIES[city[i]][1])
        out["cities"].append(city_names[city[i]])
    return out


def _unique(name: str, city: str, taken: set[str]) -> str:
    """Two customers never share a name (a KAM must tell them apart): add the city, then
    a branch number."""
    candidate = name
    if candidate in taken:
        candidate = f"{name} ({city})"
    number = 2
    while candidate in taken:
        candidate = f"{name} ({city} {number})"
        number += 1
    taken.add(candidate)
    return candidate


def _brands(rng, n: int) -> list[str]:
    heads = rng.integers(0, len(names.NAME_HEADS), n)
    tails = rng.integers(0, len(names.NAME_TAILS), n)
    return [names.NAME_HEADS[h] + names.NAME_TAILS[t] for h, t in zip(heads, tails, strict=True)]


def _company_name(rng, i, seg, brand, is_subsidiary, city) -> tuple[str, str]:
    """(name, legal form). `is_subsidiary` is None for a customer outside any group."""
    forms, weights = zip(*seg["forms"], strict=True)
    form = str(rng.choice(forms, p=np.array(weights) / sum(weights)))
    style = rng.random()
    if is_subsidiary is not None:
        if not is_subsidiary:
            return f"Grupa {brand}", "S.A."
        suffix = names.GROUP_SUFFIXES[int(rng.integers(len(names.GROUP_SUFFIXES)))]
        return f"{brand} {suffix} {city}", "Sp. z o.o."
    prefix = str(rng.choice(seg["prefixes"]))
    if not form and "Hospitals" in seg["industries"]:
        number = int(rng.integers(1, 15))
        where = names.in_city(city)
        return (f"{prefix} nr {number} {where}" if "Szkół" in prefix else f"{prefix} {where}"), ""
    if prefix in {"Hotel", "Restauracja", "Bistro", "Kawiarnia", "Pensjonat"} and style < 0.6:
        place = names.HORECA_NAMES[int(rng.integers(len(names.HORECA_NAMES)))]
        return f'{prefix} "{place}" {city}', form
    if style < 0.35:
        surname = names.SURNAMES[int(rng.integers(len(names.SURNAMES)))]
        if form == "sp.j.":
            other = names.SURNAMES[int(rng.integers(len(names.SURNAMES)))]
            return f"{prefix} {surname} i {other}", form
        return f"{prefix} {surname}", form
    if style < 0.55:
        place = names.PLACE_WORDS[int(rng.integers(len(names.PLACE_WORDS)))]
        return f"{prefix} {place}", form
    return (f"{brand} {prefix}" if style < 0.75 else f"{prefix} {brand}"), form


def display_name(name: str, legal_form: str) -> str:
    """The name as stored: with the legal form, the way invoices print it."""
    if not legal_form or legal_form == "ООО":
        return name
    return f"{name} {legal_form}"
