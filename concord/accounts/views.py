"""Sign-in pages: the password (Django's LoginView), then the second factor when the
role requires one: the code page, or the enrolment page for a user without an
authenticator yet. Each page is one service call and a response."""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_otp import login as otp_login

from concord.accounts import access, two_factor
from concord.accounts import selectors as account_selectors


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: a local ``next``, else what waits for me."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


class SignInView(auth_views.LoginView):
    """The password step. A role that needs a second factor goes on to it, carrying
    ``next``; the session is not verified until then (SecondFactorMiddleware)."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if access.requires_second_factor(self.request.user):
            return f"{reverse('accounts:second_factor')}?{urlencode({'next': url})}"
        return url


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.requires_second_factor(user) or access.has_second_factor(user):
        return HttpResponseRedirect(_next(request))
    if not two_factor.is_enrolled(user):  # type: ignore[arg-type]
        return HttpResponseRedirect(
            f"{reverse('accounts:enrol')}?{urlencode({'next': _next(request)})}"
        )
    error = ""
    if request.method == "POST":
        check = two_factor.code_check(user=user, code=request.POST.get("code", ""))  # type: ignore[arg-type]
        if check.device is not None:
            otp_login(request, check.device)
            if check.recovery_left is not None:
                from django.contrib import messages

                messages.warning(
                    request,
                    _("Recovery code used; %(left)s left. Each code works once.")
                    % {"left": check.recovery_left},
                )
            return HttpResponseRedirect(_next(request))
        elif check.wait_seconds:
            error = _("Too many wrong codes. Try again in %(seconds)s seconds.") % {
                "seconds": check.wait_seconds
            }
        else:
            error = _("That code is not right, or was already used. Try the current code.")
    return render(
        request,
        "accounts/second_factor.html",
        {"next": _next(request), "error": error},
        status=400 if error else 200,
    )


def _qr_data_uri(text: str) -> str:
    """The otpauth URI as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.requires_second_factor(user) or access.has_second_factor(user):
        return HttpResponseRedirect(_next(request))
    if two_factor.is_enrolled(user):  # type: ignore[arg-type]
        # Replacing an authenticator needs the old one (or a reset by an operator).
        return _to("accounts:second_factor", request)
    error = ""
    if request.method == "POST":
        done = two_factor.enrolment_confirm(user=user, code=request.POST.get("code", ""))  # type: ignore[arg-type]
        if done is not None:
            device, codes = done
            otp_login(request, device)
            # Shown once, in this response only: nothing stores them in clear.
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        error = _("That code is not right. Type the six digits your app shows now.")
    device = two_factor.enrolment_start(user=user)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/enrol.html",
        {
            "next": _next(request),
            "error": error,
            "secret": two_factor.secret_of(device),
            "uri": device.config_url,
            "qr": _qr_data_uri(device.config_url),
        },
        status=400 if error else 200,
    )


@require_safe
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, each revocable (the same service as the API)."""
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": list(account_selectors.tokens_of(request.user)[:100])},
    )


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    from django.contrib import messages
    from django.http import Http404, HttpResponseNotAllowed

    from concord.accounts import services
    from concord.common.errors import NotFound

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.token_revoke(actor=request.user, token_id=token_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, _("Token %(id)s revoked; it no longer signs in.") % {"id": token_id})
    return HttpResponseRedirect(reverse("accounts:tokens"))
