"""Domain errors said in the reader's language: the page's, or the one an API request asks for.

The domain names the field at fault and says what is wrong in English; the forms put that next
to the field and the API's problems after the field's name, so the common messages get a
translation here.
"""

import re

from django.utils.translation import gettext as _

from portfolio.errors import DomainError

PATTERNS = [
    (re.compile(r"may not be empty|is required"), lambda m: _("This field is required.")),
    (re.compile(r"is in the future"), lambda m: _("The date may not be in the future.")),
    (re.compile(r"is the current plan already"), lambda m: _("That is the current plan already.")),
    (re.compile(r"is the recorded date already"), lambda m: _("That date is recorded already.")),
    (
        re.compile(r"the milestone is achieved already"),
        lambda m: _("The milestone is achieved already."),
    ),
    (
        re.compile(r"the milestone is achieved; correct that first"),
        lambda m: _("The milestone is achieved; correct that first."),
    ),
    (
        re.compile(r"the milestone is not achieved; nothing to correct"),
        lambda m: _("The milestone is not achieved; there is nothing to correct."),
    ),
    (re.compile(r"^the (milestone|risk) is withdrawn$"), lambda m: _("It is withdrawn.")),
    (re.compile(r"^no such project$"), lambda m: _("There is no such project.")),
    (
        re.compile(r"^only the project's managers may change it$"),
        lambda m: _("Only the project's managers may change it."),
    ),
    (
        re.compile(r"^the project is closed and takes no more changes$"),
        lambda m: _("The project is closed and takes no more changes."),
    ),
    (re.compile(r"^must be a date$"), lambda m: _("Enter a date.")),
    (re.compile(r"must be a number"), lambda m: _("Enter a number.")),
    (re.compile(r"is longer than (\d+) characters"), lambda m: _("Too long.")),
    (
        re.compile(r"must be an http, https or mailto link"),
        lambda m: _("Use an http, https or mailto link."),
    ),
    (re.compile(r"the risk is \w+ already"), lambda m: _("The risk has that status already.")),
    (
        re.compile(r"only an open risk"),
        lambda m: _("Only an open risk can be a track's biggest risk."),
    ),
    (re.compile(r"has a track named"), lambda m: _("The project has a track with that name.")),
    (re.compile(r"with the slug \S+ exists already"), lambda m: _("That short name is taken.")),
    (
        re.compile(r"may hold only a-z, 0-9 and '-'"),
        lambda m: _("Use only a-z, 0-9 and '-' (not first)."),
    ),
    (re.compile(r"the project is open already"), lambda m: _("The project is open already.")),
    (
        re.compile(r"differs from the derived (\w+): say why"),
        lambda m: _("The rating differs from the derived light: say why."),
    ),
]


def translate_error(error: DomainError) -> str:
    for pattern, say in PATTERNS:
        match = pattern.search(error.message)
        if match:
            return say(match)
    return error.message
