"""A console offers what its reader may do (DESIGN rule 2: permissions in one table): the
"new" and "record" links of its panels lead to pages the person may open. A hotel's
department head, who may not keep the duty log nor record calls, was offered a new carried-over
item and a phone record, both 403 (found by the phone-width walk, issue 11 item 4)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from zhiban.org.models import Membership

HREF = re.compile(r'href="(/c/[^"?#]+)"')


@pytest.mark.django_db
def test_no_console_of_a_demo_person_links_a_page_the_person_may_not_open():
    call_command("demo", stdout=io.StringIO())
    forbidden = {}
    people = Membership.objects.select_related("person", "centre").filter(
        person__username__in=["hanxue", "zhangwei", "gaoyuan", "tangyu"]
    )
    for membership in people:
        client = Client()
        client.force_login(membership.person)
        console = client.get(f"/c/{membership.centre.code}/")
        assert console.status_code == 200
        for href in sorted(set(HREF.findall(console.content.decode()))):
            if href.endswith("/new/") and client.get(href).status_code == 403:
                forbidden.setdefault(membership.person.username, []).append(href)
    assert forbidden == {}
