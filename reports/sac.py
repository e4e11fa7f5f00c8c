"""The Safeguarding Adults Collection's dimensions and their exact category labels (DOMAIN.md
3.2): the national return every council makes, so a board's Section 42 figures use the words
the national statistics use, and a figure with any other label is refused.

Each dimension names its SAC table. SG1 tables count people whose concern was raised or whose
enquiry started in the year; SG2 onwards count enquiries concluded in the year.
"""

from __future__ import annotations

from django.db import models


class Dimension(models.TextChoices):
    TOTALS = "totals", "Totals (SG1f)"
    AGE_BAND = "age_band", "Age band (SG1a)"
    GENDER = "gender", "Gender (SG1b)"
    ETHNICITY = "ethnicity", "Ethnicity (SG1c)"
    PRIMARY_SUPPORT_REASON = "primary_support_reason", "Primary support reason (SG1d)"
    TYPE_OF_RISK = "type_of_risk", "Type of risk (SG2a)"
    LOCATION_OF_RISK = "location_of_risk", "Location of risk (SG2b)"
    SOURCE_OF_RISK = "source_of_risk", "Source of risk (SG2a/b)"
    RISK_OUTCOME = "risk_outcome", "Risk assessment outcome (SG2c)"
    RISK_RESULT = "risk_result", "Result where action was taken (SG2e)"
    MSP_ASKED = "msp_asked", "Making Safeguarding Personal: asked about outcomes (SG4a)"
    MSP_ACHIEVED = "msp_achieved", "Making Safeguarding Personal: outcomes achieved (SG4a)"


# The categories of each dimension, in the order the national tables list them.
CATEGORIES: dict[str, tuple[str, ...]] = {
    Dimension.TOTALS: (
        "Total Safeguarding Concerns",
        "Total Section 42 Enquiries",
        "Total Other Enquiries",
    ),
    Dimension.AGE_BAND: ("18-64", "65-74", "75-84", "85-94", "95+", "Age unknown"),
    Dimension.GENDER: ("Male", "Female", "Not Known"),
    Dimension.ETHNICITY: (
        "White",
        "Mixed / Multiple",
        "Asian / Asian British",
        "Black / African / Caribbean / Black British",
        "Other Ethnic Group",
        "Refused",
        "Undeclared / Not Known",
    ),
    Dimension.PRIMARY_SUPPORT_REASON: (
        "Physical Support",
        "Sensory Support",
        "Support with Memory and Cognition",
        "Learning Disability Support",
        "Mental Health Support",
        "Social Support",
        "No Support Reason",
        "Not Known",
    ),
    Dimension.TYPE_OF_RISK: (
        "Physical Abuse",
        "Sexual Abuse",
        "Psychological Abuse",
        "Financial or Material Abuse",
        "Discriminatory Abuse",
        "Organisational Abuse",
        "Neglect and Acts of Omission",
        "Domestic Abuse",
        "Sexual Exploitation",
        "Modern Slavery",
        "Self-Neglect",
    ),
    Dimension.LOCATION_OF_RISK: (
        "Own Home",
        "In the Community (excluding community services)",
        "In a Community Service",
        "Care Home - Nursing",
        "Care Home - Residential",
        "Hospital - Acute",
        "Hospital - Mental Health",
        "Hospital - Community",
        "Other",
    ),
    Dimension.SOURCE_OF_RISK: (
        "Service Provider",
        "Other - Known to Individual",
        "Other - Unknown to Individual",
    ),
    Dimension.RISK_OUTCOME: (
        "Risk identified and action taken",
        "Risk identified and no action taken",
        "Risk assessment inconclusive and action taken",
        "Risk assessment inconclusive and no action taken",
        "No risk identified and action taken",
        "No risk identified and no action taken",
        "Enquiry ceased at individual's request and no action taken",
    ),
    Dimension.RISK_RESULT: ("Risk remained", "Risk reduced", "Risk removed"),
    Dimension.MSP_ASKED: (
        "Yes, they were asked and outcomes were expressed",
        "Yes, they were asked but no outcomes were expressed",
        "No",
        "Don't Know",
        "Not Recorded",
    ),
    Dimension.MSP_ACHIEVED: ("Fully Achieved", "Partially Achieved", "Not Achieved"),
}

# Counts from 1 to 4 are printed as this in anything public (DOMAIN.md 3.3).
SMALL_NUMBER_LIMIT = 5
SMALL_NUMBER_TEXT = "fewer than 5"


def category_order(dimension: str, category: str) -> int:
    return CATEGORIES[dimension].index(category)


def public_count(value: int | None) -> str:
    """A count as the public reads it: "fewer than 5" for 1 to 4, blank when not recorded."""
    if value is None:
        return ""
    if 0 < value < SMALL_NUMBER_LIMIT:
        return SMALL_NUMBER_TEXT
    return f"{value:,}"
