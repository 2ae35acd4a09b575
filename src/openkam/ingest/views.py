from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def upload(request):
    return render(request, "web/home.html")
