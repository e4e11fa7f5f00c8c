"""Demo data: Leicester SAB's 2017/18 annual report, built from the demo's records with the
narrative of the real report (../shared/seeds/annual-report-leicester-2017-18.txt), approved
through the real service, published once and its copies recorded as sent.

The texts keep the seed report's wording. What is not the seed's: line and page breaks of
the extracted text are mended; the structure chart, the SAR flowchart and the Trilogy of
Risk poster (pictures in the seed) are described in words; "see page 25" reads "see Task and
finish groups"; the first words of Leicestershire Partnership NHS Trust's statement (lost in
the extract) and the short introduction to the partner statements are ours. The statements
of the members the seed has none from (``WRITTEN_FOR_DEMO``) were written for the demo from
what the seed says about them elsewhere. The Section 42 figures are invented (``FIGURES``).

The report reads records of the year, so those the other apps' demos do not make are made
here through their services and models: Leicester SAB's Business Plan 2017/18 (the current
plan's rows dated for 2017/18, imported, rated by the executive for Q4 2017/18, archived),
its strategic plan for 2017 to 2020 with Local Healthwatch and the community consulted,
the meetings its groups held in 2017/18 and who attended, and the Trilogy of Risk group's
chair. Safe to run again: each record is found by its natural key, and a published report
is never changed or published again.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.db.models import Q
from django.utils import timezone

from priorities import rag as cycle
from priorities import services as plan_services
from priorities.demo import lsab_plan_csv
from priorities.models import (
    BusinessPlan,
    ConsultationRecord,
    PlanStatus,
    Principle,
    Priority,
    Rag,
    RagAssessment,
    ReportingPeriod,
    StrategicPlan,
    StrategicPriority,
)
from priorities.plan_import.stage import import_plan
from reports import annual_services, figures, rendering, services
from reports.models import (
    AnnualReport,
    DistributionRecord,
    Part,
    PartnerStatement,
    Publication,
    ReportSection,
    SafeguardingFigure,
)
from reports.sac import Dimension
from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User
from subgroups.models import Group, GroupMembership, Meeting

D = datetime.date
YEAR = 2017  # the reporting year 2017/18
MANAGER = "manager@example.org"  # Lindsey Bampton, LSAB Manager (sab/demo.py)
EXECUTIVE = "exec@example.org"  # the board's executive member, who decides ratings

# --- The report's narrative ---------------------------------------------------------------

AUTHOR = "Lindsey Bampton, LSAB Manager"
REPORT_DATE = D(2018, 6, 6)
FOREWORD_BY = "Robert Lake, Independent Chair"
EASY_READ_NOTE = (
    "An easy read version of this document is in development and will be published on the "
    "Safeguarding Adults Board page of the Leicester City Council website"
)

FOREWORD = """\
Welcome to Leicester Safeguarding Adults Board's 2017/18 annual report. As the new Independent
Chair I would like to begin by giving thanks to Jane Geraghty, the outgoing Independent Chair,
for her leadership of the Board during the period to which this report relates.

In particular, Jane's commitment to service user engagement has clearly had a positive impact
on the work of the Board and prompted the development of our 2018-2020 Engagement Strategy. I
look forward to overseeing the creation of our Ambassadors' Network and the launch of our
'Safer Together' campaign throughout 2018/19. Do keep an eye out for our information and
discussion roadshows in community settings across the city later in the year.

Leicester Safeguarding Adults Board leads adult safeguarding arrangements across the city
whilst overseeing and coordinating the effectiveness of the safeguarding work of its member
and partner agencies. I would like to take this opportunity to thank all board members and
those who have led and participated in the work of the Board for contributing their time,
expertise, and enthusiasm throughout 2017/18.

In addition, I would like to thank staff from across our partnerships for their continued
hard work and commitment to keeping adults, with needs for care and support living in
Leicester, safe from abuse and neglect.

It is important that a Safeguarding Adults Board has effective links with other key
partnerships in the locality and beyond. To this end I am committed to ensuring that Leicester
Safeguarding Adults Board's relationships with other partnerships across the city are nurtured
and developed. At the same time, I am confident that my joint role as the Independent Chair of
Leicestershire and Rutland Safeguarding Adults Board will support effective partnership
working in safeguarding adults across Leicester.

6 June 2018
"""

EXECUTIVE_SUMMARY = """\
- Throughout 2017/18 Leicester Safeguarding Adults Board (LSAB) worked to coordinate and ensure
  the effectiveness of each of its partners in order to meet its objective: to help and
  protect adults in Leicester with needs for care and support who are experiencing (or at
  risk of experiencing) abuse or neglect and as a result of those needs are unable to protect
  themselves.
- The LSAB demonstrated its commitment to engagement activity by creating and recruiting to
  the post of 'LSAB Engagement Officer'. The LSAB went on to agree an engagement strategy
  which outlines the steps that it will take between now and 2020 to increase its engagement
  activity.
- As part of our new engagement strategy, data analysis was carried out which looked at the
  age, ethnicity, gender, and primary support need of individuals who participated in the
  adult safeguarding process in Leicester between 2015 and 2018. Key findings and
  recommendations will contribute to a well-informed set of targeted engagement activities
  over the next two years.
- Throughout 2017/18 the LSAB Performance Sub-Group requested, received and scrutinised
  information outlined in the quality assurance framework (such as performance data,
  performance narratives, complaints data, single and multi-agency audits, and training
  information). Exceptions were reported to the Board, whilst providing assurance that
  partner agencies are delivering good quality services which keep people with needs for care
  and support safe from harm and abuse.
- The LSAB Review Sub-Group ensured that the LSAB met its statutory responsibilities under the
  Care Act 2014 to undertake safeguarding adults reviews in cases which met the criteria.
- During 2017/18 the LSAB received five referrals for safeguarding adults reviews. In the
  majority of cases an initial trawl of information was carried out across the partnership
  prior to making a decision. Of the five referrals received, one mandatory review was
  commissioned during 2017/18.
- A safeguarding adults review was also commissioned in 2016/17 which was ongoing at the end
  of 2017/18. Details of this review were published in our 2016/17 annual report. The
  safeguarding adults review overview report is due to be presented to Board in July 2018 and
  in line with legislation, the findings will be reported in our 2018/19 annual report, along
  with what the Safeguarding Adults Board has done during that year to implement the findings.
- LSAB Performance Sub-Group provided assurance that lessons from our safeguarding adults
  reviews had not only been identified but had also been learnt and that the actions
  undertaken by partners had made a difference. This assurance is key to ensuring that
  safeguarding adults reviews undertaken are having a positive impact in preventing future
  harm.
- During 2017/18 the LSAB Training Sub-Group developed a draft training strategy and began
  collating information in order to identify priority areas for enhanced multi-agency
  learning across the partnership.
- A key achievement for the Training Sub-Group was the Vulnerable Adults Risk Management
  (VARM) conference arranged jointly with Leicestershire and Rutland Safeguarding Adults Board
  (LRSAB) which was held to re-launch VARM guidance to partners across Leicester,
  Leicestershire and Rutland.
- The Training Sub-Group also maintained close links with Leicester City Council Adult Social
  Care, continuing to support the Mental Capacity Act forums for care providers across the
  city.
- During 2017/18 LSAB worked with LRSAB to ensure that safeguarding adults policies and
  procedures were reviewed and uploaded to the Multi Agency Policies and Procedures (MAPP)
  which can be accessed at <http://www.lradultsafeguarding.co.uk>
- LRSAB and LSAB worked together to conduct multi-agency safeguarding adults audits, with
  learning disseminated across Leicester, Leicestershire and Rutland. Our case file audit tool
  featured as an example of best practice in the Local Government Association (LGA), and
  Association of Directors of Adults Social Services (ADASS) publication '*Making
  Safeguarding Personal For safeguarding adults boards*' which was published in November 2017.
- Our 2017/18 'Trilogy of Risk' Task and Finish Group was a joint group with LRSAB, Leicester
  Safeguarding Children Board (LSCB) and Leicestershire and Rutland Safeguarding Children
  Board (LRSCB). It focused on learning from reviews about the need to understand that risk to
  children and vulnerable adults may be increased if they are living in a household where
  mental health difficulties, substance misuse problems and domestic abuse are found
  together. Resources were developed and disseminated across the partnership.
"""

INTRODUCTION = """\
The Care Act 2014 introduced new safeguarding duties for local authorities, including
establishing a Safeguarding Adults Board for its area. The objective of each Safeguarding
Adults Board is to help and protect adults in its area with needs for care and support who are
experiencing (or at risk of experiencing) abuse or neglect and as a result of those needs are
unable to protect themselves. It seeks to achieve this by coordinating and ensuring the
effectiveness of each of its members.

Leicester Safeguarding Adults Board's three statutory partners are **Leicester City
Council**, **Leicestershire Police** and **Leicester City Clinical Commissioning Group**.
Under the Care Act 2014 each Safeguarding Adults Board has 3 core duties:

- Publish a strategic plan for each financial year
- Publish an annual report
- Commission safeguarding adults reviews for any cases which meet the criteria

Leicester Safeguarding Adults Board's annual report represents a summary of the collaborative
work undertaken by partners throughout 2017/18 to meet the objectives of our three-year
strategic plan as well as our annual business plan. It provides an overview of our
achievements, partner commitment, and local safeguarding adults activities.

Our three-year strategic plan and our annual business plan are both published, along with a
copy of our annual report, on the Safeguarding Adults Board page of Leicester City Council
website:
<https://www.leicester.gov.uk/health-and-social-care/adult-social-care/what-support-do-you-need/safeguarding-adults-board/>
"""

# --- The report's own sections, in print order: (part, group name or "", title, body) -----

WHO_WE_ARE = [
    (Part.WHO_WE_ARE, "", "Membership", """\
The Care Act 2014 stipulates three core members of a Safeguarding Adults Board: the local
authority, clinical commissioning groups and the police. Local authorities are responsible for
establishing a local Safeguarding Adults Board and having consulted with the other core
members, invite other key partners to become members of the Safeguarding Adults Board to
enable it to effectively fulfil its responsibilities and duties.

Throughout 2017/18 Leicester Safeguarding Adults Board benefited from the established
membership of a number of key partners including University Hospitals of Leicester NHS Trust,
Leicestershire Partnership NHS Trust, Leicestershire Fire and Rescue Service, Healthwatch, East
Midlands Ambulance Service, National Probation Service, Community Rehabilitation Company, HMP
Leicester, Leicestershire Centre for Integrated Living, East Midlands Care, Care Quality
Commission, and NHS England.
"""),
    (Part.WHO_WE_ARE, "", "Structure", """\
Leicester Safeguarding Adults Board appoints an Independent Chair to oversee the work of the
Board, provide leadership, offer constructive challenge, and ensure independence.

