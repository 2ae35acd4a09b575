"""The demo company: a seeded, believable Polish distributor for `kam demo`."""
