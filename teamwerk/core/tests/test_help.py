"""Help where it is needed: a first-visit explanation per module that stays closed once
closed (per user), and a help page per module in Dutch and English."""

from __future__ import annotations

from django.urls import reverse

from teamwerk.core import help as help_content


def test_every_module_has_help_in_dutch_and_english_and_its_page_opens(client_for):
    client = client_for("directie_noord")
    modules = help_content.modules()
    assert {
        "home",
        "stappenplan",
        "planning",
        "catalogue",
        "team",
        "allocation",
        "documents",
        "evaluation",
        "conversations",
        "actions",
        "privacy",
    } <= set(modules)
    index = client.get(reverse("help_index")).content.decode()
    for key, module in modules.items():
        assert module.sections, key
        page = client.get(reverse("help_module", args=[key]))
        assert page.status_code == 200
        assert module.title["nl"] in page.content.decode()
        assert reverse("help_module", args=[key]) in index
    assert (
        "Trekker en back-up" in client.get(reverse("help_module", args=["team"])).content.decode()
    )
    client.cookies["django_language"] = "en"
    english = client.get(reverse("help_module", args=["team"])).content.decode()
    assert "Lead and back-up" in english
    assert client.get(reverse("help_module", args=["bestaat-niet"])).status_code == 404


def test_the_first_visit_explanation_is_closed_for_good_per_user(client_for, world):
    client = client_for("ict_noord")
    url = reverse("plan_index")
    page = client.get(url, follow=True).content.decode()
    assert 'data-intro="planning"' in page
    assert reverse("help_module", args=["planning"]) in page  # linked from the module page

    closed = client.post(reverse("help_dismiss", args=["planning"]), {"next": url})
    assert closed.status_code == 302 and closed["Location"] == url
    again = client.get(url, follow=True).content.decode()
    assert 'data-intro="planning"' not in again
    assert reverse("help_module", args=["planning"]) in again  # the help link stays
    # Closing it twice is fine; other modules still explain themselves.
    assert client.post(reverse("help_dismiss", args=["planning"])).status_code == 302
    assert 'data-intro="team"' in client.get(reverse("team_dashboard")).content.decode()
    # Remembered per user: a colleague still sees it.
    other = client_for("directie_noord").get(url, follow=True).content.decode()
    assert 'data-intro="planning"' in other


def test_closing_an_explanation_never_redirects_elsewhere(client_for):
    response = client_for("ict_noord").post(
        reverse("help_dismiss", args=["team"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_every_module_with_a_page_explains_itself_on_first_visit(client_for):
    """The follow-up modules and the register introduce themselves like the others."""
    pages = {
        "evaluation": reverse("evaluation_index"),
        "conversations": reverse("conversations_index"),
        "actions": reverse("actions_list"),
        "privacy": reverse("privacy_register"),
    }
    for key, url in pages.items():
        reader = "beheerder" if key == "privacy" else "directie_noord"
        page = client_for(reader).get(url, follow=True).content.decode()
        assert f'data-intro="{key}"' in page, key


def test_a_help_page_offers_no_button_to_a_page_most_readers_cannot_open(client_for):
    page = client_for("teamlid_noord").get(reverse("help_module", args=["privacy"]))
    assert page.status_code == 200
    assert reverse("privacy_register") not in page.content.decode()