The day to day work of Leicester Safeguarding Adults Board is undertaken by the sub-groups,
each of which is chaired by a board member and well attended by employees from partner
agencies.

The board office supports the operational running of these arrangements and manages the Board
on behalf of the multi-agency partnership.

To facilitate joint working, ensure effective safeguarding work across the region, and provide
consistency for our partners who work across Leicester, Leicestershire and Rutland,
Leicestershire Safeguarding Adults Board shares both its Policy and Procedure Sub-Group and its
Audit Sub-Group with Leicestershire and Rutland Safeguarding Adults Board. The governance for
these two sub-groups is via a Joint Executive Group that feeds into both Boards.

As well as undertaking review work for the Board, the Review Sub-Group of Leicester
Safeguarding Adults Board also oversees Domestic Homicide Reviews on behalf of Safer Leicester
Partnership.

**Leicester Safeguarding Adults Board structure chart**, in words:

- Leicester Safeguarding Adults Board, with its Independent Chair and the board office.
- Reporting to the Board: the Performance Sub-Group, the Engagement Sub-Group, the Review
  Sub-Group (which also oversees domestic homicide reviews for Safer Leicester Partnership)
  and the Training Sub-Group.
- Shared with Leicestershire and Rutland Safeguarding Adults Board: the LLR Joint Executive
  Group, which feeds into both Boards, and under it the LLR Policy and Procedures Sub-Group
  and the LLR Audit Sub-Group.
- The Trilogy of Risk (Complex Cases) Task and Finish Group, joint with the other three
  Safeguarding Boards of Leicester, Leicestershire and Rutland.
"""),
    (Part.WHO_WE_ARE, "", "Links with other partnerships", """\
Our joint working protocol with Leicester Health and Wellbeing Board supports effective
working.

In addition, Leicester Safeguarding Adults Board has strong links with the Safeguarding Boards
across Leicester, Leicestershire and Rutland: Leicester Safeguarding Childrens Board,
Leicestershire and Rutland Safeguarding Childrens Board, and Leicestershire and Rutland
Safeguarding Adults Board. During 2017/18 a joint task and finish group was developed across
all four Boards focusing on a joint priority of working with complex cases (see Task and
finish groups for more details).

Our links with the Independent Safeguarding Adults Board Chairs Network, East Midlands
Safeguarding Adults Network and National Board Managers Network supports collaboration both
regionally and nationally.
"""),
]  # fmt: skip

DATA = [
    (Part.DATA, "", "Context: Leicester city", """\
With a population of more than 330,000 Leicester is the 10th largest city in the UK.

- **Age:** The mean age of Leicester's population is significantly lower at 34.8, than that of
  the East Midlands at 40 and England at 39.3 and it boasts the largest proportion of people
  aged 19 and under in the East Midlands.
- **Ethnicity:** Information from the 2011 census celebrates Leicester as one of the most
  ethnically diverse cities in the UK with the population being made up of people from the
  following ethnic groups: White (50.5%), Asian, Asian British (37%),
  Black/African/Caribbean/Black British (6%), Mixed/ Multiple Ethnic Groups (3.5%), Other
  Ethnic Groups (3%).
- **Sex:** The population of Leicester is made up of 49.4% males and 50.6% females.
"""),
    (Part.DATA, "", "Safeguarding adults in Leicester 2017/18", """\
The tables and charts below show the safeguarding enquiries commenced during 2017/18: the
individuals involved in Section 42 safeguarding enquiries by gender, by age band, by ethnicity
and by primary support reason (where known). They then show the safeguarding enquiries
completed during 2017/18: concluded enquiries by type of abuse, the outcome at the conclusion
of a safeguarding enquiry, and Making Safeguarding Personal (MSP) outcomes for concluded
enquiries. Each has 2016/17 beside it.

During 2017/18 as part of our new engagement strategy, data analysis was carried out which
looked at the age, ethnicity, gender, and primary support need of individuals who participated
in the adult safeguarding process in Leicester between 2015 and 2018. The analysis
incorporates all people who have been part of a safeguarding alert (concern) and those who
have experienced a safeguarding enquiry in Leicester. Key findings and recommendations will
contribute to a well-informed set of targeted engagement activities over the next two years.
"""),
    (Part.DATA, "", "Engagement Sub-Group data analysis: key findings and recommendations", """\
#### Age

- **Key finding 1:** The number of safeguarding alerts is declining for people below the age
  of 75, whereas the number of enquiries for this age group has increased significantly. The
  fact that alerts are considerably more likely to convert to enquiries for this age group
  indicates that the quality of alert information has improved demonstrably
- **Key finding 2:** The volume of alerts and enquiries for people over 75 has increased
  significantly.
- **Recommendation:** There may need to be some targeted engagement activity with the 18-64
  age group to redress the imbalance with regard to the number of alerts

#### Ethnicity

- **Key finding 1:** There is a significantly disproportionate number of alerts and enquiries
  from the white population of Leicester. The data shows that the number of alerts are
  increasing whilst local data suggests the white population has decreased since the 2011
  census
- **Recommendation:** There needs to be a series of engagement activities with the non-white
  population of Leicester to redress the imbalance of safeguarding services provided
- **Key finding 2:** There a proportionately lower level of engagement with Asian/ Asian
  British - Indian population in adult safeguarding services
- **Recommendation:** There needs to be a series of targeted activities with people from the
  Asian/ Asian British - Indian ethnic group to redress the imbalance in safeguarding services
  provided
- **Key finding 3:** There is an under-representative number of people from the mixed/
  multiple and 'other' ethnic groups who utilise adult safeguarding services - these groups
  include people whose ethnic origin is; Arab, Traveller or Irish Heritage, Chinese, White
  European and 'any other' ethnic group
- **Recommendation:** There needs to be a series of targeted activities to improve the
  engagement with people from the following ethnic groups; Arab, Traveller or Irish Heritage,
  Chinese, White European and 'any other'
- **Key finding 4:** The level of engagement with people who identify from the
  Black/African/Caribbean/Black British ethnic groups in safeguarding services is broadly in
  line with the population of that community in Leicester City
- **Recommendation:** It is necessary to maintain but not increase the level of engagement
  work with people whose ethnicity is Black/African/Caribbean/Black British in adult
  safeguarding awareness activities

#### Gender

- **Key finding 1:** There are no discernible issues in relation to the uptake of people in
  safeguarding services with regard to gender. Engagement broadly matches the gender
  distribution of the population of Leicester City
- **Recommendation:** There is no requirement for gender specific engagement activities

#### Primary support need

- **Key finding 1:** The increasing number of safeguarding alerts for people with Learning
  Disabilities suggests that awareness activities are having a positive effect on service
  engagement
- **Recommendation:** Interaction and awareness of safeguarding services for people with
  Learning Disabilities should be maintained but doesn't necessarily need to be increased
  further
- **Key finding 2:** There is a notable decline in the number of both alerts and enquiries for
  people experiencing mental health issues - in spite of documentary evidence that the
  incidence of people with mental health issues is increasing in Leicester City
- **Recommendation:** There needs to be some targeted engagement activity to address the
  imbalance of the level of engagement with people with mental health issues in adult
  safeguarding services
- **Key finding 3:** There is a significant increase in the number of safeguarding enquiries
  for people with personal support needs, whilst the number of alerts has declined. This would
  indicate that the information and awareness is better as more alerts convert to full
  enquiry.
- **Recommendation:** Continue to maintain current level of engagement with people with
  personal support needs. It is not necessary to increase engagement activity for this group
  of people
"""),
]  # fmt: skip

PERFORMANCE = "Performance Sub-Group"
ENGAGEMENT = "Engagement Sub-Group"
REVIEW = "Review Sub-Group"
TRAINING = "Training Sub-Group"
POLICY = "LLR Policy and Procedures Sub-Group"
AUDIT = "LLR Audit Sub-Group"
TRILOGY = "Trilogy of Risk Task and Finish Group"

GROUPS = [
    (Part.GROUPS, "", "How the sub-groups work", """\
The day to day work of Leicester Safeguarding Adults Board is carried out by its sub-groups
whose priorities are set out by the Board's three-year strategic plan and annual business
plan.

Leicester Safeguarding Adults Board is extremely fortunate that Board members from each of the
three statutory partners and a local user led organisation (Clinical Commissioning Group,
Leicestershire Police, Leicester City Council Adult Social Care, and Leicestershire Centre for
Integrated Living) chair four of the sub-groups of Leicester Safeguarding Adults Board. This
commitment from partners allows for a streamlined board structure with sub groups continuing
to have a large amount of autonomy. The other two sub-groups, which are shared with
Leicestershire and Rutland Safeguarding Adults Board, are chaired by Leicestershire Police and
Leicestershire County Council Adult Social Care on behalf of both Boards.
"""),
    (Part.GROUPS, PERFORMANCE, "What the Performance Sub-Group does", """\
Chaired by Leicester City Council's Director, Adult Social Care and Safeguarding, the
Performance Sub-Group reports directly to Leicester Safeguarding Adults Board and is
responsible for ensuring that the Board has a clear quality assurance framework.

It delivers a range of business as usual matters including the production of the annual
report, management of the performance data and intelligence, a programme of assurance
activity, and the production of an annual assurance statement.
"""),
    (Part.GROUPS, PERFORMANCE, "2017/18 business plan development objective 1", """\
*To ensure that the LSAB has regular information about quality, performance and effectiveness
and is therefore able to form a view on the level of assurance regarding safeguarding in
Leicester*

Leicester Safeguarding Adults Board's quality assurance framework details domains of quality
assurance that the Performance Sub-Group uses to test safeguarding effectiveness across the
partnership. Throughout 2017/18 the Performance Sub-Group requested, received and scrutinised
information outlined in the quality assurance framework (such as performance data,
performance narratives, complaints data, single and multi-agency audits, and training
information). It reported exceptions to the Board, whilst providing assurance that partner
agencies are delivering good quality services which keep people with needs for care and
support safe from harm and abuse.

In doing so the Performance Sub-Group met its first of three development objectives for
2017/18 to ensure that the Leicester Safeguarding Adults Board has regular information about
quality, performance and effectiveness and is therefore able to form a view on the level of
assurance regarding safeguarding in Leicester.
"""),
    (Part.GROUPS, PERFORMANCE, "2017/18 business plan development objective 2", """\
*Strengthen the quality assurance framework in relation to user and staff feedback by
improving the interface with the Engagement Sub-Group and the Training Sub-Group*

