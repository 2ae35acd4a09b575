"""Key-account reviews and the portfolio board, mounted under /portfolio/."""

from django.urls import path, re_path

from openkam.portfolio.reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.review_list, name="list"),
    path("reviews/recompute/", views.review_recompute, name="recompute"),
    path("reviews/<id:pk>/", views.review_detail, name="detail"),
    path("reviews/<id:pk>/items/<id:item_pk>/decide/", views.item_decide, name="decide"),
    path("reviews/<id:pk>/accept-all/", views.review_accept_all, name="accept_all"),
    path("reviews/<id:pk>/close/", views.review_close, name="close"),
    re_path(r"^reviews/(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$", views.review_export, name="export"),
    path("board/", views.board, name="board"),
    path("board/reassign/", views.board_reassign, name="reassign"),
    path("board/rebalance/", views.board_rebalance, name="rebalance"),
    re_path(r"^board/export\.(?P<fmt>csv|xlsx)$", views.board_export, name="board_export"),
]
