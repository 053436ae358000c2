"""Every sentence the portal shows, by name, in the guide's words: templates, services, forms and tests
name a message by its key, so a wording (or a translation) changes in one place.

The English sentences are the msgids of the translations (rpp/translations/, Flask-Babel): each is marked
with `N_()` so `pybabel extract` puts it in messages.pot, and `text()`/`markup()` translate it into the
page's language (or the e-mail's, rpp.languages.for_account) before filling it in. What is defined at import
time (a form's label or rule) takes `lazy_text()`, translated when it is shown. The console's messages
(staff., roster., two_step.staff.) are not marked: the console is English only.

A message may name a number that comes from the settings or the states (`{lockout_threshold}`,
`{state_count}`), written as the guide writes it ("three"), and links as `[words](endpoint)`:
`text()` gives the plain sentence (the link's words), `markup()` the HTML with the links.
"""
import re
import string
from collections.abc import Mapping

from flask import current_app, g, has_app_context, url_for
from flask_babel import LazyString, get_translations
from jinja2 import pass_context
from markupsafe import Markup, escape

from .settings import DEFAULTS
from .states import STATES, Dated

CATALOGUE = "rpp_catalogue"  # the request's translations, kept in `g` (rpp.languages.for_account resets it)


def gettext(message):
    """`message` in the current language (unchanged outside an app): Flask-Babel's get_translations(), looked up
    once per request rather than for each of the fifty-odd sentences of a page."""
    return catalogue().ugettext(message) if has_app_context() else message


@pass_context
def translate(context, message):
    """Templates' `_("a phrase")` (rpp.languages.PhrasesAsFilters): the phrase in the current language. It takes
    the template's context only so that Jinja never folds a constant phrase into the compiled template (it
    would then stay in the language of the request that compiled it)."""
    return catalogue().ugettext(message)


def ngettext(singular, plural, count):
    """The singular or plural `message` for `count`, in the current language (templates' {% pluralize %})."""
    return catalogue().ungettext(singular, plural, count)


def catalogue():
    """The current language's translations, kept for the rest of the request."""
    found = g.get(CATALOGUE)
    if found is None:
        found = g.setdefault(CATALOGUE, get_translations())
    return found


def N_(message):
    """Marks a msgid for `pybabel extract -k N_` where it is defined; text() translates it where it is used."""
    return message