In line with its business plan development objective to strengthen the quality assurance
framework in relation to user and staff feedback, the Performance Sub-Group strengthened links
with both the Training and the Engagement Sub-Groups. It was agreed that where, for example,
partner data or narratives suggested a multi-agency training need, referrals would be sent to
the Training Sub-Group for consideration. The Performance Sub-Group and the Training Sub-Group
also worked together to develop a frontline staff survey to be conducted at multi-agency
training events organised by the Training Sub-Group, the results of which would be fed back
into the Performance Sub-Group as part of the quality assurance framework.
"""),
    (Part.GROUPS, PERFORMANCE, "2017/18 business plan development objective 3", """\
*To further strengthen the Quality Assurance Framework so that it explicitly relates to user
experience and outcomes.*

During 2017/18 Leicester Safeguarding Adults Board demonstrated its commitment to
strengthening user feedback by creating and recruiting to the post of Engagement Officer. As a
first step to strengthening the quality assurance framework in relation to user feedback, the
Engagement Officer was invited to become a member of the Performance Sub-Group. Subsequently
an Engagement Strategy was produced and signed off which compliments and supports the Quality
Assurance Framework in relating to user experience and outcomes.
"""),
    (Part.GROUPS, ENGAGEMENT, "What the Engagement Sub-Group does", """\
Chaired by Leicestershire Centre for Integrated Living's (LCiL) Chief Executive, the
Engagement Sub-Group is responsible for enabling Leicester Safeguarding Adults Board to
interface with and hear from people who use services, and the public. Its remit expanded in
2017/18 to include public engagement.

The Engagement Subgroup is central to Leicester Safeguarding Adults Board achieving its
developmental priorities outlined in its three-year strategic plan, including:

1. *Strengthening user and carer engagement: The LSAB is committed to learning from the
   experience of people who use services and their carers, including those who have directly
   experienced safeguarding issues. Whilst we have made good progress in this area we need to
   develop a sustainable and effective set of arrangements for engaging with users and
   carers. Understanding the impact of our work is felt to be critical to our assurance
   process as a board.*
2. *Raising awareness within our diverse communities: Leicester is a highly diverse city and
   it is vital that all of our communities are safeguarded. To deliver this effectively the
   LSAB needs to be assured that communities understand what abuse is, know how to respond
   where they are concerned about abuse and receive support that is relevant and appropriate
   to their circumstances. The data in the Annual Report (2016/17) suggests an
   underrepresentation of people from black and minority ethnic communities and therefore it
   is a priority for the LSAB to better understand and address any barriers to engaging well
   with these communities. This focus may change to consider other communities in future
   years.*

The Engagement Sub-Group's 2017/18 business plan developmental objectives were substantial and
board members were in agreement that to achieve these objectives and ensure meaningful and
sustainable engagement with communities and service users across Leicester, the post of
Engagement Officer should be created.
"""),
    (Part.GROUPS, ENGAGEMENT, "2017/18 business plan development objectives", """\
1. To review the terms of reference and ensure the broader remit is reflected.
2. To ensure that the wishes, feelings and aspirations of people who have been involved with
   safeguarding events and their carers are accurately and fairly represented.
3. To develop a sustainable approach to gathering additional qualitative feedback from people
   who have been involved with a safeguarding event.
4. To ensure an agreed public facing communications action plan that provides assurance that
   safeguarding messages are reaching all communities.
5. To develop the interface between users and the LSAB and its subgroups / task and finish
   groups, so that engagement is meaningful and has impact.
"""),
    (Part.GROUPS, ENGAGEMENT, "The engagement strategy", """\
During 2017/18 Leicester Safeguarding Adults Board created and recruited to the post of
Engagement Officer. The post holder swiftly developed a two-year engagement strategy and
delivery plan to support the Board in meeting its engagement related objectives.

Leicester Safeguarding Adults Board's ambitious engagement strategy 'sets out to put people at
the heart of adult safeguarding, the key agents for change and the architects of the future'.

The strategy is in four distinct but interrelated domains, building as a linear progression
from raising awareness to full empowerment. Each of these domains represents a key engagement
priority for the Board. The strategy outlines that:

- The Leicester Safeguarding Adults Board will provide clear and accurate information to build
  interest in and raise the **awareness** of Adult Safeguarding in Leicester.
- To ensure the Leicester Safeguarding Adults Board gains an understanding and insight into
  the community it serves it will provide opportunities for **involvement** and participation
  in its work.
- To maximise the authenticity and currency of its work the Leicester Safeguarding Adults
  Board will **collaborate** with and place the views and experiences of the citizens of
  Leicester at the heart of its service.
- To optimise sustainability and service resilience the Leicester Safeguarding Adults Board
  will prioritise the **empowerment** of the citizens of Leicester and wider stakeholders to
  be the driving force behind the future development of its work.

During 2017/18 the Engagement Sub-Group began implementing the engagement strategy. The group
began working on a public facing brand identity and developed the first of a series of
informative customer guides in clear, accessible and unambiguous language to promote
interest, demystify and challenge misconceptions. These will be launched in 2018/19. The group
also undertook a detailed analysis of safeguarding data by a range of measures including:
ethnicity, age, gender and primary support need in order to establish clarity around the
frequency, volume and proportion of safeguarding referrals from the residents of Leicester
City. This will provide baseline information from which to orientate our engagement
activities.
"""),
    (Part.GROUPS, REVIEW, "What the Review Sub-Group does", """\
Chaired by Leicestershire Police's Head of Serious Crime, the Review Sub-Group is responsible
for ensuring that Leicester Safeguarding Adults Board is compliant with its duties under the
Care Act 2014 to conduct safeguarding adults reviews, and ensuring that learning is
identified. It delivers a range of business as usual matters including the commissioning of
safeguarding adults reviews, domestic homicide reviews (on behalf of Safer Leicester
Partnership) and the oversight of action plans that arise from these reviews.
"""),
    (Part.GROUPS, REVIEW, "2017/18 business plan development objectives", """\
1. To strengthen the linkages with the Training Sub-group so that the process of moving from
   lessons identified to lessons learned is clear
2. To strengthen the linkages with the Performance Sub-group so that the assurance processes
   in place are able to pick up and give feedback on how well embedded change is in practice,
   as a result of SAR / DHR actions
3. To maintain and build on existing structures and relationship with Safer Leicester
   Partnership

In line with development objectives for 2017/18, the Review Sub-Group strengthened its links
with the Training Sub-Group. This included confirming that any multi-agency training
recommendations from safeguarding adults reviews would be passed on to the Training Sub-Group
to action, and that completed reviews would be passed on to the Training Sub-Group for
frontline staff awareness-raising, whilst single agency learning (related to training) would
be shared for information.

The Review Sub-Group also strengthened links with the Performance Sub-Group in relation to
safeguarding adults reviews. Having confirmed that both single and multi-agency
recommendations from reviews were complete, the Review Sub-Group reflected on the lessons
identified and requested assurance from the Performance Sub-Group that lessons had not only
been identified but had also been learnt and that the actions undertaken by partners had made
a difference. The interface between the Review Sub-Group and the Performance Sub-Group is key
to ensuring that safeguarding adults reviews undertaken are having a positive impact in
preventing future harm. This interface worked particularly well during 2017/18 and is a
positive step in keeping adults with needs for care and support living in Leicester safe from
abuse and neglect.

Throughout 2017/18 existing links with Safer Leicester Partnership were maintained. It was
recognised that there is a need to define the role and responsibilities of Leicester
Safeguarding Adults Board on behalf of Safer Leicester Partnership in relation to domestic
homicide reviews. This work will be progressed further throughout 2018/19.
"""),
    (Part.GROUPS, REVIEW, "Learning from other Safeguarding Adults Boards", """\
In addition to carrying out its core responsibilities of commissioning reviews and monitoring
single and multi-agency actions plans, the Review Sub-Group also spent time considering
learning from other Safeguarding Adults Boards nationally. These reviews included a case review
commissioned by Somerset Safeguarding Adults Board involving an individual with a head injury,
and a safeguarding adults review commissioned by Brighton Safeguarding Adults Board involving
the death of a homeless individual. Safeguarding leads were asked to consider whether the
learning should be applied locally, and to provide assurance where appropriate. Thematic
reviews which had been published during 2017/18 were also considered by the group, including
London ADASS thematic review of safeguarding adults reviews, and East Midlands Safeguarding
Adults Network thematic review of safeguarding adults reviews.
"""),
    (Part.GROUPS, TRAINING, "What the Training Sub-Group does", """\
Chaired by Leicester Clinical Commissioning Group's Designated Nurse Safeguarding Adults and
Children, the Training Sub-Group was a newly established group for 2017/18. Responsible for
ensuring that the workforce is engaged in and equipped to deliver safeguarding activity within
individual organisations and collectively, it delivers a range of business as usual matters
including the delivery of an annual training programme.
"""),
    (Part.GROUPS, TRAINING, "2017/18 business plan development objectives", """\
1. Establish the key knowledge gaps within frontline groups
2. Establish a multi-agency training and awareness programme in line with priority areas for
   learning
3. Review the LSAB competency framework and propose any developments

During 2018/19 the Training Sub-Group developed a frontline staff questionnaire to obtain
views regarding their safeguarding adults training needs. Training priorities from partners
were also collated with a view to establishing a multi-agency awareness programme that is in
line with priority areas for learning.

A draft training strategy was produced which incorporates these sources of information into a
matrix to be used when commissioning specialist / enhanced multi-agency training. This ensures
that Leicester Safeguarding Adults Board training and awareness programme remains focused on
our strategic priorities whilst also taking into account views of our partners and their
frontline staff.

During 2017/18 the Training Sub-Group strengthened its links with the Performance Sub-Group,
agreeing that the Training Sub-Group would maintain oversight of training performance across
the partnership and report into to the Performance Sub-Group via an exceptions report.

The Training Sub-Group also maintained close links with Leicester City Council Adult Social
Care, continuing to support the Mental Capacity Act forums for care providers across the city.
"""),
    (Part.GROUPS, TRAINING, "The Vulnerable Adults Risk Management (VARM) conference", """\
A key achievement for the Training Sub-Group was the Vulnerable Adults Risk Management (VARM)
conference arranged jointly with Leicestershire and Rutland Safeguarding Adults Board. Held to
re-launch the VARM guidance to partners across Leicester, Leicestershire and Rutland, the
event aimed to improve knowledge and awareness of the local VARM guidance as well as build
confidence in practitioners engaging with or chairing a VARM. The conference was held in
December 2017.

Finally, the Training Sub-Group began scoping a Leicester, Leicestershire and Rutland wide
review of the Competency Framework to ensure that it is up to date accessible to those who use
it. This work will be progressed throughout 2018/19.
"""),
    (Part.GROUPS, POLICY, "What the sub-group does and did in 2017/18", """\
Chaired by Leicestershire Police's Partnership Manager, the Leicester, Leicestershire and
Rutland (LLR) Policy and Procedures Sub-Group is a joint group between Leicester Safeguarding
Adults Board and Leicestershire and Rutland Safeguarding Adults Board. It drives the
development of procedures, and practice guidance, within safeguarding by identifying, scoping
and developing new initiatives in response to:

