"""Plan pages: lists, the plan itself, its parts, print and PDF, templates."""