MESSAGES = {
    # Please Sign-In (the guide's wording; the count comes from LOCKOUT_THRESHOLD).
    "sign_in.mismatch": N_("We’re sorry, this Username/Password combination does not match your account information – "
                           "please try again. After {lockout_threshold} attempts, your account will be temporarily "
                           "locked for your protection. Please click [Forgot Username](recovery.forgot_user_name) "
                           "and/or [Reset Password](recovery.reset_password) for help."),
    "sign_in.locked": N_("We’re sorry, your account is now temporarily locked as a security precaution due to "
                         "{lockout_threshold} unsuccessful login attempts. Please click "
                         "[Forgot Username](recovery.forgot_user_name) and/or "
                         "[Reset Password](recovery.reset_password) for help."),
    "sign_in.not_activated": N_("Your registration has not been activated yet. You will receive an e-mail confirming "
                                "your activation within 1 business day of registering; you can log in once it arrives. "
                                "If it has not arrived within two business days, please "
                                "[contact Producer Services](pages.contact_us)."),
    # Signing in when a state registration was rejected or revoked (with Producer Services' reason),
    # and the offer to register again with the same User Name.
    "sign_in.not_activated_closed": N_("Your registration was not activated, so you cannot log in yet."),
    "sign_in.closed.rejected": N_("{state}: not activated. Producer Services gave this reason: {reason}"),
    "sign_in.closed.revoked": N_("{state}: no longer active. Producer Services gave this reason: {reason}"),
    "sign_in.closed.contact": N_("If you have any questions, please contact {state} Producer Services toll free "
                                 "at {number}."),
    "sign_in.register_again": N_("Once you have checked your information (your Agent Unique ID especially), you "
                                 "can register again with this User Name. You will receive an e-mail confirming "
                                 "your activation within 1 business day of registering."),
    "sign_in.verification_expired": N_("For your protection, the Verification Code step ends after a few minutes. "
                                       "Please log in again."),
    # A session unused for SESSION_IDLE_MINUTES (staff: STAFF_SESSION_IDLE_MINUTES) ended (rpp.idle).
    "sign_in.idle": N_("You were logged out after {idle_minutes} minutes without activity."),
    "staff.sign_in.idle": "You were logged out after {staff_idle_minutes} minutes without activity.",
    # The warning before that end (with JavaScript), and its button.
    "idle.warning": N_("For your security, you will be logged out soon because there has been no activity. "
                       "Select Stay signed in to keep working."),
    "idle.stay": N_("Stay signed in"),
    "idle.ended": N_("You were logged out because there was no activity. Please log in again."),
    "idle.extended": N_("You are still signed in."),
    # The Verification Code step's time limit (rpp/signin.py), said on its page and before it ends.
    # Turn Off Two-Step Verification, done (Edit Profile).
    # Update Profile done (Edit Profile); a new password saved (a producer's Update Password, a staff user's).
    "account.profile_updated": N_("Your profile has been updated."),
    "password.updated": N_("Your password has been updated."),
    "two_step.turned_off": N_("Two-step verification is now off."),
    "two_step.time_limit": N_("Enter the code within {minutes} minutes."),
    "two_step.time_warning": N_("The Verification Code step ends in less than a minute. Select More time if you "
                                "need longer."),
    "two_step.time_warning_last": N_("The Verification Code step ends in less than a minute."),
    "two_step.more_time": N_("More time"),
    # After either locked message (producers and staff): a lock lifts by itself LOCKOUT_MINUTES after it began
    # (rpp.lockout: attempts while locked do not extend it), so this is true at every refused attempt.
    "sign_in.lock_lifts": N_("Your account unlocks by itself within {lockout_minutes} minutes; you can then log in "
                             "again."),
    # Flask-Login's note when a signed-out visitor opens a page that needs a sign-in.
    "sign_in.required": N_("Please log in to see that page."),
    "sign_in.select_a_state": N_("Please select a state."),

    # Field rules (SPEC §4), shared by every form that has the field.
    "field.required.first_name": N_("Please enter your First Name."),
    "field.required.last_name": N_("Please enter your Last Name."),
    "field.required.user_name": N_("Please enter a User Name."),
    "field.required.sign_in_user_name": N_("Please enter your User Name."),
    "field.required.password": N_("Please enter your Password."),
    "field.required.password_again": N_("Please enter your Password again."),
    "field.required.current_password": N_("Please enter your Current Password."),
    "field.required.new_password": N_("Please enter your New Password."),
    "field.required.new_password_again": N_("Please enter your New Password again."),
    "field.required.address_1": N_("Please enter your Address 1."),
    "field.required.city": N_("Please enter your City."),
    "field.required.zip_code": N_("Please enter your Zip Code."),
    "field.required.phone": N_("Please enter your Phone."),
    "field.required.email": N_("Please enter your E-mail Address."),
    "field.required.agent_id": N_("Please enter your Agent Unique ID."),
    "field.required.verification_code": N_("Please enter the Verification Code."),
    "field.too_long": N_("{label} must be {maximum} characters or fewer."),
    "field.printable": N_("{label} may contain only printable characters: no tabs, line breaks or invisible "
                          "characters."),
    "field.person_name": N_("{label} may contain only letters, spaces, apostrophes ('), hyphens (-) and periods (.)."),
    # The password rule, one whole sentence per field: "password" (Password) or "new_password" (New Password).
    "field.password.password": N_("Password must be 6 to 9 characters, letters and/or numbers only "
                                  "(no special characters)."),
    "field.password.new_password": N_("New Password must be 6 to 9 characters, letters and/or numbers only "
                                      "(no special characters)."),
    "field.user_name": N_("User Name must be 3 to 30 characters: letters, numbers, periods (.), underscores (_) "
                          "or hyphens (-)."),
    "field.agent_id": N_("Agent Unique ID must be exactly 9 digits."),
    "field.zip_code": N_("Zip Code must be 5 digits or ZIP+4, for example 60601 or 60601-1234."),
    "field.phone": N_("Phone must be a 10-digit US number, for example (815) 555-1212."),
    "field.email": N_("E-mail Address must be a valid e-mail address, for example name@example.com."),
    "field.address_state": N_("Please choose the State of your address."),
    "user_name.help": N_("The User Name must be 3 to 30 characters: letters, numbers, periods (.), underscores (_) "
                         "and/or hyphens (-), no spaces. Letters can be lower case, upper case or a mix of both."),
    # The error summary names the state of a per-state field's error.
    "summary.in_state": N_("{state}: {error}"),
    "password.help": N_("The password must be six to nine characters: letters and/or numbers only, no special "
                        "characters. Letters can be lower case, upper case or a mix of both."),

    # Register for the Portal and Register for Another State.
    "registration.select_a_state": N_("Please select at least one Blue Cross and Blue Shield (BCBS) state"),
    "registration.confirm_password": N_("Confirm Password must match Password."),
    "registration.password_again": N_("Please type your Password and Confirm Password again: for your security "
                                      "they are not kept when you select Edit."),
    "registration.user_name_taken": N_("This User Name is already taken. Please choose another User Name."),
    "registration.already_submitted": N_("This registration has already been submitted."),
    "registration.agent_id_help": N_("Please enter the 9 digit identification number you were provided at the "
                                     "time of licensing by Producer Administration."),
    "registration.agent_id_registered": N_("This Agent Unique ID is already registered for {state}. "
                                           "Please do NOT register more than one time."),
    "registration.agent_id_not_on_roster": N_("This Agent Unique ID is not on the {state} roster. Please check the "
                                              "nine-digit number in your \"Welcome\" e-mail."),
    "registration.all_states_registered": N_("You have registered for all {state_count} BCBS states ({states}), so "
                                             "there is no other state to register for. A registration that is still "
                                             "pending is activated by Producer Services."),

    # Change Your Password.
    "password.wrong_current": N_("Your Current Password is not correct. Please enter the password you log in with "
                                 "(or the temporary password from your e-mail)."),
    "password.same_as_current": N_("New Password must be different from your Current Password."),
    "password.confirm_new": N_("Confirm New Password must match New Password."),

    # Forgot User Name? and Reset Password?
    "recovery.agent_id_help": N_("Your nine-digit producer number, included in your \"Welcome\" e-mail after "
                                 "you completed contracting/onboarding."),
    "two_step.qr_code": N_("QR code for your authenticator app"),
    "two_step.code_help": N_("Enter the 6-digit code your authenticator app shows, or one of your recovery codes."),
    "two_step.set_up_code_help": N_("Enter the 6-digit code your authenticator app shows for the Retail Producer "
                                    "Portal."),
    "two_step.wrong_code": N_("That Verification Code is not correct. Please enter the 6-digit code your app shows "
                              "now."),
    "two_step.wrong_code_or_recovery": N_("That Verification Code is not correct. Please enter the 6-digit code your "
                                          "app shows now, or one of your recovery codes."),

    # Forgot User Name? and Reset Password? (continued)
    "recovery.email_or_agent_id": N_("Please enter your E-mail Address or your Agent Unique ID."),

    # E-mail subjects (the bodies are templates/email/).
    "email.activation": N_("Retail Producer Portal Registration Activation"),
    "email.rejection": N_("Retail Producer Portal Registration Not Activated"),
    "email.email_changed": N_("Retail Producer Portal E-mail Address Changed"),
    "email.user_name": N_("Retail Producer Portal User Name"),
    "email.temporary_password": N_("Retail Producer Portal Password Reset"),
    "email.revocation": N_("Retail Producer Portal Registration Revoked"),
    "email.password_changed": N_("Retail Producer Portal Password Changed"),
    "email.new_browser": N_("Retail Producer Portal Sign-In From a New Browser"),
    "email.recovery_code_used": N_("Retail Producer Portal Recovery Code Used"),
    "email.passkey_added": N_("Retail Producer Portal Passkey Added"),
    "email.two_step_turned_on": N_("Retail Producer Portal Two-Step Verification Turned On"),
    "email.two_step_turned_off": N_("Retail Producer Portal Two-Step Verification Turned Off"),

    # Register for the Portal's and Register for Another State's titles and "Back" links.
    "registration.title": N_("Registration"),
    "registration.back_to_login": N_("Back to Login Page"),
    "registration.another_state": N_("Register for Another State"),
    "registration.register_for": N_("Register for {state}"),
    "registration.same_details_as": N_("Same details as {state}"),
    "registration.same_details_as_first": N_("Same details as the first state selected"),
    "registration.same_details_help": N_("Copies the first selected state’s Company Name, address, Phone and "
                                         "E-mail Address into this state’s fields, which you can still change. "
                                         "The Agent Unique ID is this state’s own."),
    "registration.register_again": N_("Register Again"),
    "registration.back_to_profile": N_("Back to Profile Page"),

    # Edit Profile: where this account is signed in, and its passkeys.
    "login_sessions.signed_out": N_("That browser is now signed out."),
    "login_sessions.signed_out_everywhere_else": N_("Every other browser is now signed out."),
    "login_sessions.nowhere_else": N_("You are not signed in anywhere else."),
    "passkeys.name_rule": N_("Please enter a Passkey Name of 50 characters or fewer, for example “Work laptop”."),
    "passkeys.not_added": N_("The passkey was not added. Please try again."),
    "passkeys.not_signed_in": N_("We could not sign you in with that passkey. Please try again, or log in with "
                                 "your password."),
    # What passkeys.js says when the browser's passkey prompt fails on the sign-in page.
    "passkeys.sign_in_failed": N_("We could not sign you in with a passkey. Please log in with your password."),
    "passkeys.added": N_("Your passkey “{name}” was added."),
    "passkeys.removed": N_("The passkey was removed."),
    "passkeys.name_help": N_("For example “Work laptop” or “My phone”."),
    "passkeys.confirm_help": N_("To add or remove a passkey, enter your Current Password."),
    "passkeys.after_recovery": N_("If you did not add one of these passkeys yourself, remove it: it signs in without "
                                  "your password."),

    # The temporary-password e-mail's steps: what the portal does after a temporary-password sign-in.
    # Reset Password's confirmation page and e-mail: how long the temporary password works (rpp.auth.service.complete).
    "temporary_password.until_changed": N_("The temporary password is case sensitive and works for "
                                           "{temporary_password_hours} hours, or until you change your password: each "
                                           "time you log in with it, the Change Password page opens. Once you have "
                                           "logged in with it, your old password no longer works; once you have "
                                           "changed your password, only the new one does."),
    "temporary_password.step.sign_in": N_("Enter your User Name and the temporary password above on the Login page."),
    "temporary_password.step.verify": N_("Enter the Verification Code your authenticator app shows, then click "
                                         "Verify."),
    "temporary_password.step.change_password": N_("The Change Password page opens right after you log in. Enter the "
                                                  "temporary password above as the \"Current Password\"."),
    "temporary_password.step.new_password": N_("Enter a New Password – use a combination of 6-9 letters and numbers."),
    "temporary_password.step.confirm": N_("Confirm New Password by entering a second time."),
    "temporary_password.step.update": N_("Click Update Password to finish."),

    # Recent activity on Edit Profile: what each security event means to the producer.
    "activity.login": N_("Logged in"),
    "activity.logout": N_("Logged out"),
    "activity.login failed": N_("Unsuccessful login (wrong password)"),
    "activity.account locked": N_("Account temporarily locked after unsuccessful logins"),
    "activity.login refused: account locked": N_("Login refused: account temporarily locked"),
    "activity.login refused: not yet activated": N_("Login refused: registration not yet activated"),
    "activity.account unlocked": N_("Account unlocked"),
    "activity.temporary password used": N_("Logged in with a temporary password"),
    "activity.password changed": N_("Password changed"),
    "activity.password change refused": N_("Password change refused: wrong current password"),
    "activity.profile changed": N_("Profile updated"),
    "activity.profile change refused": N_("Profile change refused: wrong current password"),
    "activity.passkey change refused": N_("Passkey change refused: wrong current password"),
    "activity.signed out everywhere by staff": N_("Signed out of every browser by Producer Services"),
    "activity.e-mail address changed": N_("E-mail Address changed"),
    "activity.registration submitted": N_("Registration submitted"),
    "activity.registration activated": N_("Registration activated"),
    "activity.registration rejected": N_("Registration not activated"),
    "activity.two-step turned on": N_("Two-step verification turned on"),
    "activity.two-step turned off": N_("Two-step verification turned off"),
    "activity.two-step change refused": N_("Two-step change refused: wrong current password or code"),
    "activity.recovery codes replaced": N_("New recovery codes made (the old ones no longer work)"),
    "activity.recovery code used": N_("Logged in with a recovery code"),
    "activity.verification code wrong": N_("Unsuccessful login (wrong verification code)"),
    "activity.signed out another session": N_("Signed out another browser"),
    "activity.signed out everywhere else": N_("Signed out every other browser"),
    "activity.login with a passkey": N_("Login with a passkey"),
    "activity.passkey added": N_("Passkey added"),
    "activity.passkey removed": N_("Passkey removed"),
    "activity.password reset requested": N_("Password reset requested"),
    "activity.user name recovery requested": N_("User name recovery requested"),
    "activity.registration revoked": N_("Registration revoked"),
    "activity.sessions ended": N_("Sessions ended"),
    "activity.two-step reset by Producer Services": N_("Two-step verification reset by Producer Services"),
    "activity.e-mail queued again": N_("E-mail queued again"),
    # The detail of an unsuccessful login (rpp.judge stores "attempt 2 of 3").
    "activity.attempt": N_("attempt {attempt} of {threshold}"),

    # Two-step verification: the words that differ between producers and staff (rpp.twostep.pages).
    "two_step.required": N_("The Retail Producer Portal requires two-step verification. Please set it up before "
                            "you continue."),
    "two_step.lost_phone": N_("Lost your phone and your recovery codes? Please [contact Producer "
                              "Services](pages.contact_us)."),
    "two_step.staff.required": "Every Producer Services staff user signs in with two-step verification. Please "
                               "set it up before you use the console.",
    "two_step.staff.continue": "Continue to the Console",
    "two_step.staff.lost_phone": "Lost your phone and your recovery codes? Please ask a console administrator to "
                                 "reset your two-step verification.",
    "two_step.staff.reset": "Two-step verification reset for {user_name}: they set it up again at their next "
                            "sign-in.",
    "two_step.staff.not_set_up": "{user_name} has no two-step verification to reset.",

    # The Producer Services console.
    "staff.sign_in.mismatch": "This User Name/Password combination does not match a staff account – please try "
                              "again. After {lockout_threshold_number} attempts the account will be temporarily "
                              "locked.",
    "staff.sign_in.locked": "This staff account is temporarily locked after {lockout_threshold_number} unsuccessful "
                            "login attempts.",

    "staff.activated": "Activated {user_name} in {state}; e-mail queued for {email}.",
    "staff.rejected": "Rejected {user_name} in {state}; e-mail queued for {email}.",
    "staff.unlocked": "Unlocked {user_name}.",
    "staff.user_disabled": "{user_name} disabled.",
    "staff.revoked": "Revoked {user_name} in {state}; e-mail queued for {email}. Agent ID {agent_id} is free to "
                     "register again.",
    "staff.two_step_reset_producer": "Two-step verification reset for {user_name}; an e-mail tells them.",
    "staff.reset_two_step_reason": "Please enter why two-step verification is being reset (for example, how "
                                   "the producer proved who they are).",
    "staff.reset_two_step_help": "For example: lost phone and recovery codes; identity checked by phone call.",
    "staff.signed_out_everywhere": "Every session of {user_name} has ended; they must log in again.",
    "staff.roster_applied": "Roster imported: {added} added, {updated} updated, {unchanged} unchanged, "
                            "{removed} removed.",
    "staff.roster_preview_gone": "That roster file has already been applied, or its preview expired. Please "
                                 "upload it again.",
    "staff.user_enabled": "{user_name} enabled.",
    "staff.no_account": "No account with the user name {user_name!r}.",
    "staff.no_pending": "{user_name} has no pending registration.",
    "staff.no_pending_in_state": "{user_name} has no pending registration in {state}.",
    "staff.reason_required": "A reason is required to reject a registration.",
    "staff.revoke_reason_required": "A reason is required to revoke a registration.",
    "staff.not_activated": "{user_name} in {states} could not be activated; nothing was sent for them. "
                           "Please try again.",
    "staff.not_rejected": "{user_name} in {state} could not be rejected. Please try again.",
    "staff.no_active_in_state": "{user_name} has no active registration in {state}.",
    "staff.reject_reason": "Please enter the reason for rejecting this registration.",
    "staff.revoke_reason": "Please enter the reason for revoking this registration.",
    "staff.select_registrations": "Please select at least one registration.",
    "staff.select_action": "Please select Activate Selected or Reject Selected.",
    "staff.bulk_reject_reason": "Please enter the reason for rejecting the selected registrations.",
    "staff.bulk_reason_label": "Reason for rejecting (sent to each producer)",
    "staff.search_help": "User name, name, Agent ID or e-mail",
    "staff.date_format": "Please enter the {which} date as YYYY-MM-DD, for example 2026-11-30.",
    "staff.user_name_required": "Please enter a user name.",
    "staff.initial_password_required": "Please enter an initial password.",
    "staff.initial_password_help": "At least {minimum} characters. Tell it to them in person or by phone; they "
                                   "must change it when they first sign in.",
    "staff.role.clerk": "Clerk: queue, search, unlock, revoke",
    "staff.role.admin": "Admin: also staff users and the roster",
    "staff.current_password_required": "Please enter your current password.",
    "staff.new_password_required": "Please enter a new password.",
    "staff.new_password_help": "At least {minimum} characters.",
    "staff.confirm_password_required": "Please confirm the new password.",
    "staff.confirm_password": "The new password and its confirmation do not match.",
    "staff.current_password_wrong": "The current password is not right.",
    "staff.password_unchanged": "The new password must differ from the current one.",
    "staff.user_created": "Staff user {user_name} created as {role}. They must change the initial password when "
                          "they first sign in.",
    "staff.mail_queued_again": "E-mail to {recipient} queued again.",
    "staff.mail_status": "E-mail to {recipient} is {status}.",
    "staff.password_rule": "A staff password must be {minimum} to {maximum} characters.",
    "staff.user_name_rule": "A staff user name must be 3 to 30 characters: letters, numbers, periods (.), "
                            "underscores (_) or hyphens (-).",
    "staff.user_exists": "A staff user named {user_name!r} already exists.",
    "staff.roster.missing": "Agent ID not on the roster",
    "staff.roster.unknown": "No name on the roster",
    "staff.roster.match": "Matches the roster",
    "staff.roster.mismatch": "Does not match: the roster has {roster_name}",
    "roster.imported": "Roster imported: {added} added, {updated} updated, {unchanged} unchanged.",
    "roster.file_required": "Please choose the roster CSV file to upload.",
    "roster.file_help": "Columns state,agent_id, optionally first_name,last_name. A file with any bad line "
                        "imports nothing.",
    "roster.too_large": "The file is larger than {size}; split it into smaller files.",
    "roster.not_utf8": "The file is not UTF-8 text; save it from your spreadsheet as \"CSV UTF-8\" and try again.",
    "roster.not_csv": "The file cannot be read as CSV: {error}",
    "roster.header": "line 1: the header must name the columns state,agent_id (optionally first_name,last_name)",
    "roster.state": "line {line}: state {state!r} is not one of {states}",
    "roster.agent_id": "line {line}: agent_id {agent_id!r} is not exactly 9 digits",
    "roster.name_too_long": "line {line}: {column} is longer than 50 characters",
    "roster.repeated": "line {line}: {state} {agent_id} repeats line {first_line}",
    "roster.more_problems": "And {more} more problems after these. Correct these lines and upload the file again "
                            "to see the next ones.",
    "roster.bad_lines": "Nothing imported: {count} bad line(s).",

    # Error pages: a title and a sentence each.
    "error.not_found.title": N_("Page not found"),
    "error.not_found.message": N_("We could not find that page."),
    "error.wrong_method.title": N_("This address is for sending a form"),
    "error.wrong_method.message": N_("This address only receives what a form sends, so it cannot be opened as a "
                                     "page. Please go back and use the page's buttons."),
    "error.bad_request.title": N_("We could not read that request"),
    "error.bad_request.message": N_("What your browser sent was not complete. Nothing was changed. Please go back, "
                                    "reload the page and try again."),
    "error.forbidden.title": N_("Not allowed"),
    "error.forbidden.message": N_("You are not allowed to do that. Nothing was changed."),
    "error.form_expired": N_("This page had expired, so nothing was sent. What you typed is still here (type any "
                             "password again): please press the button again."),
    "error.session_expired": N_("Your session had expired, so nothing was changed. Please log in again; you will "
                                "come back to the page you were on."),
    "error.connection_lost": N_("We could not reach the portal, so we cannot tell whether this was received. "
                                "Please check your internet connection and try again."),
    "error.no_answer": N_("The portal could not answer just now. Please try again in a few minutes."),
    "error.csrf.title": N_("Please try again"),
    "error.csrf.message": N_("Your session expired or the form was sent twice. "
                             "Please go back, reload the page and try again."),
    "error.too_large.title": N_("Too large to send"),
    "error.too_large.message": N_("What you sent is larger than the portal accepts. Please go back and try "
                                  "again with less text, or split a large file into smaller files."),
    "error.too_many_requests.title": N_("Please try again later"),
    "error.too_many_requests.message": N_("We have received too many requests. Please try again later."),
    "error.busy.title": N_("Please try again in a moment"),
    "error.busy.message": N_("We are checking many passwords just now and could not check yours. "
                             "Nothing was changed. Please try again in a moment."),
    "error.database.title": N_("Please try again in a few minutes"),
    "error.database.message": N_("We could not save your information just now. Nothing was changed. "
                                 "Please try again in a few minutes."),
    "error.server.title": N_("Something went wrong"),
    "error.server.message": N_("We could not complete your request. Nothing was changed. "
                               "Please try again in a few minutes."),
    # Every password a producer chooses (SPEC §4), one whole sentence per field: Password or New Password.
    "password.contains_user_name.password": N_("Password must not contain your User Name."),
    "password.contains_user_name.new_password": N_("New Password must not contain your User Name."),
    "password.common.password": N_("Password is one of the most commonly used passwords and is easy to guess. "
                                   "Please choose a less common Password."),
    "password.common.new_password": N_("New Password is one of the most commonly used passwords and is easy to "
                                       "guess. Please choose a less common New Password."),
    # Edit Profile: changing the e-mail address (where recovery e-mails go).
    "profile.email_change_help": N_("Needed only when you change your E-mail Address."),
    "profile.email_change_needs_password": N_("Please enter your password to change your E-mail Address."),
    "profile.email_change_limit": N_("You can change your E-mail Address at most {count} times a day. "
                                     "Please try again tomorrow, or call Producer Services."),
    # Inline validation past its per-address limit, in the field's error slot.
    "validation.over_limit": N_("We cannot check this just now. Please try again in a moment."),
    # Submit Registration when the account registered some of the states meanwhile (another device).
    "registration.states_already_registered": N_("You have already registered for {states}. "
                                                 "Please do NOT register more than one time."),
}

