"""JSON API for activities (mounted in openkam.api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["activities"])
