"""The demo company behind `kam demo`: a seeded, believable Polish distributor.

A wholesaler of food, beverages, hygiene and HoReCa supplies, invoicing in PLN:

- about 2,000 customers (lines / 150 at larger scales) in five segments (retail chains,
  wholesale, HoReCa, industry, public sector) across Polish cities, plus a few Russian
  ones (INN, Cyrillic names); revenue is lognormal, so the top fifth brings ~78%;
- ~60 capital groups ("Grupa X S.A." with 2-6 subsidiaries, some three levels deep);
- 300 products in 12 product lines with list prices, costs (margins 10-40%), a season
  per line and a 4.5% price rise every January; smaller customers buy fewer lines,
  which leaves whitespace to sell into;
- three years of sales up to today (36 full months and the current one): a company
  season (Q4 peak, August dip), customers growing, stable, declining, dropping
  recently (-40% in the last four months), churned, or new; correction invoices
  (KOR/...) return part of a delivery as negative lines with a reason (~1.5% of lines);
- payments: punctual, slightly late, chronically late (30-90 days) and erratic payers,
  part payments, unpaid overdue invoices of late payers in the last half year;
- people (password "demo"): head Anna Kowalska, 8 KAMs (2 senior, 4 KAM, 2 junior with
  a senior; Olga and Dmitrij speak Russian), finance, viewer, admin; 20 strategic and
  60 key accounts chosen by the head with reasons (history rows, two demoted), owners
  balanced by revenue, support and junior roles, regional territories for the rest,
  one deputy standing in this week and one in the past; 2-6 contacts per key account;
- after scoring and last quarter's review, the key accounts' workspace (`workspace`):
  buying centres with roles, attitudes and links, competitors, this year's plans and a
  year of activities up to today with the next three weeks planned.

Modules: `spec` (sizes, seed, calendar), `names` (word lists), `tax_ids`, `customers`,
`catalogue`, `sales`, `payments`, `staff` (users, in the database), `people`
(portfolios), `contacts`, `history` (audit entries), `rows` (everything as database
rows, pure), `writer` (COPY / executemany; indexes and keys are set aside during the bulk load by
`openkam.ingest.importers.set_aside`), `build` (orchestration), `reset` (remove the demo from a database),
`workspace` (the key accounts' plans, people and activities).
"""
