"""What the groups app offers to search (sab/search.py): groups, and the people their pages
show as current members. Loaded by SubgroupsConfig.ready()."""

from django.db.models import Prefetch, QuerySet

from sab.models import Board
from sab.search import SearchSource, add_search_source
from subgroups.models import Group, GroupMembership


def _readers_boards(user, lookup: str) -> Prefetch:
    """A joint group's boards, only those the reader is in (named beside the hit)."""
    boards = Board.objects.visible_to(user).order_by("short_name", "pk")
    return Prefetch(lookup, queryset=boards, to_attr="readers_boards")


class GroupSource(SearchSource):
    model = Group
    label = "Groups"
    fields = {"name": "A", "remit": "B"}
    snippet_fields = ("remit",)
    order = 60

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return queryset.prefetch_related(_readers_boards(user, "boards"))

    def boards(self, group: Group) -> list[Board]:
        return group.readers_boards

    def describe(self, group: Group) -> str:
        return group.get_kind_display() if group.active else f"{group.get_kind_display()}, inactive"


class GroupMemberSource(SearchSource):
    """A person as a group's page shows them: a current member, with their role and the
    organisation they represent (nothing the page does not show, such as their e-mail)."""

    model = GroupMembership
    label = "Group members"
    fields = {"person__name": "A", "organisation__name": "C"}
    snippet_fields = ("organisation__name",)
    order = 70

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        return (
            queryset.current()
            .select_related("person", "organisation", "group")
            .prefetch_related(_readers_boards(user, "group__boards"))
        )

    def title(self, membership: GroupMembership) -> str:
        return membership.person.name

    def url(self, membership: GroupMembership) -> str:
        return membership.group.get_absolute_url()

    def boards(self, membership: GroupMembership) -> list[Board]:
        return membership.group.readers_boards

    def describe(self, membership: GroupMembership) -> str:
        return f"{membership.get_role_display()}, {membership.group.name}"


add_search_source(GroupSource())
add_search_source(GroupMemberSource())
