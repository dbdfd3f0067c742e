from django.apps import AppConfig


class StappenplanConfig(AppConfig):
    name = "teamwerk.stappenplan"
    label = "stappenplan"

    def ready(self) -> None:
        from teamwerk.actions.reminders import register_reminder_source
        from teamwerk.tenancy.terms import fill_terms

        from .reminders import route_reviews
        from .route import set_term_filler

        # The route's texts name the region's bodies through placeholders ({the_group}).
        set_term_filler(fill_terms)
        # The step-8 review date reminds the school's leaders, like an agreement's review.
        register_reminder_source("stappenplan.review", route_reviews)
