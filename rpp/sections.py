"""Edit Profile's sections, wired one way: Two-Step Verification, Passkeys and Where You're Signed In.

Each area describes its section as a `Section`: the partial, and the context the partial needs for a login
session. Edit Profile asks every section for its context and includes every partial, so all three are there
without JavaScript; htmx (and passkeys.js, for Add a Passkey) only change a section in place. A change made
in a section answers the same way in each (`changed`): its notice is flashed under the section's name and
shown once by the section itself; htmx gets the section again, a plain POST goes back to Edit Profile at it.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, url_for
from flask_login import current_user

from .hypermedia import redirect_after_post, render, wants_fragment


@dataclass(frozen=True)
class Section:
    """One section of Edit Profile: on the page it is `<name>-panel`, its heading `<name>-title`."""
    name: str  # also the flash category of its notices
    partial: str
    context: Callable  # login session → what the partial needs
    page: str | None = None  # the section alone, for a refused form without JavaScript (None: nothing is refused)

    def show(self, status=200, **overrides):
        """The section (htmx) or its page, e.g. with a refused form in place of a blank one."""
        return render(self.page, self.partial, status=status,
                      **{**self.context(current_user.login_session), **overrides})

    def changed(self, notice):
        """After a change: the notice (once), then the section again (htmx) or Edit Profile at the section."""
        flash(notice, self.name)
        if wants_fragment():
            return self.show()
        return redirect_after_post(url_for("account.edit_profile") + f"#{self.name}-title")


def contexts(sections, login_session):
    """What Edit Profile needs to include every section's partial."""
    return {name: value for section in sections for name, value in section.context(login_session).items()}
