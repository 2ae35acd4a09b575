"""JSON API for the stakeholder map (mounted at /api/stakeholders in openkam.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["stakeholders"])