- Changes in legislation
- Government publications
- New research findings
- Recommendations from safeguarding adults reviews and other reviews/audits of practice
- Significant issues raised about the operation of current practice

During 2017/18 policies and procedures were reviewed and uploaded to the Multi Agency Policies
and Procedures (MAPP) which can be accessed at <http://www.llradultsafeguarding.co.uk>

Examples of the types of policies and procedures that have been updated during 2017/18
include: Section 42 Enquiries in Health Settings; Resolving Professional Disagreements; and
VARM (Vulnerable Adult Risk Management) Guidance.
"""),
    (Part.GROUPS, AUDIT, "What the sub-group does and did in 2017/18", """\
Chaired by Leicestershire County Council's Lead Practitioner for Safeguarding Adults, the
Leicester, Leicestershire and Rutland (LLR) Audit Sub-Group is a joint group between Leicester
Safeguarding Adults Board and Leicestershire and Rutland Safeguarding Adults Board. The Audit
Subgroup is responsible for conducting multi-agency safeguarding adult audits across
Leicester, Leicestershire and Rutland.

In May 2018 the Audit Group completed their 4th audit, focusing on Strategy Meetings and
Discussions within Safeguarding Adults enquiries. Previous audits have focused on Safeguarding
Adults Thresholds, Making Safeguarding Personal and Domestic Abuse. The next audit planned is
Vulnerable Adults Risk Management (VARM).

Learning from these audits is shared with both Leicester Safeguarding Adults Board and
Leicestershire and Rutland Safeguarding Adults Board via the Joint Executive, with learning
then being disseminated as appropriate across Leicester, Leicestershire and Rutland i.e. a copy
of the findings from the domestic abuse audit was shared with Leicester, Leicestershire and
Rutland's DVSA (Domestic Violence and Sexual Abuse) Ops Group.

The case file audit tool used by LLR Audit Sub-Group featured in the Local Government
Association (LGA), and Association of Directors of Adults Social Services (ADASS) publication
'*Making Safeguarding Personal For safeguarding adults boards*' published in November 2017.
"""),
]  # fmt: skip

TASK_AND_FINISH = [
    (Part.TASK_AND_FINISH, TRILOGY, "Trilogy of Risk (Complex Cases)", """\
Chaired by Leicestershire Police's DCI for Adult Safeguarding, the 2017/18 'Trilogy of Risk'
Task and Finish Group brought together partners from across both Safeguarding Children and
Safeguarding Adults Boards in Leicester, Leicestershire and Rutland. It focused on a joint
priority to highlight learning from serious case reviews, safeguarding adults reviews and
domestic homicide reviews which highlight how we need to understand that risk to children and
vulnerable adults may be increased if they are living in a household where mental health
difficulties, substance misuse problems and domestic abuse are found together.

An information pack has been developed which contains a poster, a leaflet, a PowerPoint
presentation, and an introductory video. These have been circulated to partners across the
Safeguarding Boards so that they can be utilised by managers, trainers, and leaders to raise
awareness and share key messages.
"""),
    (Part.TASK_AND_FINISH, TRILOGY, "The Trilogy of Risk poster, in words", """\
The poster is titled "Trilogy of Risk" and is shaped like a large number 3. It is divided into
several sections:

- **Know it:** three risk factors: alcohol or drug misuse, domestic abuse, and mental
  ill-health. If any of these are present, risks of harm and impact could be higher for
  children and vulnerable adults, and the ability of parents or caregivers could be lower.
- **Spot it:** how to identify risks, including trusting instincts, asking open questions,
  being curious, and looking for evidence of other forms of abuse.
- **Share it:** seek advice and support from managers or supervisors, contact other
  practitioners, and consider referrals to specialist services.
- **Remember:** act on concerns, be persistent, and make sure vulnerable people feel safe,
  respected, and listened to.
- **Who to contact:** a box for local contact details.
- **If there is an immediate or urgent risk, take action.**

At the bottom are the logos of the Safeguarding Children Boards and the Safeguarding Adults
Boards, with where to find the safeguarding adults and the safeguarding children procedures.
"""),
]  # fmt: skip

REVIEWS = [
    (Part.REVIEWS, "", "Safeguarding Adults Reviews under the Care Act 2014", """\
The legislation around what constitutes a safeguarding adults review is complex. Throughout
2017/18 Leicester Safeguarding Adults Board worked with partners to ensure a clear
understanding of the safeguarding adults review criteria and how to make a referral. As part
of this awareness-raising, a safeguarding adults review flowchart developed by Leicester
Safeguarding Adults Board was promoted, with the aim of clarifying under what circumstances a
review would be carried out. A simplified version of the flowchart, in words:

1. Does the individual have needs for care and support (whether or not the local authority
   was meeting any of those needs)? If not, the criteria for a safeguarding adults review are
   not met.
2. **Mandatory review:** the adult has died, or is still alive and has experienced serious
   abuse or neglect, abuse or neglect is known or suspected, and there is reasonable cause
   for concern about how the Board, its members or others worked together to safeguard the
   adult. The Board must arrange a review.
3. **Non-mandatory review:** in any other case involving an adult with needs for care and
   support, the Board may arrange a review.

If the criteria for a safeguarding adults review is not met (because the individual does not
have needs for care and support as defined in legislation) Leicester Safeguarding Adults Board
considers whether the criteria for a different type of review is met (i.e. a domestic homicide
review or a single agency review) and refers on as appropriate.

Where the criteria for a safeguarding adults review is met (whether it be mandatory or
non-mandatory) no one model is prescribed and in line with legislation the process for
undertaking a review is determined locally. In practice this means that a safeguarding adults
review commissioned by Leicester Safeguarding Adults Board could follow the traditional
serious case review model, or alternatively follow an action learning approach, result in a
multi-agency audit, or a desktop review. No one model is prescribed and the most appropriate
review methodology will be chosen to elicit the relevant learning for each individual review.

**This annual report must provide information about any safeguarding adults review that
Leicester Safeguarding Adults Board has arranged which is ongoing at the end of that year.**
"""),
    (Part.REVIEWS, "", "The review commissioned in 2017/18", """\
In January 2018 Leicester Safeguarding Adults Board commissioned a mandatory safeguarding
adults review following the death of an individual in Leicester with needs for care and
support. The purpose of this review is not to apportion blame, but to establish whether there
are lessons to be learned, with a view to informing and improving inter-agency working across
Leicester. Family have been consulted with, a learning event has been arranged for July 2018,
and findings will be published in our 2018/19 annual report.
"""),
    (Part.REVIEWS, "", "The review commissioned in 2016/17", """\
A safeguarding adults review was also commissioned in 2016/17 which was ongoing at the end of
2017/18. Details of this review were published in our 2016/17 annual report. The final report
is due to be presented to Board in July 2018 and in line with legislation, the findings will
be reported in our 2018/19 annual report, along with what the Safeguarding Adults Board has
done during that year to implement the findings. We would like to take this opportunity to
thank the family for their contribution to this review so far as well as their continued
patience whilst awaiting its conclusion.
"""),
    (Part.REVIEWS, "", "Referrals and outcomes in 2017/18", """\
During 2017/18 Leicester Safeguarding Adults Board received five referrals for safeguarding
adults reviews. In the majority of cases an initial trawl of information was carried out
across the partnership prior to making a decision. Of the five referrals received, one
mandatory review was commissioned during 2017/18. Details of all referrals and outcomes during
2017/18 can be found in the table below.
"""),
]  # fmt: skip

STATEMENTS_INTRO = [
    (Part.STATEMENTS, "", "About the partner statements", """\
Each member organisation of Leicester Safeguarding Adults Board was asked what it did in
2017/18 to implement the Board's strategy. Their statements follow as they submitted them:
the statutory partners first.
"""),
]  # fmt: skip

SECTIONS = WHO_WE_ARE + DATA + GROUPS + TASK_AND_FINISH + REVIEWS + STATEMENTS_INTRO

# --- Partner statements, by organisation ---------------------------------------------------

LCC = "Leicester City Council"
CCG = "Leicester City Clinical Commissioning Group"
POLICE = "Leicestershire Police"
UHL = "University Hospitals of Leicester NHS Trust"
LPT = "Leicestershire Partnership NHS Trust"
LFRS = "Leicestershire Fire and Rescue Service"
HEALTHWATCH = "Healthwatch Leicester"
EMAS = "East Midlands Ambulance Service NHS Trust"
NPS = "National Probation Service"
CRC = "Derbyshire, Leicestershire, Nottinghamshire and Rutland Community Rehabilitation Company"
HMP = "HMP Leicester"
LCIL = "Leicestershire Centre for Integrated Living"
EM_CARE = "East Midlands Care"
CQC = "Care Quality Commission"
NHSE = "NHS England"

STATEMENTS = {
    LCC: """\
#### Adult Social Care

Our strategic priorities reflect that safeguarding is core to our function:

***Strategic Priority 1: We will work with partners to protect adults who need care and
support from harm and abuse.***

Within the year our Annual Operating Plan has guided work to promote effective safeguarding
practice and deliver this strategic priority. Specific actions have included:

- A review of the safeguarding pathway and changes to improve reporting and management of
  safeguarding / quality alerts
- Progress on Making Safeguarding Personal including the adoption of East Midlands Regional
  Benchmarking measures
- Improvements to LiquidLogic (case management system) to enable accurate recording
- Evaluation of the audit outcomes
- Commissioning of a new care safeguarding training package
- Review of Vulnerable Adult Risk Management process with partners
- Audit programme to test quality of casework
- Strengthened procurement - tender requirements to measure bidders' safeguarding awareness /
  policy and practice as part of selection process.
- Strengthened contract monitoring through the Quality Assurance Framework process for
  contracted providers

Our Principal Social Worker (and lead professional for safeguarding) has worked closely with
both the PSW for Children's and her equivalents in LLR to develop practice. E.g., work to
support Multi-Agency Risk Assessment Conference (MARAC) process and in ensuring improved s42
oversight arrangements.

There has been a strong focus on getting basics right in practice - including risk
assessment, mental capacity decision making and a strength based approach.

Workforce confidence has been improved and this has been evidenced through feedback from:

- MyTime Peer Review
- Sector Led Improvement Peer Review
- Healthy Workplace Survey
- Employee Engagement Survey
- Annual Health Check

A new Learning and Development Manager post was agreed, to provide additional capacity for
training and development within Adult Social Care.

The Head of Safeguarding addressed specific safeguarding training needs within Shared Lives,
following a learning process; work was also completed with the new Enablement Service to
develop policies and procedures.

