"""ID-card number rules (GB 11643 check digit), masking, and encryption at rest."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from hypothesis import given
from hypothesis import strategies as st

from members import identity
from members.models import Member
from tests.factories import MemberFactory

VALID = "11010519491231002X"  # the standard's own example


def test_a_valid_number_with_x_passes():
    assert identity.is_valid_id_number(VALID)


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002",
        "110105194912310021",
        "11010519491231002Y",
        "1101051949123100 2X",
        "",
        "A1010519491231002X",
    ],
)
def test_malformed_numbers_fail(value):
    assert not identity.is_valid_id_number(value)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_exactly_one_check_character_fits_any_17_digits(first17):
    fits = [c for c in "0123456789X" if identity.is_valid_id_number(first17 + c)]
    assert fits == [identity.id_number_check_char(first17)]


def test_normalising_fixes_full_width_digits_spaces_and_lower_case_x():
    assert identity.normalize_id_number(" １１０１０５１９４９１２３１００２x ") == VALID


def test_masking_keeps_only_the_ends():
    assert identity.mask_id_number(VALID) == "110105********002X"
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_phone("") == ""


@pytest.mark.django_db
def test_a_wrong_check_digit_is_refused_in_chinese():
    member = MemberFactory.build(id_number="110105194912310021")
    member.secondary = member.branch.secondary
    with pytest.raises(ValidationError) as exc:
        member.full_clean(exclude=["branch", "secondary"])
    assert "校验" in " ".join(exc.value.message_dict["id_number"])


@pytest.mark.django_db
def test_the_id_number_is_encrypted_at_rest_and_decrypted_on_read():
    member = MemberFactory(id_number=VALID)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert VALID not in stored
    assert Member.objects.get(pk=member.pk).id_number == VALID
    assert Member.objects.get(pk=member.pk).masked_id_number == "110105********002X"


@pytest.mark.django_db
def test_two_members_cannot_share_an_id_number():
    MemberFactory(id_number=VALID)
    with pytest.raises(IntegrityError):
        MemberFactory(id_number=VALID)


@pytest.mark.django_db
def test_two_members_cannot_share_a_staff_number():
    MemberFactory(number="T0000001")
    with pytest.raises(IntegrityError):
        MemberFactory(number="T0000001")
