from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from members.forms import ProfileForm


def home(request):
    if not request.user.is_authenticated:
        return redirect("account_login")
    return render(request, "members/home.html")


@login_required
def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("account")
    return render(request, "members/account.html", {"form": form})
