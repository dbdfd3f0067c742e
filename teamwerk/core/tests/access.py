from teamwerk.core.testing.access import Row, signed_in, statuses


def _noord(world):
    return {"school": world.noord.pk, "next": "/"}


URL_ACCESS = {
    "home": Row(signed_in()),
    "health": Row(statuses(200)),
    # Switching to Campus Noord: only people who may see Campus Noord; others get 404.
    "switch_school": Row(
        signed_in(302, directie_zuid=404, beheerder_stichting=404), method="post", data=_noord
    ),
    "set_language": Row(statuses(302), method="post", data=lambda w: {"language": "en"}),
    # Help pages: for everyone signed in; closing a module's introduction redirects back.
    "help_index": Row(signed_in()),
    "help_module": Row(signed_in(), kwargs=lambda w: {"module": "planning"}),
    "help_dismiss": Row(
        signed_in(302),
        kwargs=lambda w: {"module": "planning"},
        method="post",
        data=lambda w: {"next": "/"},
    ),
}