NUMBER_WORDS = (N_("zero"), N_("one"), N_("two"), N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"),
                N_("eight"), N_("nine"), N_("ten"), N_("eleven"), N_("twelve"))
LINK = re.compile(r"\[([^\]]+)\]\(([\w.]+)\)")


def number_word(number):
    """A count as the guide writes it: "three" up to twelve, digits above."""
    return gettext(NUMBER_WORDS[number]) if 0 <= number < len(NUMBER_WORDS) else str(number)


def from_settings(name):
    """The value of a `{name}` a message takes from the settings (the defaults outside an app) or the states."""
    config = current_app.config if has_app_context() else DEFAULTS
    values = {
        "lockout_threshold": lambda: number_word(config["LOCKOUT_THRESHOLD"]),
        "lockout_threshold_number": lambda: config["LOCKOUT_THRESHOLD"],
        "lockout_minutes": lambda: config["LOCKOUT_MINUTES"],
        "temporary_password_hours": lambda: config["TEMPORARY_PASSWORD_HOURS"],
        "idle_minutes": lambda: config["SESSION_IDLE_MINUTES"],
        "staff_idle_minutes": lambda: config["STAFF_SESSION_IDLE_MINUTES"],
        "state_count": lambda: number_word(len(STATES)),
    }
    return values[name]()


