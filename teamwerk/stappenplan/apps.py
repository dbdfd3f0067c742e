from django.apps import AppConfig


class StappenplanConfig(AppConfig):
    name = "teamwerk.stappenplan"
    label = "stappenplan"

    def ready(self) -> None:
        from teamwerk.tenancy.terms import fill_terms

        from .route import set_term_filler

        # The route's texts name the region's bodies through placeholders ({the_group}).
        set_term_filler(fill_terms)
