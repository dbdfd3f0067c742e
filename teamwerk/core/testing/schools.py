"""Extra schools for a test world: a group of many schools, each with a plan of the catalogue."""

from __future__ import annotations


def add_schools_with_plans(world, count: int, start: int = 0, *, hours: int = 100) -> list:
    """Add ``count`` schools named "Extra school NN" (from ``start``) to the demo organisation,
    each with a plan made from the catalogue for the current school year."""
    from teamwerk.planning import services as planning_services
    from teamwerk.tenancy import services as tenancy_services
    from teamwerk.tenancy.selectors import current_school_year

    year = current_school_year(world.organisation)
    schools = []
    for n in range(start, start + count):
        school = tenancy_services.school_create(
            organisation=world.organisation, name=f"Extra school {n:02d}", ict_hours_available=hours
        )
        planning_services.plan_create_from_catalogue(
            actor=world.users["directeur"],
            school=school,
            organisation=world.organisation,
            school_year=year,
        )
        schools.append(school)
    return schools
