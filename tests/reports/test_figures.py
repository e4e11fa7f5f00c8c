"""The Section 42 figures: importing a year's CSV (all of it or nothing, every bad row named),
the year's page with its tables and charts beside the year before, the fragment the annual
report prints (1 to 4 shown as "fewer than 5", in the charts too), and who may do what."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.figures import HEADER, import_figures, year_figures
from reports.models import SafeguardingFigure
from reports.sac import CATEGORIES, Dimension
from sab.models import RoleAssignment
from tests.factories import OrganisationFactory

Role = RoleAssignment.Role
DATA = Path(__file__).resolve().parent.parent / "data" / "figures"
HEADINGS = ",".join(HEADER)


def upload(text: str | bytes, name: str = "figures.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def lines(*rows: str) -> str:
    return "\r\n".join([HEADINGS, *rows]) + "\r\n"


def add(board, year, dimension, category, concerns=None, section_42=None, other=None):
    return SafeguardingFigure.objects.create(
        board=board,
        year=year,
        dimension=dimension,
        category=category,
        concerns=concerns,
        section_42=section_42,
        other_enquiries=other,
    )


def stored(board, year=2024) -> dict:
    return {
        (f.dimension, f.category): (f.concerns, f.section_42, f.other_enquiries)
        for f in SafeguardingFigure.objects.filter(board=board, year=year)
    }


def text_nodes(html: str) -> set[str]:
    """Every piece of text between tags, trimmed: what a reader (or the SVG) prints."""
    return {part.strip() for part in re.findall(r">([^<]*)<", html) if part.strip()}


# --- Importing ------------------------------------------------------------------------------


def test_importing_saves_the_figures_with_their_history(board, manager):
    saved = import_figures(
        board=board, year=2024, file=upload((DATA / "lsab-2024.csv").read_bytes()), by=manager
    )

    figures = stored(board)
    assert saved == len(figures) == 8
    assert figures[("gender", "Male")] == (1510, 420, 35)
    assert figures[("gender", "Not Known")] == (12, None, None)  # blank: not recorded
    assert figures[("type_of_risk", "Neglect and Acts of Omission")] == (None, 310, None)
    assert figures[("totals", "Total Safeguarding Concerns")] == (3400, None, None)
    history = SafeguardingFigure.history.filter(board=board, year=2024)
    assert history.count() == 8
    assert {(h.history_type, h.history_user) for h in history} == {("+", manager)}


def test_importing_again_replaces_the_years_figures_and_keeps_the_history(board, manager):
    import_figures(
        board=board,
        year=2024,
        file=upload(lines("Gender,Male,10,4,", "Gender,Female,20,,")),
        by=manager,
    )
    add(board, 2023, "gender", "Male", 99)  # another year is left alone
    male = SafeguardingFigure.objects.get(board=board, year=2024, category="Male")

    saved = import_figures(
        board=board,
        year=2024,
        file=upload(lines("gender,Male,12,5,", "Age band,18-64,,7,")),
        by=manager,
    )

    assert saved == 2
    assert stored(board) == {
        ("gender", "Male"): (12, 5, None),
        ("age_band", "18-64"): (None, 7, None),
    }
    assert stored(board, 2023) == {("gender", "Male"): (99, None, None)}
    assert SafeguardingFigure.objects.get(board=board, year=2024, category="Male").pk == male.pk
    kinds = {
        (h.category, h.history_type): h.history_user
        for h in SafeguardingFigure.history.filter(board=board, year=2024)
    }
    assert kinds[("Male", "~")] == manager and kinds[("Female", "-")] == manager
    assert kinds[("18-64", "+")] == manager
    assert [h.concerns for h in male.history.order_by("history_date", "history_id")] == [10, 12]


def test_the_import_reads_a_bom_any_capitals_and_the_dimensions_label(board, manager):
    text = lines(
        "GENDER,  male ,1,2,3",
        "Gender (SG1b),female,4,5,6",
        "primary_support_reason,Mental health support,7,,",
        "Making Safeguarding Personal: asked about outcomes,Don\u2019t Know,,8,",
        ",,,,",  # a blank row, as Excel saves them
    )
    saved = import_figures(board=board, year=2024, file=upload("\ufeff" + text), by=manager)

    assert saved == 4
    assert set(stored(board)) == {
        ("gender", "Male"),
        ("gender", "Female"),
        ("primary_support_reason", "Mental Health Support"),
        ("msp_asked", "Don't Know"),
    }


def test_rows_whose_counts_are_all_blank_are_not_saved(board, manager):
    saved = import_figures(
        board=board,
        year=2024,
        file=upload(lines("Gender,Male,10,,", "Gender,Female,,,")),
        by=manager,
    )
    assert saved == 1 and set(stored(board)) == {("gender", "Male")}


BAD_FILES = {
    "unknown category": (
        lines("Gender,Male,1,1,", "Gender,Female,1,1,", "Gender,Males,5,2,"),
        ["Row 4: 'Males' is not a category of Gender. Use one of: Male; Female; Not Known."],
    ),
    "negative count": (
        lines("Gender,Male,1,1,", "Gender,Female,-3,1,"),
        ["Row 3: concerns must be a whole number of 0 or more, not -3"],
    ),
    "not a number": (
        lines("Gender,Male,ten,12.5,"),
        [
            "Row 2: concerns must be a whole number of 0 or more, not ten",
            "Row 2: section_42_enquiries must be a whole number of 0 or more, not 12.5",
        ],
    ),
    "duplicate row": (
        lines("Gender,Male,1,1,", "Gender,Female,1,1,", "gender,male,2,2,"),
        ["Row 4 repeats Gender: Male (row 2)"],
    ),
    "unknown dimension": (
        lines("Sex,Male,1,1,"),
        [
            "Row 2: 'Sex' is not a dimension. Use one of: Totals; Age band; Gender; Ethnicity; "
            "Primary support reason; Type of risk; Location of risk; Source of risk; "
            "Risk assessment outcome; Result where action was taken; "
            "Making Safeguarding Personal: asked about outcomes; "
            "Making Safeguarding Personal: outcomes achieved."
        ],
    ),
    "missing column": (
        "dimension,category,concerns,section_42_enquiries\r\nGender,Male,1,1\r\n",
        [
            "The file is missing the column other_enquiries. The first row must be the "
            "headings dimension,category,concerns,section_42_enquiries,other_enquiries."
        ],
    ),
    "empty file": ("", ["The selected file is empty"]),
    "only a BOM and blank lines": ("\ufeff\r\n\r\n", ["The selected file is empty"]),
    "headings only": (lines(), ["The file has its headings but no rows of figures"]),
    "every count blank": (
        lines("Gender,Male,,,"),
        ["The file has no figures: every count is blank"],
    ),
    "not UTF-8": (
        b"dimension,category,concerns,section_42_enquiries,other_enquiries\r\n"
        b"Gender,Male,1,2,3\r\nMSP asked,Don\x92t Know,1,,\r\n",
        [
            "The file must be a CSV file saved as UTF-8 text: in Excel, use Save As and "
            "choose CSV UTF-8"
        ],
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_whole_naming_the_row_and_nothing_changes(case, board, manager):
    add(board, 2024, "gender", "Male", 50, 20)
    before = stored(board)
    text, messages = BAD_FILES[case]

    with pytest.raises(ValidationError) as refused:
        import_figures(board=board, year=2024, file=upload(text), by=manager)

    assert refused.value.message_dict["file"] == messages
    assert stored(board) == before
    assert SafeguardingFigure.history.filter(board=board, year=2024).count() == 1


def test_every_bad_row_is_listed_and_the_good_rows_are_not_saved(board, manager):
    text = lines(
        "Gender,Male,10,5,",
        "Gender,Female,-1,5,",
        "Age band,18-64,3,2,",
        "Age band,Over 95,3,2,",
        "Totals,Total Safeguarding Concerns,x,,",
        "Gender,Male,1,1,",
    )
    with pytest.raises(ValidationError) as refused:
        import_figures(board=board, year=2024, file=upload(text), by=manager)

    assert [message.split(":")[0].split(" repeats")[0] for message in refused.value.messages] == [
        "Row 3",
        "Row 5",
        "Row 6",
        "Row 7",
    ]
    assert not SafeguardingFigure.objects.exists()


# --- The year's figures -------------------------------------------------------------------


@pytest.fixture
def two_years(board):
    for year, scale in ((2024, 1), (2023, 2)):
        add(board, year, "totals", "Total Safeguarding Concerns", 1000 * scale)
        add(board, year, "totals", "Total Section 42 Enquiries", None, 250 * scale)
        add(board, year, "totals", "Total Other Enquiries", None, None, 50)
        add(board, year, "gender", "Male", 600 * scale, 150 * scale)
        add(board, year, "gender", "Not Known", 6 * scale, 4 if year == 2024 else 7)
    add(board, 2024, "gender", "Female", 394, 1)
    add(board, 2023, "age_band", "18-64", 10, 5)  # last year only: no table this year
    return board


def test_the_year_has_a_table_per_dimension_in_the_national_order(two_years):
    figures = year_figures(two_years, 2024)

    assert [table.dimension for table in figures.tables] == ["totals", "gender"]
    gender = figures.tables[1]
    assert (
        gender.label == "Gender (SG1b)" and gender.caption == "Gender (SG1b): 2024/25 and 2023/24"
    )
    assert [row.category for row in gender.rows] == ["Male", "Female", "Not Known"]
    assert gender.columns == ["concerns", "section_42"]  # no other enquiries were recorded
    assert gender.rows[0].counts == {"concerns": 600, "section_42": 150}
    assert gender.rows[0].previous == {"concerns": 1200, "section_42": 300}
    assert gender.rows[1].previous == {"concerns": None, "section_42": None}
    assert gender.main == "section_42"


def test_the_conversion_rate_comes_from_the_totals(two_years, board):
    figures = year_figures(two_years, 2024)
    assert figures.conversion.value == pytest.approx(0.3) and figures.conversion.text == "30.0%"
    assert figures.previous_conversion.text == "27.5%"  # (500 + 50) / 2000

    add(board, 2020, "gender", "Male", 10, 5)
    assert year_figures(board, 2020).conversion.value is None  # no totals, no rate
    add(board, 2019, "totals", "Total Safeguarding Concerns", 0)
    add(board, 2019, "totals", "Total Section 42 Enquiries", None, 0)
    assert year_figures(board, 2019).conversion.text == "Not available"  # no concerns


def test_the_page_shows_the_tables_and_charts_with_the_sac_labels(client, two_years, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:figures", kwargs={"slug": "lsab", "year": 2024}))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Section 42 figures 2024/25",
        "Totals (SG1f)",
        "Total Safeguarding Concerns",
        "Gender (SG1b): 2024/25 and 2023/24",
        "Not Known",
        "Section 42 enquiries 2023/24",
        "30.0%",
        "27.5%",
        'shows counts from 1 to 4 as "fewer than 5"',
    ):
        assert text in page, text
    assert page.count('role="img"') == 2 and "<title id=" in page and "<desc id=" in page
    assert '<th scope="col" class="govuk-table__header">Category</th>' in page
    # Staff see the exact numbers, small ones too, beside last year's.
    nodes = text_nodes(page)
    assert {"1", "4", "1,200", "300"} <= nodes and "fewer than 5" not in nodes
    assert "Bar chart of Section 42 enquiries by gender in 2024/25: Male: 150; Female: 1;" in page
    assert reverse("reports:figures", kwargs={"slug": "lsab", "year": 2023}) in page
    assert reverse("reports:figures-import", kwargs={"slug": "lsab", "year": 2024}) in page


def test_a_year_with_no_figures_says_so(client, board, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    response = client.get(reverse("reports:figures", kwargs={"slug": "lsab", "year": 2021}))

    page = response.content.decode()
    assert "No Section 42 figures have been imported for 2021/22." in page
    assert "<table" not in page and 'role="img"' not in page
    assert reverse("reports:figures-import", kwargs={"slug": "lsab", "year": 2021}) not in page


def test_in_public_1_to_4_is_fewer_than_5_and_the_chart_does_not_tell(two_years):
    figures = year_figures(two_years, 2024)
    html = render_to_string("reports/figures/_tables.html", {"figures": figures, "public": True})

    nodes = text_nodes(html)
    assert "fewer than 5" in nodes
    assert not {"1", "4"} & nodes  # the small counts, in the tables, the chart and its desc
    assert "Female: fewer than 5; Not Known: fewer than 5." in html
    assert {"600", "1,200", "150", "7"} <= nodes  # 5 and over, and 0, as they are
    assert "<a " not in html  # no links: the printed report includes it as it is
    public = {bar.label: bar for bar in figures.tables[1].public_chart.bars}
    exact = {bar.label: bar for bar in figures.tables[1].chart.bars}
    assert public["Female"].width == public["Not Known"].width  # 1 and 4 drawn alike
    assert exact["Female"].width != exact["Not Known"].width
    assert f'width="{public["Not Known"].width}"' in html
    assert f'width="{exact["Not Known"].width}"' not in html


def test_a_conversion_rate_from_a_small_count_is_not_published(board):
    add(board, 2024, "totals", "Total Safeguarding Concerns", 40)
    add(board, 2024, "totals", "Total Section 42 Enquiries", None, 3)
    figures = year_figures(board, 2024)

    html = render_to_string("reports/figures/_tables.html", {"figures": figures, "public": True})
    assert figures.conversion.text == "7.5%" and "7.5%" not in html
    assert "Not published (fewer than 5)" in html


def test_the_page_takes_the_same_queries_however_many_figures(client, board, manager):
    """The figures page reads both years' rows in one query: 60 rows of figures take no more
    queries than 2."""
    client.force_login(manager)
    url = reverse("reports:figures", kwargs={"slug": "lsab", "year": 2024})

    add(board, 2024, "gender", "Male", 10, 5)
    add(board, 2023, "gender", "Male", 12, 6)
    client.get(url)  # the session's first request does more than the page
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    pairs = [(d, c) for d in Dimension for c in CATEGORIES[d]][:60]
    for year in (2024, 2023):
        for dimension, category in pairs:
            SafeguardingFigure.objects.get_or_create(
                board=board,
                year=year,
                dimension=dimension,
                category=category,
                defaults={"concerns": 20, "section_42": 3},
            )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()

    assert page.count('role="img"') > 5
    assert len(many) == len(few) <= 8


# --- The pages: importing, the template, who may do what -----------------------------------


def test_the_manager_imports_from_the_page_and_is_told_how_many_rows(client, board, manager):
    add(board, 2024, "gender", "Female", 5, 5)
    client.force_login(manager)
    url = reverse("reports:figures-import", kwargs={"slug": "lsab", "year": 2024})
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "replaces all 1 row of" in page
    assert reverse("reports:figures-template", kwargs={"slug": "lsab"}) in page

    text = lines("Gender,Male,10,4,", "Totals,Total Safeguarding Concerns,10,,")
    response = client.post(url, {"file": upload(text)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "reports:figures", kwargs={"slug": "lsab", "year": 2024}
    )
    assert "The 2024/25 figures have been replaced by 2 rows." in response.content.decode()
    assert set(stored(board)) == {("gender", "Male"), ("totals", "Total Safeguarding Concerns")}
    added = SafeguardingFigure.history.filter(history_type="+").get(category="Male")
    assert added.history_user == manager


def test_a_bad_upload_lists_every_bad_row_and_saves_nothing(client, board, manager):
    client.force_login(manager)
    url = reverse("reports:figures-import", kwargs={"slug": "lsab", "year": 2024})
    text = lines("Gender,Males,1,,", "Gender,Female,-3,,", "Gender,Female,2,,")

    response = client.post(url, {"file": upload(text)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_file"' in page
    assert "Row 2: &#x27;Males&#x27; is not a category of Gender." in page
    assert "Row 3: concerns must be a whole number of 0 or more, not -3" in page
    assert not SafeguardingFigure.objects.exists()


@pytest.mark.parametrize(
    ("post", "error"),
    [
        ({}, "Select a CSV file"),
        ({"file": upload(b"", "empty.csv")}, "The selected file is empty"),
        ({"file": upload(b"PK\x03\x04", "figures.xlsx")}, "The selected file must be a CSV file"),
    ],
)
def test_the_upload_needs_a_csv_file(client, board, manager, post, error):
    client.force_login(manager)
    url = reverse("reports:figures-import", kwargs={"slug": "lsab", "year": 2024})
    response = client.post(url, post)
    assert response.status_code == 200 and error in response.content.decode()


def test_the_template_has_a_row_per_category_and_imports_once_filled_in(client, board, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:figures-template", kwargs={"slug": "lsab"}))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="lsab-section-42-figures.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == HEADER
    assert len(rows) - 1 == sum(len(categories) for categories in CATEGORIES.values())
    assert rows[1] == ["Totals", "Total Safeguarding Concerns", "", "", ""]
    assert ["Gender", "Not Known", "", "", ""] in rows
    rows[1][2] = "3400"  # a board office fills in a count
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    assert import_figures(board=board, year=2024, file=upload(out.getvalue()), by=manager) == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTNER_LEAD, Role.EXECUTIVE_MEMBER])
def test_the_boards_others_read_the_figures_but_do_not_import(client, board, make_user, role):
    organisation = OrganisationFactory() if role == Role.PARTNER_LEAD else None
    client.force_login(make_user(role, board, organisation=organisation))
    add(board, 2024, "gender", "Male", 10, 5)
    kwargs = {"slug": "lsab", "year": 2024}
    import_url = reverse("reports:figures-import", kwargs=kwargs)

    page = client.get(reverse("reports:figures", kwargs=kwargs))
    assert page.status_code == 200 and import_url not in page.content.decode()
    assert client.get(import_url).status_code == 403
    assert client.post(import_url, {"file": upload(lines("Gender,Male,99,,"))}).status_code == 403
    assert stored(board) == {("gender", "Male"): (10, 5, None)}
    template = client.get(reverse("reports:figures-template", kwargs={"slug": "lsab"}))
    assert template.status_code == 200


def test_another_boards_manager_finds_nothing(client, board, other_board, make_user):
    client.force_login(make_user(Role.BOARD_MANAGER, other_board))
    kwargs = {"slug": "lsab", "year": 2024}
    assert client.get(reverse("reports:figures", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("reports:figures-import", kwargs=kwargs)).status_code == 404
    response = client.post(
        reverse("reports:figures-import", kwargs=kwargs), {"file": upload(lines("Gender,Male,1,,"))}
    )
    assert response.status_code == 404 and not SafeguardingFigure.objects.exists()
    template = client.get(reverse("reports:figures-template", kwargs={"slug": "lsab"}))
    assert template.status_code == 404


def test_signing_in_comes_first(client, board):
    for url in (
        reverse("reports:figures", kwargs={"slug": "lsab", "year": 2024}),
        reverse("reports:figures-import", kwargs={"slug": "lsab", "year": 2024}),
        reverse("reports:figures-template", kwargs={"slug": "lsab"}),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_year_out_of_range_is_not_found(client, board, manager):
    client.force_login(manager)
    for name in ("reports:figures", "reports:figures-import"):
        assert client.get(reverse(name, kwargs={"slug": "lsab", "year": 1800})).status_code == 404
    with pytest.raises(ValidationError):
        import_figures(board=board, year=1800, file=upload(lines("Gender,Male,1,,")), by=manager)