Work has progressed with wider council colleagues to develop a corporate approach to self-harm
and suicide concerns; this follows the increasing incidents of expressed self-harm intent, in
part felt to be linked to increased social and economic pressures from welfare reforms.

Two directly provided services (Reablement / Integrated Crisis Response Service) were
inspected by CQC and received strong GOOD outcomes with outstanding features.

The Strategic Priorities for 2018/19 have been reconfirmed and new set of actions agreed to
continue to support effective safeguarding practice.

The Persons in Position of Trust guidance has been developed, agreed and adopted across LLR.

Adult Social Care staff have been engaged in the work of the board, attended
multi-professional training and senior officers have supported the board and its sub-groups,
contributing to the partnership arrangements in place.
""",
    CCG: """\
Leicester City Clinical Commissioning Group (CCG) is committed to the promotion of
safeguarding adults, supporting the work of the safeguarding board and to support staff and
partners to undertake their safeguarding responsibilities.

In 2017/18 the CCG demonstrated their support to the promotion of the adult safeguarding
agenda by increasing the Adult Safeguarding and Mental Capacity Act component of a Designated
Nurse role with a view to ensuring the voice of the Adult at risk is more equitably represented
in its work.

In order to promote and support adult safeguarding practice, activity takes place year round.

We have strengthened internal and external processes to support care homes where care may have
fallen below the expected standard.

In attempt to increase the knowledge of adult safeguarding within our future workforce,
safeguarding adults training is provided to pre-registration nursing students - this includes
raising awareness of board procedures and elements of board work.

We have worked with GP practices to improve safeguarding adult understanding and provide
support to GPs, CCG and external staff with regard to management of complex cases.

Relevant policies have been reviewed and amended.

Systems to ensure adult safeguarding is integral to our procurement processes have been
enhanced and safeguarding adults is also a prominent feature in our processes for seeking
assurance regarding quality of care from providers of commissioned services.

In addition to the production of the Domestic Violence and Abuse Policy that has been
disseminated to all GP Practices across Leicester City, UAVA have been commissioned by the CCG
to deliver Managing Disclosures of Domestic Abuse briefings to all GP Safeguarding Leads. UAVA
have also provided Train the Trainer sessions to all members of the CCG Safeguarding Team to
enable the team to continue to deliver the Domestic Abuse briefing sessions to GP's once UAVA
have delivered their CCG 6 commissioned sessions.

The CCG undertakes work on an ongoing basis to promote the work of the LSAB.

The Safeguarding Team led the arrangements for the Safeguarding Health Network- a quarterly
meeting of safeguarding leads from all of the CCG commissioned services. During Q3 and Q4 two
meetings have taken place: discussions included the pending changes in DoLS legislation and
the delivery of the NHSE highlight report for adults safeguarding.

- Leicester Safeguarding Children Board / Safeguarding Adults Board information has been
  cascaded to the Safeguarding Health Network that includes NHS and Non NHS Providers.

Messages from Adult Serious Case Reviews and Domestic Homicide Reviews have been cascaded to
GP's via the Primary Care Safeguarding Children Quality Markers Tool (SCQM).

The CCGs commitment to safeguarding and working in partnership will continue into 2018/19
""",
    POLICE: """\
#### Adults at risk

We have continued to raise the understanding of adults at risk by our frontline staff through
training and communication strategies. This has resulted in an 8% increase in AAR referrals
to 14,000 in 2017/2018

HMIC said:

> "The force is fully committed to identifying and helping vulnerable people. It now works
> even more effectively with partner organisations. This helps it to get a co-ordinated view
> of the number of vulnerable people in the local community and of the needs which these
> people have. Officers and staff recognise when people are at risk of harm, and the force
> provides a comprehensive range of services to deal with the effects of mental ill-health,
> particularly through the work of the proactive vulnerability engagement (PAVE) team."

#### Domestic abuse

We view the increased reporting of Domestic Abuse as positive rising by 12.5% in 2017/18 to
18,000 incidents. This increased demand does create capacity issues with a reduced workforce.
We utilise a range of tactical options to resolve situations including domestic violence
prevention orders (increase of 41%), disclosures under Claire's Law, as well as supporting
victims to arrange their own preventative orders.

We take a lead role in multi-agency working both tactically through MARAC and strategically
through the Domestic and Sexual Violence and abuse Executive and Operations group. We have
worked with partners to create a, Vision, Strategic Objectives, recommendations and a delivery
plan, all derived from the Joint Strategic Needs Assessment.

Improvements in how the force deals with domestic abuse have been recognised; the force has
had two "Good" inspections from HMIC:

> "Victims of domestic abuse now receive a better service from the force. This is because the
> force works more closely with partner organisations, has more staff who have been trained to
> carry out safeguarding, and because there are more frequent multi-agency meetings to
> consider high-risk cases. Joint work between the force and other organisations has resulted
> in an exemplary sexual assault referral centre (SARC). The centre offers comprehensive
> professional support to victims of sexual assault."

#### VAWG and Safeguarding Hub project

Funding from the Home Office Violence Against Women and Girls Strategy, is enabling us,
together with partners, to make improvements to MARAC and the Domestic Abuse Support Team. The
Force has embarked upon a project to create a single Safeguarding hub. This will create a
holistic process which reviews, researches and assigns an appropriate response which is better
able to deal with the complex needs of service users. Although this will start as
predominately a Police capability, we are working with partners to exploit opportunities to
work together so that our collective offer is more effective and efficient for the user.
""",
    UHL: """\
- We successfully introduced a hospital 'independent domestic violence advisor' (IDVA) into
  the Emergency Department at the Leicester Royal Infirmary. The IDVA has been instrumental in
  supporting the team to secure refuge for a woman who had no recourse to public funds due to
  her circumstances. The IDVA has also ensured that a number of patients have received
  specialist domestic abuse support before leaving the department.
- We transferred all of our safeguarding records for maternity, children and adults onto an
  electronic database to ensure data is kept in one place. This means that the team have ready
  access to cases and information, to enable us to cross reference information that the Trust
  holds on safeguarding concerns
- We delivered accredited PREVENT WRAP training to over 7475 staff as part of a plan to train
  87.9% of clinical staff by April 2018, as part of our NHS England contractual requirements
- We embedded the principles of Making Safeguarding Personal into the core business of adult
  safeguarding. This means that the adult safeguarding nurses can ensure the wishes of the
  adult are central to our investigations.
- We have worked with safeguarding partner agencies to complete 5 multi-agency audits.
- We have promoted the use of the NHS England Safeguarding App. This means that staff using the
  App have immediate access to consistent information about safeguarding and the wider agenda
  such as Mental Capacity Act.
- We have worked with local authority partners to review the system for undertaking internal
  safeguarding adult investigations, and to provide assurance that this is compliant with the
  Care Act. This means that we have good arrangements in place to appropriately investigate
  adult safeguarding concerns which occur within the Trust, and that we can demonstrate lessons
  identified and learned.
""",
    LFRS: """\
2017/18 has seen significant improvements in the way we work with partners and target our
activities at the most vulnerable people.

Referrals for Home Fire Safety Checks are now triaged according to risk information provided
by partner agencies, so we can respond quickly to those people most in need. The main role of
the Community Safety team is to manage high fire risk cases, and work with the occupant and
relevant agencies to reduce the risk of fire. In cases when there is a direct threat of arson
we visit the property the same day.

We now have a designated adult safeguarding coordinator who triages and follows up
safeguarding concerns. Cases are predominantly related to neglect or self-neglect, often in
association with fire risks and concerns about health and well-being. The co-ordinator is
based within the police adult referral team, which facilitates information sharing and more
efficient partnership working. We conduct joint home visits with partners and regularly
contribute to Vulnerable Adult Risk Management (VARM) meetings to support high-risk cases.

Our Community Safety staff attend relevant multi agency training and contribute to the
training programme. We offer training to front line staff in partner agencies (e.g.
domiciliary carers, adult social care, and police) on identifying and reporting fire safety.
All our public-facing staff have received safeguarding awareness training and individual teams
receive further training relevant to their role. For example, our Fire Safety Officers (who
carry out inspections of businesses) requested training on modern slavery.

Over the last 12 months LFRS has continued to work with hoarders and has contributed to
hoarding and self-neglect workshops both locally and nationally.

Following serious fires we always offer a 'Post Incident Response' to help reassure the local
community and offer fire safety information and home checks to neighbouring properties. Our
fire station managers attend district community safety partnership meetings, in order to work
together to reduce those risks to the community and to individuals.

We have continued to lead on the very successful Braunstone Blues project. This partnership
between fire, police and ambulance aims to reduce 999 calls in the Braunstone area, through
proactive work such as carrying out 'safe and well' visits to homes on the estate, sometimes
working with people over long periods to improve their health and well-being.
""",
    NPS: """\
The National Probation Service in Leicester, Leicestershire and Rutland (NPS LLR) places adult
safeguarding at the heart of our practice, both in relation to preventing further victims and
in our work with offenders. Adult safeguarding also remains a key consideration of the work of
Multi-Agency Public Protection Arrangements (MAPPA) and, as such, our work in partnership with
both statutory and duty-to-cooperate partners continues to make a significant contribution to
the management of those cases where safeguarding is an issue.

The core adult safeguarding e-learning is completed by all staff at all grades. It is a
requirement for new staff to complete within their probationary period, and is refreshed every
3 years across the whole staff group. For front line staff, this is followed by a face to face
learning event. Additional learning opportunities across the county are offered to staff as
they become available, together with internal reflective practice sessions and line
management supervision, in which safeguarding issues are reviewed, and guidance and oversight
provided.

NPS LLR gives consideration to the care and support needs of offenders in the community
(including pre and post-custody) and work in partnership with offenders and local authorities
where such needs exist. Every offender supervised by NPS LLR has a full OASys assessment
completed, identifying risks posed by and to the offender. An ongoing dialogue takes place
between the Offender Manager and the offender in relation to issues of known vulnerabilities.
Action is then taken in response to this and recorded appropriately. Every offender is
encouraged and supported to complete a self-assessment questionnaire which provides a further
opportunity to identify adult safeguarding issues.

Operational managers complete quality assurance audits on risk management and sentence plans
to ensure oversight of practice capability amongst our staff, with identification and action
in relation to safeguarding issues forming a key part of these quality assurance audits. These
audits are due to increase in frequency over the year ahead, together with a planned
inspection by Her Majesty's Inspectorate of Probation.

At a senior management level, NPS LLR continue to engage positively with the Safeguarding
Adults Boards, contributing to the Review Sub Group and Domestic Homicide Reviews. Learning is
shared with staff across NPS LLR in written format and in team briefings, together with
divisional and national learning from Serious Further Offence reviews.

NPS LLR remain committed to delivering a quality service, and learning from our practice and
partnerships.
""",
    LPT: """\