def fill(template, values):
    """The message's `{names}` filled from `values`, the rest from the settings."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = {name: from_settings(name) for name in names - values.keys()}
    return {**values, **missing}


def text(key, **values):
    """The plain sentence: numbers filled in, links as their words (forms, e-mails, CLI, tests)."""
    template = gettext(MESSAGES[key])
    return LINK.sub(r"\1", template).format(**fill(template, values))


def markup(key, **values):
    """The sentence as HTML: escaped, numbers filled in, `[words](endpoint)` as links (templates)."""
    template = gettext(MESSAGES[key])
    linked = LINK.sub(lambda link: f'<a href="{url_for(link[2])}">{link[1]}</a>', str(escape(template)))
    return Markup(linked).format(**fill(template, values))


class LazyText(LazyString):
    """Flask-Babel's lazy string, escaped in a template like any other text (LazyString's own __html__ would
    mark it safe HTML)."""

    def __html__(self):
        return escape(str(self))


def lazy_text(key, **values):
    """text() when it is shown, in the language of that moment: for labels and rules defined at import time."""
    return LazyText(text, key, **values)


def _l(msgid):
    """A label translated when it is shown, e.g. _l("City") (`pybabel extract -k _l`)."""
    return LazyText(gettext, msgid)


def state_name(code):
    """A BCBS state's name in the current language ("Nuevo México"): producer pages and e-mails. The console, the
    CLI and the event log keep rpp.states.BCBS_STATES' English; plan names are never translated."""
    return gettext(STATES[code].name)


class StateNames(Mapping):
    """code → the BCBS state's name in the current language, in the guide's order (templates' `state_names`)."""

    def __getitem__(self, code):
        return state_name(code)

    def __iter__(self):
        return iter(STATES)

    def __len__(self):
        return len(STATES)


STATE_NAMES = StateNames()


def all_state_names():
    """The header's "Illinois • Montana • New Mexico • …" in the current language."""
    return " • ".join(STATE_NAMES.values())


def contact_number(line):
    """A Producer Services number in the current language: a dated one's whole sentence translated
    ("(800) 538-0382 antes del 1 de mayo de 2019", rpp.states.Dated), any other as it is."""
    return gettext(line.note) % {"number": line.number} if isinstance(line, Dated) else line
