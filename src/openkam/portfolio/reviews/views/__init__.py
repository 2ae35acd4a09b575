"""Pages of key-account reviews and the portfolio board."""

from openkam.portfolio.reviews.views.board import (
    board,
    board_export,
    board_reassign,
    board_rebalance,
)
from openkam.portfolio.reviews.views.reviews import (
    item_decide,
    review_accept_all,
    review_close,
    review_detail,
    review_export,
    review_list,
    review_recompute,
)

__all__ = [
    "board",
    "board_export",
    "board_reassign",
    "board_rebalance",
    "item_decide",
    "review_accept_all",
    "review_close",
    "review_detail",
    "review_export",
    "review_list",
    "review_recompute",
]
