"""Writes that touch several records or send e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from sab import permissions
from sab.models import Board, Organisation, Person, RoleAssignment, User


@transaction.atomic
def grant_role(
    *,
    board: Board,
    person: Person,
    role: str,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Give ``person`` a role in ``board``, creating their login if they have none.

    A new login gets no password; after the transaction commits they are e-mailed a link to
    choose one (the password-reset flow), so nobody else ever knows it.
    """
    user = person.user
    created = False
    if user is None:
        if not person.email:
            raise ValidationError({"person": f"Add an email address for {person.name} first."})
        email = person.email.strip().lower()
        user = User.objects.filter(email=email).first()
        if user is not None and hasattr(user, "person") and user.person != person:
            raise ValidationError(
                {"person": f"{email} is already the login of {user.person.name}."}
            )
        if user is None:
            first, _, last = person.name.partition(" ")
            user = User(email=email, first_name=first, last_name=last)
            user.set_unusable_password()
            user.full_clean()
            user.save()
            created = True
        person.user = user
        person.save(update_fields=["user"])
    if RoleAssignment.objects.filter(
        user=user, board=board, role=role, organisation=organisation
    ).exists():
        raise ValidationError({"role": f"{person.name} already has this role."})
    assignment = RoleAssignment(user=user, board=board, role=role, organisation=organisation)
    assignment.full_clean()
    assignment.save()
    permissions.forget_roles(user)
    if created:
        transaction.on_commit(lambda: send_welcome(user=user, board=board))
    return assignment


def send_welcome(*, user: User, board: Board) -> None:
    """E-mail a new login a one-time link to choose their password.

    Django's PasswordResetForm skips accounts without a usable password, so the link is made
    here with the same token generator; the password-reset pages then take over.
    """
    context = {
        "board": board,
        "email": user.email,
        "link": settings.SITE_URL
        + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
    }
    subject = render_to_string("registration/welcome_subject.txt", context).strip()
    body = render_to_string("registration/welcome_email.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def start_board(
    *,
    name: str,
    short_name: str,
    area: str,
    financial_year_start_month: int = 4,
    rag_definitions: str = Board.DEFAULT_RAG_DEFINITIONS,
    manager_name: str,
    manager_email: str,
    by: User,
) -> Board:
    """Start a board and make ``manager_name`` its first board manager.

    The board's web address comes from its short name (LSAB -> /boards/lsab/). The manager
    is a person in the new board: the one already using that e-mail address as their login,
    or a new person, who gets a login and, after commit, a link to choose a password
    (grant_role). Errors are keyed by the arguments' names.
    """
    slug = slugify(short_name)
    if not slug:
        raise ValidationError(
            {"short_name": "Use letters or numbers in the short name: it makes the web address."}
        )
    if slug in Board.RESERVED_SLUGS or Board.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"short_name": f"The web address /boards/{slug}/ is taken: choose another short name."}
        )
    board = Board(
        name=name,
        short_name=short_name,
        slug=slug,
        area=area,
        financial_year_start_month=financial_year_start_month,
        rag_definitions=rag_definitions,
    )
    board.full_clean()
    board._history_user = by
    board.save()

    email = manager_email.strip().lower()
    user = User.objects.filter(email=email).first()
    person = getattr(user, "person", None) if user else None
    if person is None:
        person = Person(name=manager_name.strip(), email=email, user=user)
        try:
            person.full_clean()
        except ValidationError as error:
            names = {"name": "manager_name", "email": "manager_email"}
            raise ValidationError(
                {names.get(field, field): errors for field, errors in error.message_dict.items()}
            ) from None
        person._history_user = by
        person.save()
    person.boards.add(board)
    grant_role(board=board, person=person, role=RoleAssignment.Role.BOARD_MANAGER)
    return board