Safeguarding is at the heart of what we do for the service users and staff of Leicestershire
Partnership NHS Trust (LPT). Many of our service users have experienced abuse of some kind, or
may be at risk of experiencing abuse either now or in the future. Few of these service users
exist in isolation, which is why in 2017 LPT have continued to build on the work to adopted a
'Whole Family' approach to safeguarding, including moving to a position of a Whole Family
safeguarding team instead of separate Adult and Children team.

Training and information for staff has been adapted in relation to Individual and
organisational responsibilities and in line with promoting a Whole family approach. Likewise,
LPT has continued to work towards improving health outcomes for Looked after Children (LAC)
and supporting the Child Death Overview Process (CDOP).

The PREVENT Statutory Duty was introduced in 2015, placing specific statutory obligations on
health organisations and other partners to support the protection of individuals vulnerable to
exploitation by extremist groups. Moving forward LPT will have a Prevent Lead and Prevent
co-ordinator as part of the Whole Family Safeguarding Team, who will ensure compliance with
statutory responsibilities including training delivery.

Given the vulnerabilities of those we work with in LPT, we must continue to focus on 'Early
Help' and Prevention and lesson learning in 2017-18 in order to prevent the risk of Abuse to
Vulnerable Adults and Children in contact with LPT services.

LPT is closely monitored in relation to safeguarding activity both internally and externally
to ensure the organisation is compliant with statutory requirements placed upon health
organisations.
""",
    CRC: """\
Derbyshire, Leicestershire, Nottinghamshire & Rutland Community Rehabilitation Company (DLNR
CRC) is responsible for the supervision of low and medium risk of harm adult offenders, the
provision of a range of rehabilitative interventions for CRC and National Probation Service
(NPS) cases and the delivery of 'Through the Gate' (TTG) services in Resettlement Prisons. This
work involves working with adult offenders who are both perpetrators of abusive behaviour and
individuals who present with multiple vulnerabilities

Safeguarding is a core statutory function of DLNR CRC. Risk assessment and risk management is
one of its key activities, driving all its activities with service users. Safeguarding
considerations are considered within assessment and risk management plans at all stages. DLNR
CRC use specialist risk assessment tools such as Offender Assessment System (OASys) and
Spousal Assault Risk Assessment (SARA) to support defensive decision making across all areas
of risk. All operational staff are trained in safeguarding as part of their core training and
DLNR CRC has a competency framework to ensure that all cases are allocated to appropriately
trained staff on the basis of identified risk and need.

DLNR CRC work with a significant number of cases that are perpetrators of domestic abuse. All
our case managers are specifically trained for this work and we also deliver two programmes
dependent upon risk and need. These programmes are called Building Better Relationships
Programme and Safer Choices respectively. In all this work we also employ partner link workers
to provide support to victims of abuse through linking them with local specialist agencies.
DLNR CRC are a key participating partner in local Multi-Agency Risk Assessment Conference
(MARAC) arrangements. We have established protocols for the exchange of information to
support decision making and also attend all MARAC's with listed cases.

DLNR CRC recognise that abuse can also occur in other contexts and across other
vulnerabilities. DLNR CRC is committed to working with its adult social care, substance
misuse, housing and health partners from both the statutory and voluntary sector to support a
joined up approach to prevent and reduce the escalation of abuse.

DLNR has quality assurance mechanisms to support the maintenance of effective practice
standards. All team managers within DLNR CRC attend 'Quality Days' on a monthly basis during
which case records are sampled and quality assured. DLNR CRC also have an Internal Audit team
who undertakes themed audits across DLNR. DLNR CRC are also subject to audits through Her
Majesty's Prison & Probation Service (HMPPS) contract management team and HM Inspectorate of
Probation (HMIP).
""",
    # Written for the demo (the seed has no statement from these members), from what the
    # seed says about them elsewhere.
    HEALTHWATCH: """\
Healthwatch Leicester is the independent voice of people who use health and social care
services in the city, and a member of the Board throughout 2017/18.

We welcomed the Board's commitment to service user engagement: the new post of Engagement
Officer, and the engagement strategy for 2018 to 2020, which sets out to put people at the
heart of adult safeguarding. We shared what people told us about their care with the Board,
and we look forward to supporting the Ambassadors' Network and the 'Safer Together' campaign
in 2018/19.
""",
    EMAS: """\
East Midlands Ambulance Service crews are often the first professionals to see an adult at
risk in their own home. In 2017/18 our staff continued to raise safeguarding concerns for
adults with needs for care and support, and we took part in the Board's work and its
sub-groups.

With Leicestershire Fire and Rescue Service and Leicestershire Police we continued the
Braunstone Blues project, which aims to reduce 999 calls in the Braunstone area through
proactive 'safe and well' visits to homes on the estate. Our staff attended the Vulnerable
Adults Risk Management (VARM) conference held to re-launch the VARM guidance across
Leicester, Leicestershire and Rutland.
""",
    HMP: """\
HMP Leicester took part in the Board as a member throughout 2017/18. We work with Leicester
City Council Adult Social Care so that prisoners with needs for care and support are assessed
and supported, and with the National Probation Service and the Community Rehabilitation
Company, whose 'Through the Gate' services support people leaving custody.

Our staff were made aware of the Board's multi-agency policies and procedures, including the
revised Vulnerable Adults Risk Management (VARM) guidance, and safeguarding concerns about
prisoners are raised and followed up with our partners.
""",
    LCIL: """\
Leicestershire Centre for Integrated Living (LCiL) is a user led organisation. Our Chief
Executive chairs the Board's Engagement Sub-Group, whose remit expanded in 2017/18 to include
public engagement.

In 2017/18 we supported the creation of the post of Engagement Officer and the Board's
two-year engagement strategy, which builds from raising awareness to full empowerment. Through
the Engagement Sub-Group we began work on a public facing brand identity and the first of a
series of customer guides in clear, accessible language, to be launched in 2018/19, and
undertook the analysis of safeguarding data by ethnicity, age, gender and primary support need
that will guide the Board's engagement activities.
""",
    EM_CARE: """\
East Midlands Care represents care providers on the Board. In 2017/18 providers across the city
took part in the Mental Capacity Act forums for care providers, supported by the Training
Sub-Group and Leicester City Council Adult Social Care, and attended the Vulnerable Adults Risk
Management (VARM) conference.

We worked with commissioners and the Board's partners where the care a provider gave fell below
the expected standard, taking part in the multi-agency improvement processes that make sure
the improvements needed are made.
""",
    CQC: """\
The Care Quality Commission regulates and inspects health and adult social care services in
Leicester, and was a member of the Board throughout 2017/18.

We shared information with the Board's partners about providers where we had concerns about
the safety of care, and took part in multi-agency improvement processes to make sure the
improvements needed by independent sector care providers were made. Our inspections in
2017/18 included two of Leicester City Council's directly provided services, Reablement and the
Integrated Crisis Response Service, which were rated Good with outstanding features.
""",
    NHSE: """\
NHS England took part in the Board as a member throughout 2017/18, seeking assurance about
adult safeguarding in the NHS services it commissions and through Leicester City Clinical
Commissioning Group.

