"""factory_boy factories for every model the tests build by hand."""

import factory
from django.utils import timezone

from members.models import (
    Branch,
    Category,
    Committee,
    Gender,
    Member,
    Notification,
    Role,
    RoleAssignment,
    SecondaryOrganization,
    User,
)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("code",)

    code = "LSNU"
    name = "中共乐山师范学院委员会"


class SecondaryOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecondaryOrganization

    committee = factory.SubFactory(CommitteeFactory)
    code = factory.Sequence(lambda n: f"X{n:03d}")
    name = factory.Sequence(lambda n: f"测试学院{n}党委")
    short_name = factory.Sequence(lambda n: f"测试{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    secondary = factory.SubFactory(SecondaryOrganizationFactory)
    code = factory.Sequence(lambda n: f"XB{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}党支部")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.edu.cn")
    password = factory.django.Password("flowparty-demo")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    branch = factory.SubFactory(BranchFactory)
    secondary = factory.LazyAttribute(lambda m: m.branch.secondary)
    name = factory.Sequence(lambda n: f"党员{n}")
    gender = Gender.FEMALE
    number = factory.Sequence(lambda n: f"M{n:07d}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    category = Category.TEACHER
    joined_on = factory.LazyFunction(lambda: timezone.localdate().replace(year=2010))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.ORG_DEPARTMENT


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test_notice"
    title = factory.Sequence(lambda n: f"测试通知{n}")
    body = "请及时处理。"
    link = "/members/"
