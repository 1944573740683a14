"""Login (e-mail + password, remember-me) and logout (POST only)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from collab.auth import services
from collab.auth.forms import LoginForm, PasswordChangeForm, ProfileForm
from collab.core.forms import apply_errors
from collab.errors import ValidationFailed
from collab.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def _load_user(session_id: str):
    return services.load_user_from_id(session_id)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (no scheme, no host), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _account_key() -> str:
    """Rate-limit key of a sign-in attempt: the e-mail address tried (lower case)."""
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 422,
)
def login():
    """Show and handle the login form; 422 with the message on bad credentials."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data.strip(), form.password.data)
        if user is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session on login (no fixation)
            if lang:
                session["lang"] = lang
            login_user(user, remember=form.remember.data)
            services.record_login(user)
            db.session.commit()
            flash(_("Selamat datang, %(name)s", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("dashboard.index"))
        services.record_failed_login(form.email.data.strip(), request.remote_addr)
        db.session.commit()
        form.password.errors.append(_("Email atau kata sandi salah, atau akun tidak aktif."))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """End the session and the remember-me cookie. The user's session token is rotated, so a
    copied session or remember-me cookie no longer works (this signs out every device)."""
    services.end_sessions(current_user)
    db.session.commit()
    lang = session.get("lang")
    session.clear()
    logout_user()  # after clear(): it leaves the marker that deletes the remember-me cookie
    if lang:
        session["lang"] = lang
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's profile: display language and time zone. Saving a language also
    drops a ``?lang=`` choice kept in the session, so the profile's language applies."""
    form = ProfileForm(
        data={"locale": current_user.locale, "timezone": current_user.timezone or ""},
        org_zone=current_user.org.timezone,
    )
    if request.method == "POST":
        form = ProfileForm(org_zone=current_user.org.timezone)
        if form.validate():
            try:
                changed = services.update_profile(
                    current_user, locale=form.locale.data, timezone=form.timezone.data or None
                )
            except ValidationFailed as exc:
                apply_errors(form, exc.errors)
            else:
                db.session.commit()
                session.pop("lang", None)
                with force_locale(current_user.locale):
                    if changed:
                        flash(_("Profil disimpan."), "success")
                    else:
                        flash(_("Tidak ada yang berubah."), "info")
                return redirect(url_for(".account"))
        return render_template(
            "auth/account.html", form=form, password_form=PasswordChangeForm()
        ), 422
    return render_template("auth/account.html", form=form, password_form=PasswordChangeForm())


@bp.post("/account/password")
@login_required
def change_password():
    """Change one's own password. Every other session of the user ends (token rotation); this
    one continues, signed in again under the new token, remember-me kept if it was set."""
    password_form = PasswordChangeForm()
    if password_form.validate():
        try:
            services.change_password(
                current_user,
                current=password_form.current_password.data,
                new=password_form.new_password.data,
                confirm=password_form.confirm_password.data,
            )
        except ValidationFailed as exc:
            apply_errors(password_form, exc.errors)
        else:
            db.session.commit()
            user = current_user._get_current_object()  # the object, not the proxy
            login_user(user, remember=bool(request.cookies.get("remember_token")))
            flash(_("Kata sandi diganti. Sesi di perangkat lain telah diakhiri."), "success")
            return redirect(url_for(".account"))
    form = ProfileForm(
        data={"locale": current_user.locale, "timezone": current_user.timezone or ""},
        org_zone=current_user.org.timezone,
    )
    return render_template("auth/account.html", form=form, password_form=password_form), 422