We promoted the NHS England Safeguarding App, which gives staff immediate access to consistent
information about safeguarding and the Mental Capacity Act; set the PREVENT training
requirements in NHS contracts; and received the highlight report for adults safeguarding that
the CCG's Safeguarding Health Network discussed.
""",
}
WRITTEN_FOR_DEMO = (HEALTHWATCH, EMAS, HMP, LCIL, EM_CARE, CQC, NHSE)
# A member added to the demo later, with no statement above.
DEFAULT_STATEMENT = (
    "{name} was a member of Leicester Safeguarding Adults Board throughout 2017/18, took part "
    "in its work and shared the Board's policies, procedures and learning with its staff."
)
STATEMENT_DUE = D(2018, 5, 4)

# --- Section 42 figures --------------------------------------------------------------------

# Invented for the demo: the seed report's charts give no numbers. Plausible for a city of
# about 330,000 people, following the seed's key findings (alerts falling under 75 while
# enquiries rise, more alerts for people with learning disabilities, fewer for mental
# health), with some counts of 1 to 4 so the public report shows "fewer than 5". SG1 tables
# count individuals (concerns and Section 42 enquiries), SG2 and SG4 concluded enquiries.
# (dimension, category, 2017/18 (concerns, section 42), 2016/17 (concerns, section 42))
FIGURES = [
    (Dimension.TOTALS, "Total Safeguarding Concerns", (2430, None), (2560, None)),
    (Dimension.TOTALS, "Total Section 42 Enquiries", (None, 790), (None, 705)),
    (Dimension.GENDER, "Male", (930, 318), (968, 282)),
    (Dimension.GENDER, "Female", (1252, 425), (1266, 387)),
    (Dimension.GENDER, "Not Known", (8, 2), (11, 3)),
    (Dimension.AGE_BAND, "18-64", (820, 262), (905, 245)),
    (Dimension.AGE_BAND, "65-74", (290, 95), (310, 90)),
    (Dimension.AGE_BAND, "75-84", (520, 180), (500, 165)),
    (Dimension.AGE_BAND, "85-94", (480, 178), (455, 150)),
    (Dimension.AGE_BAND, "95+", (68, 27), (60, 20)),
    (Dimension.AGE_BAND, "Age unknown", (12, 3), (15, 2)),
    (Dimension.ETHNICITY, "White", (1520, 512), (1495, 470)),
    (Dimension.ETHNICITY, "Mixed / Multiple", (38, 11), (40, 10)),
    (Dimension.ETHNICITY, "Asian / Asian British", (452, 160), (520, 140)),
    (Dimension.ETHNICITY, "Black / African / Caribbean / Black British", (118, 41), (120, 36)),
    (Dimension.ETHNICITY, "Other Ethnic Group", (22, 9), (24, 7)),
    (Dimension.ETHNICITY, "Refused", (3, 1), (4, 2)),
    (Dimension.ETHNICITY, "Undeclared / Not Known", (37, 11), (42, 7)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Physical Support", (980, 352), (1010, 315)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Sensory Support", (46, 14), (50, 12)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Support with Memory and Cognition", (290, 108),
     (285, 100)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Learning Disability Support", (265, 92), (230, 80)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Mental Health Support", (310, 88), (345, 97)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Social Support", (74, 31), (80, 28)),
    (Dimension.PRIMARY_SUPPORT_REASON, "No Support Reason", (125, 38), (130, 30)),
    (Dimension.PRIMARY_SUPPORT_REASON, "Not Known", (100, 22), (115, 10)),
    (Dimension.TYPE_OF_RISK, "Physical Abuse", (None, 168), (None, 160)),
    (Dimension.TYPE_OF_RISK, "Sexual Abuse", (None, 31), (None, 28)),
    (Dimension.TYPE_OF_RISK, "Psychological Abuse", (None, 112), (None, 98)),
    (Dimension.TYPE_OF_RISK, "Financial or Material Abuse", (None, 146), (None, 139)),
    (Dimension.TYPE_OF_RISK, "Discriminatory Abuse", (None, 3), (None, 4)),
    (Dimension.TYPE_OF_RISK, "Organisational Abuse", (None, 27), (None, 35)),
    (Dimension.TYPE_OF_RISK, "Neglect and Acts of Omission", (None, 265), (None, 240)),
    (Dimension.TYPE_OF_RISK, "Domestic Abuse", (None, 58), (None, 41)),
    (Dimension.TYPE_OF_RISK, "Sexual Exploitation", (None, 2), (None, 0)),
    (Dimension.TYPE_OF_RISK, "Modern Slavery", (None, 1), (None, 2)),
    (Dimension.TYPE_OF_RISK, "Self-Neglect", (None, 74), (None, 52)),
    (Dimension.RISK_OUTCOME, "Risk identified and action taken", (None, 402), (None, 348)),
    (Dimension.RISK_OUTCOME, "Risk identified and no action taken", (None, 31), (None, 35)),
    (Dimension.RISK_OUTCOME, "Risk assessment inconclusive and action taken", (None, 88),
     (None, 80)),
    (Dimension.RISK_OUTCOME, "Risk assessment inconclusive and no action taken", (None, 24),
     (None, 27)),
    (Dimension.RISK_OUTCOME, "No risk identified and action taken", (None, 46), (None, 41)),
    (Dimension.RISK_OUTCOME, "No risk identified and no action taken", (None, 139), (None, 125)),
    (Dimension.RISK_OUTCOME, "Enquiry ceased at individual's request and no action taken",
     (None, 38), (None, 34)),
    (Dimension.MSP_ASKED, "Yes, they were asked and outcomes were expressed", (None, 552),
     (None, 455)),
    (Dimension.MSP_ASKED, "Yes, they were asked but no outcomes were expressed", (None, 96),
     (None, 88)),
    (Dimension.MSP_ASKED, "No", (None, 71), (None, 92)),
    (Dimension.MSP_ASKED, "Don't Know", (None, 45), (None, 51)),
    (Dimension.MSP_ASKED, "Not Recorded", (None, 4), (None, 4)),
    (Dimension.MSP_ACHIEVED, "Fully Achieved", (None, 361), (None, 280)),
    (Dimension.MSP_ACHIEVED, "Partially Achieved", (None, 164), (None, 142)),
    (Dimension.MSP_ACHIEVED, "Not Achieved", (None, 27), (None, 33)),
]  # fmt: skip
# Other enquiries (section 42(1) not met, made at the council's discretion), in the totals.
OTHER_ENQUIRIES = {YEAR: 58, YEAR - 1: 41}

# --- The copies sent (Schedule 2 paragraph 4(2)) -------------------------------------------

Recipient, Method = DistributionRecord.Recipient, DistributionRecord.Method
DISTRIBUTION = [
    (Recipient.LA_CHIEF_EXECUTIVE, "Chief Executive, Leicester City Council", D(2018, 7, 2),
     Method.EMAIL),
    (Recipient.LA_LEADER, "The City Mayor of Leicester", D(2018, 7, 2), Method.EMAIL),
    (Recipient.POLICING_BODY, "Leicestershire Police and Crime Commissioner", D(2018, 7, 3),
     Method.EMAIL),
    (Recipient.HEALTHWATCH, "Healthwatch Leicester", D(2018, 7, 3), Method.EMAIL),
    (Recipient.HWB_CHAIR, "Chair of the Leicester Health and Wellbeing Board", D(2018, 7, 19),
     Method.MEETING),
]  # fmt: skip

# --- The year's records the report is built from -------------------------------------------

PLAN_TITLE = "Business Plan 2017/18"
STRATEGIC_TITLE = "Strategic Plan 2017-2020"
STRATEGIC_PLAN = {
    "first_year": 2017,
    "last_year": 2019,
    "vision": "Adults in Leicester with needs for care and support are helped and protected "
    "from abuse and neglect, by partners who work together and learn from what goes wrong.",
    "principles": "The six principles of adult safeguarding: empowerment, prevention, "
    "proportionality, protection, partnership and accountability.",
    "status": PlanStatus.APPROVED,
    "approved_on": D(2017, 3, 22),
}
# The two developmental priorities the seed quotes (section 6, the Engagement Sub-Group).
STRATEGIC_PRIORITIES = [
    (1, "Strengthening user and carer engagement",
     "The LSAB is committed to learning from the experience of people who use services and "
     "their carers, including those who have directly experienced safeguarding issues.",
     [Principle.EMPOWERMENT, Principle.ACCOUNTABILITY]),
    (2, "Raising awareness within our diverse communities",
     "Leicester is a highly diverse city and it is vital that all of our communities are "
     "safeguarded: communities understand what abuse is, know how to respond where they are "
     "concerned about abuse and receive support that is relevant and appropriate.",
     [Principle.PREVENTION, Principle.PARTNERSHIP]),
]  # fmt: skip
# Invented for the demo: whom the Board consulted on the plan (Care Act Sch 2 para 3).
Consultee = ConsultationRecord.Consultee
CONSULTATIONS = [
    (Consultee.LOCAL_HEALTHWATCH, "Healthwatch Leicester", D(2017, 1, 18),
     "Asked that the plan say how the Board will hear from people who have been through "
     "safeguarding.",
     "Strengthening user and carer engagement became a developmental priority."),
    (Consultee.COMMUNITY, "Community groups across the city, with Leicestershire Centre for "
     "Integrated Living's members", D(2017, 2, 8),
     "People asked for information about abuse in plain language and in community languages.",
     "Raising awareness within our diverse communities became a developmental priority."),
]  # fmt: skip

# Q4 2017/18: (priority ref, rating, what the delivery group reported).
RATINGS = [
    ("1", Rag.GREEN,
     "The Performance Sub-Group met its three development objectives: the quality assurance "
     "framework is in use, linked to the Training and Engagement Sub-Groups, and the Engagement "
     "Officer sits on the sub-group."),
    ("2", Rag.GREEN,
     "The Engagement Officer is in post and the engagement strategy for 2018 to 2020 is agreed; "
     "the customer guides launch in 2018/19."),
    ("3", Rag.AMBER,
     "Links with the Training and Performance Sub-Groups are in place. The review commissioned "
     "in 2016/17 reports in July 2018, and the Board's role in domestic homicide reviews is to "
     "be agreed with Safer Leicester Partnership in 2018/19."),
]  # fmt: skip

# The board representatives the demo has no one for, who attended the Board's meetings:
# (organisation, name, job title). Invented for the demo.
REPRESENTATIVES = [
    (LFRS, "Kate Morris", "Adult Safeguarding Coordinator"),
    (EMAS, "Nadeem Hussain", "Safeguarding Lead"),
    (NPS, "Gill Turner", "Head of Leicester, Leicestershire and Rutland"),
    (CRC, "Paul Simmons", "Head of Service"),
    (HMP, "Andy Price", "Head of Safer Custody"),
    (EM_CARE, "Lisa Grant", "Registered Manager"),
    (CQC, "Rachel Owen", "Inspection Manager"),
    (NHSE, "David Shaw", "Head of Quality and Safeguarding"),
]
TRILOGY_CHAIR = ("Sarah Cole", "DCI for Adult Safeguarding", POLICE)
BOARD_GROUP = "Leicester Safeguarding Adults Board"
# The meetings each group held in 2017/18 (the board's every quarter).
MEETINGS = {
    BOARD_GROUP: [D(2017, 6, 21), D(2017, 9, 20), D(2017, 12, 13), D(2018, 3, 21)],
    PERFORMANCE: [D(2017, 5, 10), D(2017, 8, 9), D(2017, 11, 8), D(2018, 2, 7)],
    ENGAGEMENT: [D(2017, 5, 17), D(2017, 8, 16), D(2017, 11, 15), D(2018, 2, 14)],
    REVIEW: [D(2017, 4, 26), D(2017, 7, 11), D(2017, 10, 25), D(2017, 12, 19), D(2018, 1, 10)],
    TRAINING: [D(2017, 5, 24), D(2017, 8, 23), D(2017, 11, 22), D(2018, 2, 21)],
    "LLR Joint Executive Group": [D(2017, 7, 5), D(2018, 1, 17)],
    POLICY: [D(2017, 6, 7), D(2017, 9, 6), D(2017, 12, 6), D(2018, 3, 7)],
    AUDIT: [D(2017, 6, 14), D(2017, 10, 4), D(2018, 1, 24)],
    TRILOGY: [D(2017, 6, 28), D(2017, 10, 18), D(2018, 1, 31)],
}
MEETING_SUMMARY = "Standing items: action log, exceptions report, risks."


# --- Seeding -------------------------------------------------------------------------------


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _saved(record):
    record.full_clean()
    record.save()
    return record


def _person(board: Board, name: str, title: str, organisation: str) -> Person:
    person = Person.objects.filter(name=name).first()
    if person is None:
        person = _saved(
            Person(
                name=name, job_title=title, organisation=Organisation.objects.get(name=organisation)
            )
        )
    if not person.boards.filter(pk=board.pk).exists():
        person.boards.add(board)
    return person


def _trilogy_chair(board: Board) -> None:
    """The 2017/18 task and finish group's chair, for its term (the group ended with it)."""
    group = Group.objects.filter(name=TRILOGY).first()
    if group is None or group.memberships.filter(role=GroupMembership.Role.CHAIR).exists():
        return
    person = _person(board, *TRILOGY_CHAIR)
    _saved(
        GroupMembership(
            group=group,
            person=person,
            role=GroupMembership.Role.CHAIR,
            organisation=person.organisation,
            start=group.established,
            end=group.ends,
        )
    )


def _board_attendees(board: Board) -> list[Person]:
    """Who attended the Board's meetings: the chair, the manager and one person from each
    member organisation (the demo's people first, else a representative)."""
    start, end = board.financial_year_bounds(YEAR)
    members = (
        BoardMembership.objects.filter(board=board)
        .filter(Q(start__isnull=True) | Q(start__lte=end))
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("organisation")
    )
    people = {person.organisation_id: person for person in board.people.order_by("-pk")}
    representatives = {organisation: rest for organisation, *rest in REPRESENTATIVES}
    attendees = [board.chair] if board.chair else []
    manager = Person.objects.filter(user__email=MANAGER).first()
    if manager is not None:
        attendees.append(manager)
    for membership in members:
        organisation = membership.organisation
        if manager is not None and organisation.pk == manager.organisation_id:
            continue
        person = people.get(organisation.pk)
        if person is None and organisation.name in representatives:
            person = _person(board, *representatives[organisation.name], organisation.name)
        if person is not None:
            attendees.append(person)
    return attendees


