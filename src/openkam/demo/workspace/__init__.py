"""The demo company's account workspace, built after its key accounts are decided, scored
and reviewed: stakeholder maps with roles, attitudes (with history) and links; competitors
at the key accounts; this year's account plans from segment templates, with objectives on
last year's ledger figures, actions, risks and reviews; and a year of meetings, visits,
calls, e-mails, tasks and notes up to today, with the next three weeks planned and a few
deliberate coverage gaps.

Modules: `facts` (what is read from the built demo), `texts` (words), `stakeholders`,
`competitors`, `plans`, `activities` (pure generators), `build` (ids, writing, removal).
"""
