"""Reply tags signed with the program's key and checked in constant time."""

from __future__ import annotations

from notifications.reply_tags import make_reply_tag, tag_holds
from roadmap.reports.replies import ReplyTag, read_reply_tag, reply_address

KEY = b"k" * 32
BOX = "roadmap@minsoc.example.org"


def test_a_tag_round_trips_through_the_reply_address_and_survives_upper_case() -> None:
    address = reply_address(BOX, make_reply_tag(12345, KEY))
    assert address.startswith("roadmap+9ix-") and address.endswith("@minsoc.example.org")
    assert len(address.split("@")[0]) <= 64
    for seen in (address, address.upper()):
        tag = read_reply_tag(seen, BOX)
        assert isinstance(tag, ReplyTag) and tag.outbox_id == 12345 and tag_holds(tag, KEY)


def test_a_tag_signed_with_another_key_or_for_another_message_does_not_hold() -> None:
    tag = read_reply_tag(reply_address(BOX, make_reply_tag(7, b"other" * 8)), BOX)
    assert isinstance(tag, ReplyTag) and not tag_holds(tag, KEY)
    moved = read_reply_tag(reply_address(BOX, make_reply_tag(7, KEY)).replace("+7-", "+8-"), BOX)
    assert isinstance(moved, ReplyTag) and not tag_holds(moved, KEY)