def _meetings(board: Board) -> None:
    """The meetings each of the board's groups held in 2017/18 (once), attended by the
    board's members (the Board) or the group's members."""
    if Meeting.objects.for_board(board).between(*board.financial_year_bounds(YEAR)).exists():
        return
    groups = {group.name: group for group in Group.objects.filter(name__in=MEETINGS)}
    board_attendees = _board_attendees(board)
    for name, days in MEETINGS.items():
        group = groups.get(name)
        if group is None:
            continue
        attendees = board_attendees
        if name != BOARD_GROUP:
            attendees = [m.person for m in group.memberships.select_related("person")]
        for day in days:
            meeting = _saved(
                Meeting(
                    group=group,
                    date=day,
                    status=Meeting.Status.HELD,
                    quorate=True,
                    summary=MEETING_SUMMARY,
                )
            )
            meeting.attendees.set(attendees)


def _strategic_plan(board: Board) -> StrategicPlan:
    """The strategic plan covering 2017/18 and 2018/19, with Local Healthwatch and the
    community consulted: the board's own if it has one covering 2018/19, else this one."""
    plan = StrategicPlan.objects.filter(board=board, title=STRATEGIC_TITLE).first()
    if plan is None:
        plan = (
            StrategicPlan.objects.filter(
                board=board, first_year__lte=YEAR + 1, last_year__gte=YEAR + 1
            )
            .order_by("first_year", "pk")
            .first()
        )
    if plan is None:
        plan = _saved(StrategicPlan(board=board, title=STRATEGIC_TITLE, **STRATEGIC_PLAN))
        for number, title, description, principles in STRATEGIC_PRIORITIES:
            _saved(
                StrategicPriority(
                    plan=plan,
                    number=number,
                    title=title,
                    description=description,
                    principles=principles,
                )
            )
    consulted = set(plan.consultations.values_list("consultee", flat=True))
    for consultee, who, day, summary, changed in CONSULTATIONS:
        if consultee not in consulted:
            _saved(
                ConsultationRecord(
                    plan=plan,
                    consultee=consultee,
                    who=who,
                    consulted_on=day,
                    summary=summary,
                    what_changed=changed,
                )
            )
    return plan


def _periods(board: Board, by: User | None) -> ReportingPeriod | None:
    """2017/18's quarters (set up once); returns Q4."""
    first_day, last_day = board.financial_year_bounds(YEAR)
    if not ReportingPeriod.objects.for_board(board).covering(first_day).exists():
        periods = plan_services.set_up_year(
            board=board, year=YEAR, updates_due_days_before_end=14, by=by
        )
        for period in periods:
            period.exec_meeting_date = period.end + datetime.timedelta(days=21)
            period.save(update_fields=["exec_meeting_date"])
    return ReportingPeriod.objects.for_board(board).covering(last_day).first()


def _chair_login(group: Group | None) -> User | None:
    if group is None:
        return None
    chair = group.memberships.filter(role=GroupMembership.Role.CHAIR).select_related("person")
    chair = chair.order_by("-start", "pk").first()
    return chair.person.user if chair is not None else None


def _rate(plan: BusinessPlan, period: ReportingPeriod, manager: User | None) -> None:
    """Each priority's Q4 rating: proposed by its delivery group's chair, decided by the
    board's executive member, dated after the quarter as it happened."""
    decider = User.objects.filter(email=EXECUTIVE).first() or manager
    priorities = {
        p.ref: p for p in Priority.objects.filter(plan=plan).select_related("delivery_group")
    }
    proposed_on = period.end + datetime.timedelta(days=7)
    decided_on = period.exec_meeting_date or period.end + datetime.timedelta(days=21)
    for ref, rating, comments in RATINGS:
        priority = priorities.get(ref)
        if priority is None:
            continue
        proposer = _chair_login(priority.delivery_group) or manager
        if proposer is None or decider is None or proposer == decider:
            continue
        assessment = cycle.start_assessment(priority=priority, period=period, by=proposer)
        assessment = cycle.propose(
            assessment=assessment, by=proposer, comments=comments, proposed_rating=rating
        )
        assessment = cycle.decide(
            assessment=assessment,
            by=decider,
            executive_comments="Agreed by the Board's executive.",
            decided_rating=rating,
        )
        steps = [(period.end, proposer), (proposed_on, proposer), (decided_on, decider)]
        rows = list(assessment.history.order_by("history_id"))
        for row, (day, user) in zip(rows, steps, strict=False):
            row.history_date, row.history_user = _at(day), user
            row.save(update_fields=["history_date", "history_user"])
        RagAssessment.objects.filter(pk=assessment.pk).update(
            proposed_at=_at(proposed_on), decided_at=_at(decided_on)
        )


def _business_plan(stdout, board: Board, strategic: StrategicPlan, manager: User | None) -> None:
    """Leicester SAB's 2017/18 plan, through the import: rated for Q4 2017/18, then archived
    (the 2018/19 plan replaced it)."""
    if BusinessPlan.objects.filter(board=board, title=PLAN_TITLE).exists():
        return
    result = import_plan(
        board=board,
        plan_title=PLAN_TITLE,
        data=lsab_plan_csv(YEAR),
        filename=f"lsab-plan-{YEAR}.csv",
        by=manager,
    )
    plan = result.plan
    first_day, _ = board.financial_year_bounds(YEAR)
    plan.status = PlanStatus.APPROVED
    plan.period = board.financial_year_label(YEAR)
    plan.effective_from = first_day
    plan.approved_on = D(2017, 3, 22)
    plan.strategic_plan = strategic
    plan.save(update_fields=["status", "period", "effective_from", "approved_on", "strategic_plan"])
    period = _periods(board, manager)
    if period is not None:
        _rate(plan, period, manager)
    plan.status = PlanStatus.ARCHIVED
    plan.archived_on = D(2018, 4, 1)
    plan.save(update_fields=["status", "archived_on"])
    _say(stdout, f"Imported {PLAN_TITLE} for {board.short_name}: {result.summary()}.")


def _figures_csv(year: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(figures.HEADER)
    this_year = year == YEAR
    for dimension, category, now, before in FIGURES:
        counts = now if this_year else before
        writer.writerow([dimension.value, category, *("" if n is None else n for n in counts), ""])
    writer.writerow(
        [Dimension.TOTALS.value, "Total Other Enquiries", "", "", OTHER_ENQUIRIES[year]]
    )
    return out.getvalue().encode("utf-8")


def _import_figures(board: Board, manager: User | None) -> None:
    for year in (YEAR, YEAR - 1):
        if not SafeguardingFigure.objects.for_board(board).filter(year=year).exists():
            figures.import_figures(
                board=board, year=year, file=io.BytesIO(_figures_csv(year)), by=manager
            )


def _sections(report: AnnualReport) -> None:
    groups = {group.name: group for group in Group.objects.for_board(report.board)}
    existing = {(s.part, s.title, s.group_id): s for s in report.sections.all()}
    for order, (part, group_name, title, body) in enumerate(SECTIONS):
        group = groups.get(group_name) if group_name else None
        if group_name and group is None:
            continue
        section = existing.get((part, title, group.pk if group else None))
        if section is None:
            section = ReportSection(report=report, part=part, group=group, title=title)
        elif section.body == body and section.order == order:
            continue
        section.body, section.order = body, order
        _saved(section)


def _statements(report: AnnualReport) -> None:
    """An accepted statement from each organisation that was a member in the year."""
    start, end = report.bounds
    members = (
        BoardMembership.objects.filter(board=report.board)
        .filter(Q(start__isnull=True) | Q(start__lte=end))
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("organisation")
    )
    asked = set(report.statements.values_list("organisation_id", flat=True))
    leads = {
        row.organisation_id: row.user
        for row in report.board.role_assignments.filter(
            role=RoleAssignment.Role.PARTNER_LEAD
        ).select_related("user")
    }
    for membership in members:
        organisation = membership.organisation
        if organisation.pk in asked:
            continue
        asked.add(organisation.pk)
        text = STATEMENTS.get(organisation.name) or DEFAULT_STATEMENT.format(name=organisation.name)
        _saved(
            PartnerStatement(
                report=report,
                organisation=organisation,
                status=PartnerStatement.Status.ACCEPTED,
                due=STATEMENT_DUE,
                text=text,
                requested_at=_at(D(2018, 4, 9)),
                submitted_at=_at(D(2018, 5, 2)),
                submitted_by=leads.get(organisation.pk),
            )
        )


def _report(board: Board) -> AnnualReport:
    values = {
        "author": AUTHOR,
        "report_date": REPORT_DATE,
        "foreword": FOREWORD,
        "foreword_by": FOREWORD_BY,
        "executive_summary": EXECUTIVE_SUMMARY,
        "introduction": INTRODUCTION,
        "easy_read_note": EASY_READ_NOTE,
    }
    report = AnnualReport.objects.filter(board=board, year=YEAR).first()
    if report is None:
        report = AnnualReport(board=board, year=YEAR, created_at=_at(D(2018, 4, 3)))
    elif report.is_settled or all(getattr(report, k) == v for k, v in values.items()):
        return report
    for name, value in values.items():
        setattr(report, name, value)
    return _saved(report)


def _publish(stdout, report: AnnualReport, manager: User | None) -> None:
    """Approve (refused while a statutory item is missing), publish once, then record the
    copies sent."""
    if report.status in {AnnualReport.Status.DRAFT, AnnualReport.Status.IN_REVIEW}:
        report = annual_services.approve(report=report, by=manager)
        AnnualReport.objects.filter(pk=report.pk).update(approved_at=_at(D(2018, 6, 27)))
    if not Publication.objects.of(report).exists():
        report.refresh_from_db()
        publication = services.store_publication(
            source=report, rendered=rendering.render(report), by=manager
        )
        _say(
            stdout,
            f"Published {report} ({publication.page_count} pages, {publication.pdf_size} bytes).",
        )
    sent = set(report.distributions.values_list("recipient", flat=True))
    for recipient, name, day, method in DISTRIBUTION:
        if recipient not in sent:
            annual_services.record_distribution(
                report=report,
                recipient=recipient,
                name=name,
                sent_on=day,
                method=method,
                by=manager,
            )


def seed(stdout=None) -> None:
    board = Board.objects.filter(slug="lsab").first()
    if board is None:
        return
    manager = User.objects.filter(email=MANAGER).first()
    _trilogy_chair(board)
    _meetings(board)
    strategic = _strategic_plan(board)
    _business_plan(stdout, board, strategic, manager)
    _import_figures(board, manager)
    report = _report(board)
    if not report.is_settled:
        _sections(report)
        _statements(report)
    _publish(stdout, report, manager)
