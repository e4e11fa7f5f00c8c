"""factory_boy factories for the core records (Faker in en_GB)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User

factory.Faker._DEFAULT_LOCALE = "en_GB"

TEST_PASSWORD = "a-long-test-password-123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = Organisation.Kind.OTHER


class BoardFactory(DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Board {n} Safeguarding Adults Board")
    short_name = factory.Sequence(lambda n: f"SAB{n}")
    slug = factory.Sequence(lambda n: f"board-{n}")
    area = factory.Faker("city")


class BoardMembershipFactory(DjangoModelFactory):
    class Meta:
        model = BoardMembership

    board = factory.SubFactory(BoardFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    statutory = False


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    job_title = factory.Faker("job")


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    board = factory.SubFactory(BoardFactory)
    role = RoleAssignment.Role.VIEWER


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = "subgroups.Group"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Subgroup {n}")
    kind = "subgroup"
    reporting_board = factory.SubFactory(BoardFactory)

    @classmethod
    def create(cls, **kwargs):
        # GroupFactory(boards=[a, b]) reports to the first board it serves.
        if kwargs.get("boards") and "reporting_board" not in kwargs:
            kwargs["reporting_board"] = kwargs["boards"][0]
        return super().create(**kwargs)

    @factory.post_generation
    def boards(obj, create, extracted, **kwargs):
        if create:
            obj.boards.add(*(extracted or [obj.reporting_board]))


class GroupMembershipFactory(DjangoModelFactory):
    class Meta:
        model = "subgroups.GroupMembership"

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    role = "member"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = "subgroups.Meeting"

    group = factory.SubFactory(GroupFactory)
    date = factory.Sequence(lambda n: datetime.date(2024, 4, 1) + datetime.timedelta(days=n))
    status = "held"


class BusinessPlanFactory(DjangoModelFactory):
    class Meta:
        model = "priorities.BusinessPlan"

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Business plan {n}")
    period = "2024/25"
    status = "approved"


class StrategicPlanFactory(DjangoModelFactory):
    class Meta:
        model = "priorities.StrategicPlan"

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Strategic plan {n}")
    first_year = 2024
    last_year = 2026
    vision = "Adults in our area live free from abuse and neglect."
    status = "approved"


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = "priorities.Priority"

    plan = factory.SubFactory(BusinessPlanFactory)
    ref = factory.Sequence(lambda n: f"P{n}")
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(lambda n: n)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = "priorities.Action"

    priority = factory.SubFactory(PriorityFactory)
    ref = factory.Sequence(lambda n: f"A{n}")
    description = factory.Faker("sentence", nb_words=10)
    outcome_measure = factory.Faker("sentence", nb_words=6)
    order = factory.Sequence(lambda n: n)


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = "priorities.ReportingPeriod"

    board = factory.SubFactory(BoardFactory)
    label = factory.Sequence(lambda n: f"Q{n % 4 + 1} {2000 + n}/{(n + 1) % 100:02d}")
    start = factory.Sequence(lambda n: datetime.date(2000 + n, 4, 1))
    end = factory.Sequence(lambda n: datetime.date(2000 + n, 6, 30))


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = "priorities.ProgressUpdate"

    action = factory.SubFactory(ActionFactory)
    text = factory.Faker("paragraph")
    status = "in_progress"
    rag = "green"


class AnnualReportFactory(DjangoModelFactory):
    class Meta:
        model = "reports.AnnualReport"

    board = factory.SubFactory(BoardFactory)
    year = 2024
    executive_summary = "The board coordinated its partners' work to help and protect adults."


class PartnerStatementFactory(DjangoModelFactory):
    class Meta:
        model = "reports.PartnerStatement"

    report = factory.SubFactory(AnnualReportFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    due = datetime.date(2025, 5, 31)
