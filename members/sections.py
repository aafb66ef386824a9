"""Pages of the members app that later apps add to (the member page, the home page), without members
depending on them: each app registers a function that renders its own section."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

MemberSection = Callable[[HttpRequest, object], str]
HomeSection = Callable[[HttpRequest], str]

_member_sections: list[MemberSection] = []
_home_sections: list[HomeSection] = []


def member_section(func: MemberSection) -> MemberSection:
    if func not in _member_sections:
        _member_sections.append(func)
    return func


def home_section(func: HomeSection) -> HomeSection:
    if func not in _home_sections:
        _home_sections.append(func)
    return func


def render_member_sections(request, member) -> SafeString:
    return mark_safe("".join(section(request, member) for section in _member_sections))  # noqa: S308 (templates)


def render_home_sections(request) -> SafeString:
    return mark_safe("".join(section(request) for section in _home_sections))  # noqa: S308 (templates)
