"""Demonstration data: a small, realistic and deterministic region for trying the console.

``load_demo(password)`` (``flask demo load``) builds two territories of Yugra with two centres each, their units,
partner organisations of every kind, the reference lists of DOMAIN.md §2, sixty citizens with appeals, consents,
households and programmes in every status and stage, measures of every kind, stage checklists, control events,
commissions with their decisions, last month's reports, and one demo user per role per centre.

Everything comes from ``random.Random(SEED)`` and from dates counted back from ``app.platform.clock.today()``, so the
picture is the same on every run and always looks current: some programmes are at their 3-month point, some end
within two weeks, some were extended by the commission, and some were closed for each of the closure reasons.

A second run changes nothing and returns the counts. ``reset=True`` first deletes all case and reference data
(the rows of every console table, the audit log and reminders included; Flask-AppBuilder's security tables are left
alone) and the demo users; the ``admin`` account is kept, since it may be the deployer's own (``flask fab
create-admin``). Other users keep their staff profiles without a centre, unit or territory.

All demo users share one password hash (one scrypt run instead of twenty): fine for a published demo password.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import generate_password_hash

from app.domain import roles
from app.domain.choices import (
    CHECKLIST,
    AppealChannel,
    AppealDecision,
    ClosureReason,
    CommitteeKind,
    ControlDecision,
    ControlKind,
    DecisionKind,
    DisabilityGroup,
    DocumentKind,
    FamilyStatus,
    GrantReason,
    MeasureKind,
    MeasureStatus,
    MemberRole,
    OrganisationKind,
    OutcomeCriterion,
    ProgrammeStatus,
    Sex,
    WorkLimitation,
)
from app.domain.roles import CASE_ROLES
from app.domain.rules import (
    add_months,
    interim_due,
    max_end_date,
    monitoring_due,
    reporting_month,
    stage_of,
    term_end,
    term_lines,
)
from app.domain.validation import normalize_snils, snils_checksum
from app.extensions import db
from app.models import (
    Appeal,
    AppealDocument,
    Category,
    Centre,
    ChecklistItem,
    Circumstance,
    Citizen,
    Committee,
    CommitteeDecision,
    CommitteeMember,
    Consent,
    ControlEvent,
    HouseholdMember,
    Measure,
    MeasureReport,
    MonthlyReport,
    Organisation,
    Programme,
    ProgrammeOutcome,
    StaffProfile,
    Territory,
    Unit,
)
from app.models.policy import policy_of
from app.platform.clock import today as regional_today
from app.platform.clock import zone
from app.reporting import fill_report, submit_report
from app.security.grants import all_role_names, granted_case_roles, record_confirmed

SEED = 2026
ADMIN_USERNAME = "admin"
EMAIL_DOMAIN = "example.org"

# --- places -----------------------------------------------------------------------------------------------------

# The data tables below use one-letter aliases of the code lists (K, M, F, P, R, T, D) to stay short.
K = OrganisationKind


class TerritorySpec(NamedTuple):
    name: str
    phone_prefix: str  # a staff phone is prefix + "-NN"
    working_group: str
    organisations: tuple[tuple[OrganisationKind, str], ...]


class CentreSpec(NamedTuple):
    territory: int  # index into TERRITORIES
    name: str
    short_name: str
    address: str
    phone_prefix: str  # the centre's phone is prefix + "-00", its staff prefix + "-1N"
    email: str
    localities: tuple[str, ...]  # where its citizens live: "postcode, place"


TERRITORIES: tuple[TerritorySpec, ...] = (
    TerritorySpec(
        name="Управление социальной защиты населения по г. Сургуту и Сургутскому району",
        phone_prefix="+7 (3462) 52-40",
        working_group="Межведомственная рабочая группа по социальному сопровождению граждан при Управлении "
        "социальной защиты населения по г. Сургуту и Сургутскому району",
        organisations=(
            (K.HEALTH, "БУ «Сургутская городская клиническая поликлиника № 1»"),
            (K.HEALTH, "БУ «Сургутская клиническая психоневрологическая больница»"),
            (K.HEALTH, "БУ «Лянторская городская больница»"),
            (K.EDUCATION, "МБОУ «Средняя общеобразовательная школа № 10» г. Сургута"),
            (K.EDUCATION, "БУ «Сургутский политехнический колледж»"),
            (K.EMPLOYMENT, "КУ «Сургутский центр занятости населения»"),
            (K.CULTURE_SPORT, "МАУ «Городской культурный центр» г. Сургута"),
            (K.CULTURE_SPORT, "МАУ «Ледовый дворец спорта» г. Сургута"),
            (K.POLICE, "УМВД России по г. Сургуту"),
            (K.POLICE, "ОМВД России по Сургутскому району"),
            (K.SOCIAL_SERVICE, "БУ «Центр социальной помощи семье и детям «Зазеркалье»"),
            (K.NGO, "Сургутская городская организация Всероссийского общества инвалидов"),
            (K.NGO, "АНО «Центр помощи семье «Доверие»"),
            (K.OTHER, "КУ «Центр социальных выплат Югры», филиал в г. Сургуте"),
            (K.OTHER, "Отдел опеки и попечительства Администрации г. Сургута"),
        ),
    ),
    TerritorySpec(
        name="Управление социальной защиты населения по г. Ханты-Мансийску и Ханты-Мансийскому району",
        phone_prefix="+7 (3467) 32-25",
        working_group="Межведомственная рабочая группа по социальному сопровождению граждан при Управлении "
        "социальной защиты населения по г. Ханты-Мансийску и Ханты-Мансийскому району",
        organisations=(
            (K.HEALTH, "БУ «Окружная клиническая больница» (г. Ханты-Мансийск)"),
            (K.HEALTH, "БУ «Ханты-Мансийская клиническая психоневрологическая больница»"),
            (K.HEALTH, "БУ «Ханты-Мансийская районная больница»"),
            (K.EDUCATION, "МБОУ «Средняя общеобразовательная школа № 3» г. Ханты-Мансийска"),
            (K.EDUCATION, "БУ «Ханты-Мансийский технолого-педагогический колледж»"),
            (K.EMPLOYMENT, "КУ «Ханты-Мансийский центр занятости населения»"),
            (K.CULTURE_SPORT, "МБУ «Культурно-досуговый центр «Октябрь» г. Ханты-Мансийска"),
            (K.CULTURE_SPORT, "МБУ «Спортивный комплекс «Дружба» г. Ханты-Мансийска"),
            (K.POLICE, "МО МВД России «Ханты-Мансийский»"),
            (K.SOCIAL_SERVICE, "БУ «Ханты-Мансийский реабилитационный центр»"),
            (K.NGO, "Ханты-Мансийская городская организация ветеранов (пенсионеров) войны и труда"),
            (K.NGO, "АНО «Социальный центр «Рука помощи»"),
            (K.OTHER, "КУ «Центр социальных выплат Югры», филиал в г. Ханты-Мансийске"),
            (K.OTHER, "Отдел опеки и попечительства Администрации Ханты-Мансийского района"),
        ),
    ),
)

_BU = "Бюджетное учреждение Ханты-Мансийского автономного округа – Югры"

CENTRES: tuple[CentreSpec, ...] = (
    CentreSpec(
        territory=0,
        name=f"{_BU} «Сургутский районный комплексный центр социального обслуживания населения»",
        short_name="Сургутский районный КЦСОН",
        address="628400, г. Сургут, ул. Юности, д. 8",
        phone_prefix="+7 (3462) 52-11",
        email="surgut-rkcson@example.org",
        localities=(
            "628449, Сургутский район, г. Лянтор",
            "628456, Сургутский район, пгт Фёдоровский",
            "628433, Сургутский район, пгт Белый Яр",
            "628430, Сургутский район, с. Угут",
        ),
    ),
    CentreSpec(
        territory=0,
        name=f"{_BU} «Сургутский комплексный центр социального обслуживания населения»",
        short_name="Сургутский КЦСОН",
        address="628418, г. Сургут, пр. Мира, д. 44",
        phone_prefix="+7 (3462) 35-27",
        email="surgut-kcson@example.org",
        localities=("628400, г. Сургут", "628403, г. Сургут", "628416, г. Сургут", "628418, г. Сургут"),
    ),
    CentreSpec(
        territory=1,
        name=f"{_BU} «Ханты-Мансийский комплексный центр социального обслуживания населения»",
        short_name="Ханты-Мансийский КЦСОН",
        address="628011, г. Ханты-Мансийск, ул. Калинина, д. 51",
        phone_prefix="+7 (3467) 33-18",
        email="hmansiysk-kcson@example.org",
        localities=("628011, г. Ханты-Мансийск", "628012, г. Ханты-Мансийск", "628007, г. Ханты-Мансийск"),
    ),
    CentreSpec(
        territory=1,
        name=f"{_BU} «Ханты-Мансийский районный комплексный центр социального обслуживания населения»",
        short_name="Ханты-Мансийский районный КЦСОН",
        address="628002, г. Ханты-Мансийск, ул. Гагарина, д. 214",
        phone_prefix="+7 (3467) 35-02",
        email="hmansiysk-rkcson@example.org",
        localities=(
            "628520, Ханты-Мансийский район, п. Горноправдинск",
            "628535, Ханты-Мансийский район, с. Селиярово",
            "628515, Ханты-Мансийский район, п. Кышик",
            "628532, Ханты-Мансийский район, п. Луговской",
        ),
    ),
)

CONSULTATIVE_UNIT, URGENT_UNIT = 0, 1
UNITS: tuple[str, ...] = ("Консультативное отделение", "Отделение срочного социального обслуживания")

STREETS: tuple[str, ...] = (
    "ул. Ленина",
    "ул. Мира",
    "ул. Энергетиков",
    "ул. Комсомольская",
    "ул. Набережная",
    "ул. Школьная",
    "ул. Строителей",
    "ул. Молодёжная",
    "ул. Геологов",
    "ул. Советская",
    "ул. Северная",
    "ул. Таёжная",
)

# --- people -----------------------------------------------------------------------------------------------------

SURNAMES: tuple[str, ...] = (  # masculine forms; the feminine adds «а»
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров",
    "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов",
    "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов",
    "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Гусев", "Киселёв",
    "Ильин", "Максимов", "Поляков", "Сорокин", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков",
    "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Сайнахов", "Молданов", "Тарлин", "Кондин",
)  # fmt: skip
MALE_NAMES: tuple[str, ...] = (
    "Александр", "Алексей", "Андрей", "Анатолий", "Виктор", "Владимир", "Геннадий", "Дмитрий", "Евгений",
    "Иван", "Игорь", "Константин", "Максим", "Михаил", "Николай", "Олег", "Павел", "Роман", "Сергей", "Юрий",
    "Артём", "Денис", "Вячеслав", "Валерий",
)  # fmt: skip
FEMALE_NAMES: tuple[str, ...] = (
    "Анна", "Валентина", "Галина", "Екатерина", "Елена", "Зинаида", "Ирина", "Любовь", "Людмила", "Марина",
    "Мария", "Надежда", "Наталья", "Нина", "Ольга", "Светлана", "Татьяна", "Юлия", "Вера", "Тамара", "Дарья",
    "Ксения", "Алёна", "Раиса",
)  # fmt: skip
PATRONYMICS: tuple[tuple[str, str], ...] = (  # (masculine, feminine)
    ("Александрович", "Александровна"),
    ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"),
    ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"),
    ("Геннадьевич", "Геннадьевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"),
    ("Юрьевич", "Юрьевна"),
    ("Васильевич", "Васильевна"),
    ("Анатольевич", "Анатольевна"),
    ("Фёдорович", "Фёдоровна"),
)
MOBILE_CODES: tuple[str, ...] = ("902", "904", "908", "912", "922", "932", "950", "982", "999")
FAMILY_STATUS_OTHER: tuple[str, ...] = (
    "временно проживает у знакомых",
    "проживает в общежитии, родственники в другом регионе",
    "снимает комнату вместе с несовершеннолетним ребёнком",
    "проживает в гражданском браке",
)
WORK_PLACES: tuple[str, ...] = (
    "ПАО «Сургутнефтегаз», оператор по добыче нефти",
    "МУП «Горводоканал», слесарь",
    "ИП Морозова, продавец",
    "АО «ЮТэйр», техник",
    "МБДОУ «Детский сад № 5», воспитатель",
    "не работает",
)
DISABLED_GROUPS: tuple[DisabilityGroup, ...] = (  # in turn for the citizens of the category «Инвалиды»
    DisabilityGroup.GROUP_2,
    DisabilityGroup.CHILD,
    DisabilityGroup.GROUP_1,
    DisabilityGroup.GROUP_3,
)
WORK_LIMITATION: dict[str, WorkLimitation] = {
    DisabilityGroup.GROUP_1: WorkLimitation.DEGREE_3,
    DisabilityGroup.GROUP_2: WorkLimitation.DEGREE_2,
    DisabilityGroup.GROUP_3: WorkLimitation.DEGREE_1,
}

# --- reference lists (DOMAIN.md §2) -----------------------------------------------------------------------------

SELF_CARE, DISABLED_RELATIVE, CHILD_ADAPTATION, NO_CARE, FAMILY_CONFLICT, NO_HOME, NO_WORK, OTHER_REGIONAL = range(8)
CIRCUMSTANCES: tuple[str, ...] = (  # 442-ФЗ art. 15, in the order of SELF_CARE … OTHER_REGIONAL
    "Полная или частичная утрата способности либо возможности осуществлять самообслуживание, самостоятельно "
    "передвигаться, обеспечивать основные жизненные потребности в силу заболевания, травмы, возраста или наличия "
    "инвалидности",
    "Наличие в семье инвалида или инвалидов, в том числе ребёнка-инвалида или детей-инвалидов, нуждающихся в "
    "постоянном постороннем уходе",
    "Наличие ребёнка или детей, в том числе находящихся под опекой или попечительством, испытывающих трудности в "
    "социальной адаптации",
    "Отсутствие возможности обеспечения ухода, в том числе временного, за инвалидом, ребёнком, детьми, а также "
    "отсутствие попечения над ними",
    "Наличие внутрисемейного конфликта, в том числе с лицами с наркотической или алкогольной зависимостью, лицами, "
    "имеющими пристрастие к азартным играм, лицами, страдающими психическими расстройствами, наличие насилия в семье",
    "Отсутствие определённого места жительства, в том числе у лица, не достигшего возраста двадцати трёх лет и "
    "завершившего пребывание в организации для детей-сирот и детей, оставшихся без попечения родителей",
    "Отсутствие работы и средств к существованию",
    "Наличие иных обстоятельств, которые нормативными правовыми актами автономного округа признаны ухудшающими или "
    "способными ухудшить условия жизнедеятельности граждан",
)

M = MeasureKind


class MeasureSpec(NamedTuple):
    kind: MeasureKind
    title: str
    partner: OrganisationKind | None  # kind of the partner organisation taking part, if any
    participants: str
    result: str


class Profile(NamedTuple):
    """A category of recipients with what is typical for it: age, circumstances, problems, measures, results."""

    key: str
    category: str
    ages: tuple[int, int]
    circumstances: tuple[int, ...]
    family_statuses: tuple[FamilyStatus, ...]
    cases: tuple[tuple[str, str], ...]  # (reason of the appeal, main problems requiring a solution)
    goals: str
    measures: tuple[MeasureSpec, ...]
    outcomes: tuple[OutcomeCriterion, ...]
    results: str
    citizen_words: str
    recommendations: str


F = FamilyStatus
PROFILES: tuple[Profile, ...] = (
    Profile(
        key="elderly",
        category="Граждане пожилого возраста",
        ages=(66, 89),
        circumstances=(SELF_CARE, NO_CARE),
        family_statuses=(F.SINGLE, F.LIVING_ALONE, F.SINGLE_COUPLE, F.COUPLE_LIVING_ALONE, F.CLOSE_RELATIVES),
        cases=(
            (
                "Частичная утрата способности к самообслуживанию после перенесённого инсульта",
                "Нуждается в уходе и медицинской реабилитации; не обеспечен техническими средствами реабилитации.",
            ),
            (
                "Одиноко проживает, нуждается в помощи по хозяйству и в сопровождении в медицинские организации",
                "Печное отопление, нет помощи с доставкой воды и дров; родственники живут за пределами округа.",
            ),
            (
                "Задолженность по оплате жилищно-коммунальных услуг, ухудшение здоровья",
                "Не оформлены меры социальной поддержки; сниженный эмоциональный фон, социальная изоляция.",
            ),
        ),
        goals="Сохранение здоровья и социального статуса, обеспечение ухода и безопасных условий проживания",
        measures=(
            MeasureSpec(
                M.SOCIAL_DOMESTIC,
                "Оформление социального обслуживания на дому",
                None,
                "Отделение социального обслуживания на дому КЦСОН",
                "Заключён договор, социальный работник посещает гражданина два раза в неделю",
            ),
            MeasureSpec(
                M.MEDICAL,
                "Содействие в прохождении диспансеризации и консультации врача-гериатра",
                K.HEALTH,
                "Участковый терапевт, врач-гериатр",
                "Обследование пройдено, назначено лечение",
            ),
            MeasureSpec(
                M.HEALTH_IMPROVING,
                "Курс оздоровительных процедур в отделении социальной реабилитации",
                None,
                "Отделение социальной реабилитации КЦСОН",
                "Курс из 10 процедур пройден полностью",
            ),
            MeasureSpec(
                M.LEGAL,
                "Консультация юрисконсульта о компенсации расходов на оплату жилищно-коммунальных услуг",
                None,
                "Юрисконсульт КЦСОН",
                "Оформлена компенсация, составлен график погашения задолженности",
            ),
            MeasureSpec(
                M.SOCIAL_CULTURAL,
                "Вовлечение в клуб «Активное долголетие»",
                K.CULTURE_SPORT,
                "Клубное объединение КЦСОН, учреждение культуры",
                "Посещает занятия клуба еженедельно",
            ),
        ),
        outcomes=(OutcomeCriterion.FAMILY_SUPPORT, OutcomeCriterion.EMOTIONAL_STATE),
        results="Организован уход на дому, гражданин обеспечен средствами реабилитации, задолженность по оплате "
        "жилищно-коммунальных услуг погашена. Трудная жизненная ситуация преодолена.",
        citizen_words="Стало спокойнее: приходит социальный работник, помогли с документами и лекарствами.",
        recommendations="Проходить диспансеризацию, при ухудшении самочувствия обращаться в КЦСОН, "
        "поддерживать связь с родственниками и клубом.",
    ),
    Profile(
        key="disabled",
        category="Инвалиды",
        ages=(22, 62),
        circumstances=(SELF_CARE, DISABLED_RELATIVE, NO_CARE),
        family_statuses=(F.CLOSE_RELATIVES, F.RELATIVES, F.LIVING_ALONE, F.OTHER),
        cases=(
            (
                "Нуждается в обеспечении техническими средствами реабилитации по ИПРА",
                "Ограничена возможность самостоятельного передвижения; в подъезде нет пандуса.",
            ),
            (
                "Потеря работы после установления инвалидности",
                "Нет дохода, кроме пенсии по инвалидности; нужна работа с учётом ограничений здоровья.",
            ),
            (
                "Родственник, осуществлявший уход, выбыл на вахту; уход не обеспечен",
                "Отсутствует постоянный посторонний уход; не оформлены выплаты и льготы.",
            ),
        ),
        goals="Социальная адаптация, обеспечение доступной среды и занятости с учётом ограничений здоровья",
        measures=(
            MeasureSpec(
                M.SOCIAL_DOMESTIC,
                "Содействие в обеспечении техническими средствами реабилитации по ИПРА",
                K.OTHER,
                "Специалист по социальной работе, Социальный фонд",
                "Получены кресло-коляска и ходунки",
            ),
            MeasureSpec(
                M.SPORT,
                "Занятия адаптивной физической культурой",
                K.CULTURE_SPORT,
                "Инструктор по адаптивной физической культуре",
                "Посещает занятия два раза в неделю",
            ),
            MeasureSpec(
                M.SOCIAL_PEDAGOGICAL,
                "Обучение пользованию средствами реабилитации и навыкам самостоятельного передвижения",
                None,
                "Специалист по социальной реабилитации КЦСОН",
                "Навыки освоены",
            ),
            MeasureSpec(
                M.PEDAGOGICAL,
                "Содействие в профессиональном обучении с учётом ограничений здоровья",
                K.EDUCATION,
                "Колледж, центр занятости населения",
                "Зачисление на курсы оператора ЭВМ",
            ),
            MeasureSpec(
                M.SOCIAL,
                "Содействие в оформлении ежемесячных выплат и льгот",
                K.OTHER,
                "Центр социальных выплат",
                "Назначена ежемесячная денежная выплата",
            ),
        ),
        outcomes=(OutcomeCriterion.FAMILY_SUPPORT, OutcomeCriterion.STABLE_INCOME),
        results="Гражданин обеспечен средствами реабилитации, оформлены выплаты, организованы занятия адаптивной "
        "физкультурой. Ситуация стабилизирована.",
        citizen_words="Теперь могу сам выходить на улицу и заниматься спортом, деньги приходят вовремя.",
        recommendations="Продолжать занятия адаптивной физкультурой, своевременно проходить переосвидетельствование.",
    ),
    Profile(
        key="dependency",
        category="Взрослые с алкогольной или наркотической зависимостью, психическими заболеваниями и не имеющие "
        "постоянного места работы",
        ages=(25, 55),
        circumstances=(FAMILY_CONFLICT, NO_WORK),
        family_statuses=(F.RELATIVES, F.CLOSE_RELATIVES, F.LIVING_ALONE, F.OTHER),
        cases=(
            (
                "Злоупотребление алкоголем, утрата работы, конфликты в семье",
                "Алкогольная зависимость; нет постоянного заработка; угроза распада семьи.",
            ),
            (
                "Направлен врачом-наркологом после стационарного лечения",
                "Нуждается в поддержке ремиссии и в трудоустройстве; утрачены социальные связи.",
            ),
            (
                "Обращение родственников: систематическое употребление алкоголя, дети без надзора",
                "Родительские обязанности не выполняются; задолженность по оплате жилья.",
            ),
        ),
        goals="Формирование установки на трезвый образ жизни, восстановление семейных связей и трудовой занятости",
        measures=(
            MeasureSpec(
                M.MEDICAL,
                "Содействие в лечении у врача психиатра-нарколога",
                K.HEALTH,
                "Врач психиатр-нарколог",
                "Пройден курс лечения, установлено диспансерное наблюдение",
            ),
            MeasureSpec(
                M.SOCIAL_PSYCHOLOGICAL,
                "Занятия в группе поддержки трезвого образа жизни",
                K.NGO,
                "Психолог КЦСОН, общественная организация",
                "Посещено 8 занятий группы",
            ),
            MeasureSpec(
                M.PSYCHOLOGICAL,
                "Консультации медицинского психолога для гражданина и членов семьи",
                K.HEALTH,
                "Медицинский психолог",
                "Проведено четыре консультации, отношения в семье улучшились",
            ),
            MeasureSpec(
                M.SOCIAL,
                "Содействие в трудоустройстве через центр занятости населения",
                K.EMPLOYMENT,
                "Центр занятости населения",
                "Гражданин трудоустроен на временные работы",
            ),
            MeasureSpec(
                M.LEGAL,
                "Профилактическая беседа с участковым уполномоченным полиции",
                K.POLICE,
                "Участковый уполномоченный полиции",
                "Беседа проведена, семья на контроле",
            ),
        ),
        outcomes=(
            OutcomeCriterion.DEPENDENCE_OVERCOME,
            OutcomeCriterion.EMPLOYMENT,
            OutcomeCriterion.PARENTAL_DUTIES,
        ),
        results="Гражданин прошёл лечение, ремиссия более трёх месяцев, трудоустроен; конфликты в семье прекратились.",
        citizen_words="Не пью полгода, работаю, с детьми стало всё хорошо.",
        recommendations="Продолжать посещать группу поддержки, наблюдаться у нарколога, сохранять место работы.",
    ),
    Profile(
        key="unemployed",
        category="Безработные, нуждающиеся в предоставлении постоянного места работы",
        ages=(23, 58),
        circumstances=(NO_WORK,),
        family_statuses=(F.CLOSE_RELATIVES, F.RELATIVES, F.LIVING_ALONE, F.SINGLE),
        cases=(
            (
                "Длительно не работает, нет средств к существованию",
                "Нет работы и дохода; утрачены профессиональные навыки.",
            ),
            (
                "Сокращение с предприятия, на иждивении двое детей",
                "Нет постоянного заработка; задолженность по кредиту и оплате жилья.",
            ),
            (
                "После освобождения из мест лишения свободы не может трудоустроиться",
                "Нет работы и регистрации по месту жительства; нужна помощь с документами.",
            ),
        ),
        goals="Трудоустройство на постоянное место работы и достижение стабильного дохода",
        measures=(
            MeasureSpec(
                M.SOCIAL,
                "Содействие в постановке на учёт в центре занятости и подборе вакансий",
                K.EMPLOYMENT,
                "Центр занятости населения",
                "Гражданин зарегистрирован, выдано пять направлений на работу",
            ),
            MeasureSpec(
                M.SOCIAL_PEDAGOGICAL,
                "Профессиональная ориентация и обучение навыкам поиска работы",
                K.EMPLOYMENT,
                "Специалист по профориентации",
                "Составлено резюме, пройдено два собеседования",
            ),
            MeasureSpec(
                M.PEDAGOGICAL,
                "Содействие в профессиональном переобучении",
                K.EDUCATION,
                "Колледж",
                "Пройдено обучение по профессии «оператор котельной»",
            ),
            MeasureSpec(
                M.LEGAL,
                "Оформление государственной социальной помощи на основании социального контракта",
                K.OTHER,
                "Центр социальных выплат, юрисконсульт КЦСОН",
                "Заключён социальный контракт на поиск работы",
            ),
            MeasureSpec(
                M.SOCIAL_PSYCHOLOGICAL,
                "Психологическое консультирование по преодолению последствий длительной безработицы",
                None,
                "Психолог КЦСОН",
                "Проведено три консультации",
            ),
        ),
        outcomes=(OutcomeCriterion.EMPLOYMENT, OutcomeCriterion.STABLE_INCOME),
        results="Гражданин прошёл переобучение и трудоустроен на постоянное место работы; доход стабильный.",
        citizen_words="Нашёл работу по новой специальности, семья обеспечена.",
        recommendations="Повышать квалификацию, планировать семейный бюджет, при потере работы сразу обращаться в "
        "центр занятости.",
    ),
    Profile(
        key="care_leaver",
        category="Выпускники организаций для детей-сирот и детей, оставшихся без попечения родителей",
        ages=(18, 22),
        circumstances=(NO_HOME, NO_WORK),
        family_statuses=(F.SINGLE, F.LIVING_ALONE, F.OTHER),
        cases=(
            (
                "После выпуска из детского дома нет навыков самостоятельной жизни",
                "Не умеет планировать расходы и вести хозяйство; нет работы.",
            ),
            (
                "Не обеспечен жилым помещением специализированного жилищного фонда",
                "Нет постоянного места жительства; временно живёт у знакомых.",
            ),
            (
                "Не работает и не учится после окончания колледжа",
                "Нет работы и средств к существованию; не хватает поддержки взрослых.",
            ),
        ),
        goals="Подготовка к самостоятельной жизни, обеспечение жильём и трудоустройство",
        measures=(
            MeasureSpec(
                M.SOCIAL_DOMESTIC,
                "Обучение навыкам ведения домашнего хозяйства и планирования бюджета",
                None,
                "Специалист по социальной работе КЦСОН",
                "Навыки освоены, составлен личный бюджет",
            ),
            MeasureSpec(
                M.LEGAL,
                "Содействие в получении жилого помещения специализированного жилищного фонда",
                K.OTHER,
                "Юрисконсульт КЦСОН, отдел опеки и попечительства",
                "Гражданин включён в список на предоставление жилого помещения",
            ),
            MeasureSpec(
                M.SOCIAL,
                "Содействие в трудоустройстве на квотируемое рабочее место",
                K.EMPLOYMENT,
                "Центр занятости населения",
                "Трудоустройство по срочному трудовому договору",
            ),
            MeasureSpec(
                M.SPORT,
                "Вовлечение в занятия спортивной секции",
                K.CULTURE_SPORT,
                "Спортивное учреждение",
                "Занимается в секции три раза в неделю",
            ),
            MeasureSpec(
                M.PEDAGOGICAL,
                "Содействие в продолжении обучения в колледже",
                K.EDUCATION,
                "Колледж",
                "Восстановление на заочное отделение",
            ),
        ),
        outcomes=(OutcomeCriterion.EMPLOYMENT, OutcomeCriterion.STABLE_INCOME, OutcomeCriterion.FAMILY_SUPPORT),
        results="Гражданин получил жильё, трудоустроен, освоил навыки самостоятельной жизни.",
        citizen_words="Живу отдельно, работаю, умею распределять деньги до зарплаты.",
        recommendations="Продолжить обучение, обращаться к наставнику КЦСОН при затруднениях.",
    ),
    Profile(
        key="other",
        category="Иные граждане, находящиеся в трудной жизненной ситуации",
        ages=(25, 50),
        circumstances=(CHILD_ADAPTATION, FAMILY_CONFLICT, OTHER_REGIONAL),
        family_statuses=(F.CLOSE_RELATIVES, F.RELATIVES, F.OTHER),
        cases=(
            (
                "Многодетная семья лишилась имущества при пожаре в доме",
                "Нет жилья и вещей первой необходимости; дети пропускают занятия.",
            ),
            (
                "Насилие в семье: нуждается вместе с детьми во временном жилье и правовой помощи",
                "Угроза жизни и здоровью; нет собственного дохода; дети в стрессовом состоянии.",
            ),
            (
                "Ребёнок-подросток состоит на профилактическом учёте, конфликты в семье",
                "Трудности в воспитании подростка; пропуски занятий в школе.",
            ),
        ),
        goals="Восстановление благополучия семьи и безопасных условий жизни детей",
        measures=(
            MeasureSpec(
                M.SOCIAL_PSYCHOLOGICAL,
                "Социально-психологическая помощь семье в кризисной ситуации",
                K.SOCIAL_SERVICE,
                "Центр социальной помощи семье и детям",
                "Проведено пять встреч, семья справляется с ситуацией",
            ),
            MeasureSpec(
                M.PSYCHOLOGICAL,
                "Консультации педагога-психолога для детей и родителей",
                K.EDUCATION,
                "Педагог-психолог школы",
                "Разработан индивидуальный маршрут сопровождения ребёнка",
            ),
            MeasureSpec(
                M.SOCIAL_PEDAGOGICAL,
                "Консультирование родителей по вопросам воспитания подростков",
                None,
                "Специалист по социальной работе КЦСОН",
                "Родители посетили три занятия «Школы родителей»",
            ),
            MeasureSpec(
                M.SOCIAL_CULTURAL,
                "Организация семейного досуга, участие в культурных мероприятиях",
                K.CULTURE_SPORT,
                "Учреждение культуры",
                "Семья посетила четыре мероприятия",
            ),
            MeasureSpec(
                M.SOCIAL,
                "Содействие в получении единовременной материальной помощи",
                K.OTHER,
                "Центр социальных выплат",
                "Выплачена материальная помощь",
            ),
        ),
        outcomes=(OutcomeCriterion.PARENTAL_DUTIES, OutcomeCriterion.FAMILY_SUPPORT, OutcomeCriterion.EMOTIONAL_STATE),
        results="Семья получила помощь, конфликтная ситуация разрешена, дети посещают школу.",
        citizen_words="Мы справились, дети спокойны, знаем, куда обратиться.",
        recommendations="Поддерживать связь со школой и КЦСОН, участвовать в семейных мероприятиях.",
    ),
)
PROFILE = {profile.key: profile for profile in PROFILES}

CONSENT_SCOPE = (
    "Обработка персональных данных, в том числе сведений о состоянии здоровья и инвалидности, в целях "
    "социального сопровождения (152-ФЗ, ст. 9 и 10)"
)

# --- what happens to each citizen ---------------------------------------------------------------------------------

P, R = ProgrammeStatus, ClosureReason


class Timing(StrEnum):
    """Where a programme is in its life, counted back from today."""

    UPCOMING = "upcoming"  # a draft that starts in a few days
    FRESH = "fresh"  # started two to six weeks ago
    INTERIM = "interim"  # at its 3-month point: started 85–95 days ago
    MIDWAY = "midway"  # four to five months in
    NEAR_END = "near_end"  # ends within 14 days
    EXTENDED = "extended"  # past its six months, extended by the commission
    CLOSED = "closed"  # closed at the end of its term
    CLOSED_EARLY = "closed_early"  # closed before the end


T = Timing


class Plan(NamedTuple):
    status: ProgrammeStatus
    stage: int
    timing: Timing
    closure: ClosureReason | None = None
    profile: str | None = None  # None: the citizen's category rotates


# Every centre runs these nine programmes (their categories rotate from centre to centre) …
COMMON_PLANS: tuple[Plan, ...] = (
    Plan(P.DRAFT, 1, T.UPCOMING),
    Plan(P.ACTIVE, 1, T.FRESH),
    Plan(P.ACTIVE, 1, T.INTERIM),
    Plan(P.ACTIVE, 2, T.INTERIM),
    Plan(P.ACTIVE, 2, T.MIDWAY),
    Plan(P.ACTIVE, 2, T.NEAR_END),
    Plan(P.ACTIVE, 3, T.NEAR_END),
    Plan(P.EXTENDED, 2, T.EXTENDED),
    Plan(P.COMPLETED, 3, T.CLOSED, R.RESOLVED),
)
# … and closes two more early, so that the region shows every closure reason.
TERMINATIONS: tuple[tuple[Plan, ...], ...] = (
    (Plan(P.TERMINATED, 2, T.CLOSED_EARLY, R.MOVED), Plan(P.TERMINATED, 1, T.CLOSED_EARLY, R.REFUSED, "dependency")),
    (Plan(P.TERMINATED, 2, T.CLOSED_EARLY, R.DEATH, "elderly"), Plan(P.TERMINATED, 3, T.CLOSED, R.TERM_ENDED)),
    (
        Plan(P.TERMINATED, 1, T.CLOSED_EARLY, R.CONSENT_REVOKED, "dependency"),
        Plan(P.TERMINATED, 2, T.CLOSED_EARLY, R.OTHER, "elderly"),
    ),
    (Plan(P.TERMINATED, 2, T.CLOSED_EARLY, R.REFUSED), Plan(P.TERMINATED, 1, T.CLOSED_EARLY, R.MOVED)),
)

CLOSURE_TEXTS: dict[str, tuple[str, str]] = {  # reason → (results analysis, note)
    R.MOVED: (
        "Часть мероприятий выполнена; гражданин выехал на постоянное место жительства за пределы территории.",
        "Сведения переданы в учреждение социального обслуживания по новому месту жительства.",
    ),
    R.REFUSED: (
        "Гражданин письменно отказался от дальнейшего социального сопровождения.",
        "Разъяснено право на повторное обращение.",
    ),
    R.DEATH: (
        "Социальное сопровождение прекращено в связи со смертью гражданина.",
        "Сведения получены из органа ЗАГС.",
    ),
    R.TERM_ENDED: (
        "Срок программы истёк, трудная жизненная ситуация не преодолена; от продления гражданин отказался.",
        "Рекомендовано повторное обращение при согласии гражданина.",
    ),
    R.CONSENT_REVOKED: (
        "Гражданин отозвал согласие на обработку персональных данных; обработка прекращена, кроме предусмотренной "
        "законом.",
        "Отзыв согласия приобщён к делу.",
    ),
    R.OTHER: (
        "Гражданин поступил на стационарное социальное обслуживание.",
        "Сопровождение прекращено в связи с переводом в дом-интернат.",
    ),
}


class OpenAppeal(NamedTuple):
    """An appeal that led to no programme (yet)."""

    decision: AppealDecision
    channel: AppealChannel
    documents: tuple[DocumentKind, ...]
    consent: str  # "signed", "revoked" or "none"
    days_ago: tuple[int, int]


D = DocumentKind
APPEALS_WITHOUT_PROGRAMME: tuple[OpenAppeal, ...] = (
    OpenAppeal(
        AppealDecision.REFUSED, AppealChannel.APPLICATION, (D.APPLICATION, D.NEED_ASSESSMENT), "revoked", (30, 150)
    ),
    OpenAppeal(AppealDecision.REDIRECTED, AppealChannel.REFERRAL, (D.APPLICATION,), "signed", (20, 120)),
    OpenAppeal(
        AppealDecision.PENDING, AppealChannel.APPLICATION, (D.APPLICATION, D.LIVING_CONDITIONS), "signed", (1, 8)
    ),
    OpenAppeal(AppealDecision.PENDING, AppealChannel.IDENTIFIED, (D.LIVING_CONDITIONS,), "none", (1, 10)),
)
PROGRAMME_CHANNELS: tuple[AppealChannel, ...] = (
    AppealChannel.APPLICATION,
    AppealChannel.APPLICATION,
    AppealChannel.IDENTIFIED,
    AppealChannel.REFERRAL,
)

INTERIM_FINDINGS: tuple[tuple[ControlDecision, str], ...] = (
    (ControlDecision.CONTINUE, "Мероприятия выполняются в срок, гражданин активно участвует в их реализации."),
    (ControlDecision.CHANGE, "Часть мероприятий не выполнена из-за госпитализации гражданина; сроки скорректированы."),
)
MONITORING_FINDINGS: dict[str, str] = {
    ControlDecision.COMPLETE: "Цели программы достигнуты, гражданин справляется самостоятельно.",
    ControlDecision.EXTEND: "Положительная динамика есть, но ситуация не преодолена; гражданин просит продлить "
    "сопровождение.",
}


# --- demo users ---------------------------------------------------------------------------------------------------


class StaffSpec(NamedTuple):
    username: str  # "{n}" is the centre's or territory's number
    role: str
    position: str
    unit: int | None = None  # index into UNITS


REGIONAL_STAFF: tuple[StaffSpec, ...] = (
    StaffSpec(ADMIN_USERNAME, roles.ADMIN, "Администратор системы"),
    StaffSpec(
        "department",
        roles.DEPARTMENT,
        "Консультант отдела организации социального обслуживания граждан пожилого возраста и инвалидов "
        "Депсоцразвития Югры",
    ),
)
TERRITORY_STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("territory{n}", roles.TERRITORY, "Начальник отдела социальной поддержки населения"),
)
CENTRE_STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("director{n}", roles.DIRECTOR, "Директор"),
    StaffSpec("specialist{n}", roles.SPECIALIST, "Специалист по социальной работе", CONSULTATIVE_UNIT),
    StaffSpec("specialist{n}b", roles.SPECIALIST, "Специалист по социальной работе", URGENT_UNIT),
    StaffSpec("registrar{n}", roles.REGISTRAR, "Юрисконсульт", CONSULTATIVE_UNIT),
)


# The partner organisations' users: an employment centre of each territory, whose measures run in both of its
# territory's centres (some of them overdue)
PARTNER_STAFF: tuple[tuple[StaffSpec, str], ...] = (
    (
        StaffSpec("partner1", roles.PARTNER, "Инспектор отдела трудоустройства"),
        "КУ «Сургутский центр занятости населения»",
    ),
    (
        StaffSpec("partner2", roles.PARTNER, "Инспектор отдела трудоустройства"),
        "КУ «Ханты-Мансийский центр занятости населения»",
    ),
)
# The citizen whose consent names no transfer, so that the specialist sees «нет согласия на передачу данных в …»: the
# first one of centre 1 in accompaniment with a measure of this organisation
NO_TRANSFER_ORGANISATION = "МБОУ «Средняя общеобразовательная школа № 10» г. Сургута"


def demo_usernames() -> list[str]:
    """Every demo user name, in the order they are created."""
    names = [spec.username for spec in REGIONAL_STAFF]
    names += [spec.username.format(n=n) for n in range(1, len(TERRITORIES) + 1) for spec in TERRITORY_STAFF]
    names += [spec.username.format(n=n) for n in range(1, len(CENTRES) + 1) for spec in CENTRE_STAFF]
    names += [spec.username for spec, _ in PARTNER_STAFF]
    return names


# --- entry point --------------------------------------------------------------------------------------------------


def load_demo(password: str, reset: bool = False) -> dict[str, int]:
    """Load the demo data set once and return the row counts; ``reset`` deletes case, reference and demo users first.

    If the demo data is already there (its first territory or a demo user other than ``admin`` exists), nothing is
    changed. An existing ``admin`` is kept as it is (password included) and only gets a staff profile if it lacks one.
    """
    sm = current_app.appbuilder.sm
    sm.sync_roles()  # the demo users need them; `flask demo load` syncs them too
    if reset:
        _delete_demo(sm)
    elif _already_loaded(sm):
        return counts()
    password_hash = generate_password_hash(
        password,
        method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )
    try:
        _DemoBuilder(rng=random.Random(SEED), today=regional_today(), password_hash=password_hash).build()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts()


def counts() -> dict[str, int]:
    """Rows of each declared model's table (by table name), plus the demo users present; the journals the system
    keeps about itself (audit log, jobs, reminders: read-only and not audited) are not part of the data set."""
    session = db.session
    policies = {mapper.class_: policy_of(mapper.class_) for mapper in db.Model.registry.mappers}
    declared = [model for model, p in policies.items() if p is not None and not (p.read_only and not p.audited)]
    tables = sorted(declared, key=lambda model: model.__tablename__)
    result = {model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in tables}
    user_model = current_app.appbuilder.sm.user_model
    result["users"] = session.scalar(
        select(func.count()).select_from(user_model).where(user_model.username.in_(demo_usernames()))
    )
    return result


def _already_loaded(sm) -> bool:
    session = db.session
    if session.scalar(select(Territory.id).where(Territory.name == TERRITORIES[0].name)) is not None:
        return True
    others = [name for name in demo_usernames() if name != ADMIN_USERNAME]
    return session.scalar(select(sm.user_model.id).where(sm.user_model.username.in_(others)).limit(1)) is not None


def _delete_demo(sm) -> None:
    """Delete every console table's rows (not the security tables) and the demo users except ``admin``."""
    session = db.session
    users = session.scalars(select(sm.user_model).where(sm.user_model.username.in_(demo_usernames()))).all()
    doomed = [user for user in users if user.username != ADMIN_USERNAME]
    for table in reversed(db.metadata.sorted_tables):
        if not table.name.startswith("ab_") and table is not StaffProfile.__table__:
            session.execute(table.delete())
    session.execute(delete(StaffProfile).where(StaffProfile.user_id.in_([user.id for user in doomed])))
    # Other users keep their profiles but lose the centre, unit and territory that no longer exist.
    session.execute(update(StaffProfile).values(centre_id=None, unit_id=None, territory_id=None))
    session.expire_all()
    for user in doomed:
        if not sm.delete_user(user, commit=False):
            raise RuntimeError(f"could not delete the demo user {user.username}")


# --- small helpers ------------------------------------------------------------------------------------------------


class Person(NamedTuple):
    surname: str
    first_name: str
    patronymic: str
    sex: Sex

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first_name} {self.patronymic}"

    @property
    def short_name(self) -> str:
        """«Смирнова О. В.», as signature lines write it."""
        return f"{self.surname} {self.first_name[0]}. {self.patronymic[0]}."


class Term(NamedTuple):
    start: date
    end: date
    closed_on: date | None = None
    original_end: date | None = None  # the end before the commission extended it


class Staff(NamedTuple):
    user: object  # Flask-AppBuilder's User
    person: Person
    position: str


class CentreCases(NamedTuple):
    appeals: list[Appeal]
    programmes: list[Programme]


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def yearly_numbers(dates: Sequence[date], prefix: str = "") -> list[str]:
    """Register numbers in date order, restarting each year: «1/2026», «2/2026» … (one register per call)."""
    numbers = [""] * len(dates)
    per_year: Counter[int] = Counter()
    for index in sorted(range(len(dates)), key=lambda i: dates[i]):
        year = dates[index].year
        per_year[year] += 1
        numbers[index] = f"{prefix}{per_year[year]}/{year}"
    return numbers


def _assign_numbers(items: Sequence, date_field: str, number_field: str, prefix: str = "") -> None:
    """Number the records of one register (a journal, a centre's programmes, a committee's protocols)."""
    numbers = yearly_numbers([getattr(item, date_field) for item in items], prefix)
    for item, number in zip(items, numbers, strict=True):
        setattr(item, number_field, number)


def _done_items(status: str, stage: int, rng: random.Random) -> list[str]:
    """Ticked checklist items consistent with the stage: earlier stages complete, the current one partly."""
    if status == ProgrammeStatus.DRAFT:
        return []
    if status == ProgrammeStatus.COMPLETED:
        return [item for s in sorted(CHECKLIST) for item in CHECKLIST[s]]
    earlier = [item for s in sorted(CHECKLIST) if s < stage for item in CHECKLIST[s]]
    current = CHECKLIST[stage]
    return earlier + list(current[: rng.randint(1 if stage == 1 else 0, len(current) - 1)])


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- the builder --------------------------------------------------------------------------------------------------


@dataclass
class _DemoBuilder:
    """Adds the data set to the session; ``load_demo`` commits it."""

    rng: random.Random
    today: date
    password_hash: str
    territories: list[Territory] = field(default_factory=list)
    centres: list[Centre] = field(default_factory=list)
    units: list[list[Unit]] = field(default_factory=list)
    organisations: dict[tuple[int, str], list[Organisation]] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    circumstances: list[Circumstance] = field(default_factory=list)
    staff: dict[str, Staff] = field(default_factory=dict)  # by username
    commissions: list[Committee] = field(default_factory=list)  # one per centre
    working_groups: list[Committee] = field(default_factory=list)  # one per territory
    decisions: list[CommitteeDecision] = field(default_factory=list)
    snils_used: set[str] = field(default_factory=set)
    disabled_seen: int = 0

    def build(self) -> None:
        self._reference_lists()
        self._places()
        self._users()
        self._committees()
        for index in range(len(self.centres)):
            self._centre_cases(index)
        for committee in (*self.commissions, *self.working_groups):
            mine = [decision for decision in self.decisions if decision.committee is committee]
            _assign_numbers(mine, "meeting_date", "protocol_number")
        db.session.add_all(self.decisions)
        self._partners()
        self._reports()

    # reference lists and places

    def _reference_lists(self) -> None:
        by_name = _get_or_create(Category, [profile.category for profile in PROFILES])
        self.categories = {profile.key: by_name[profile.category] for profile in PROFILES}
        by_name = _get_or_create(Circumstance, CIRCUMSTANCES)
        self.circumstances = [by_name[name] for name in CIRCUMSTANCES]

    def _places(self) -> None:
        for t_index, spec in enumerate(TERRITORIES):
            territory = Territory(name=spec.name)
            self.territories.append(territory)
            for kind, name in spec.organisations:
                organisation = Organisation(name=name, kind=kind, territory=territory)
                self.organisations.setdefault((t_index, kind), []).append(organisation)
        for spec in CENTRES:
            centre = Centre(
                name=spec.name,
                short_name=spec.short_name,
                territory=self.territories[spec.territory],
                address=spec.address,
                phone=f"{spec.phone_prefix}-00",
                email=spec.email,
            )
            self.centres.append(centre)
            self.units.append([Unit(centre=centre, name=name) for name in UNITS])
        db.session.add_all(self.territories)
        db.session.add_all(self.centres)
        db.session.add_all([org for orgs in self.organisations.values() for org in orgs])

    def _partner(self, territory: int, kind: str | None) -> list[Organisation]:
        return [self.rng.choice(self.organisations[(territory, kind)])] if kind else []

    # people

    def _person(self, sex: Sex | None = None, family: str | None = None) -> Person:
        """A random person; ``family`` is a masculine surname to share (the feminine adds «а»)."""
        sex = sex or self.rng.choice((Sex.MALE, Sex.FEMALE))
        female = sex == Sex.FEMALE
        surname = (family or self.rng.choice(SURNAMES)) + ("а" if female else "")
        first_name = self.rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        patronymic = self.rng.choice(PATRONYMICS)[1 if female else 0]
        return Person(surname, first_name, patronymic, sex)

    def _mobile(self) -> str:
        r = self.rng
        return f"+7 ({r.choice(MOBILE_CODES)}) {r.randint(200, 999)}-{r.randint(10, 99)}-{r.randint(10, 99)}"

    def _snils(self) -> str:
        while True:
            digits = str(self.rng.randint(100_000_000, 999_999_999))
            snils = normalize_snils(f"{digits}{snils_checksum(digits):02d}")
            if snils not in self.snils_used:
                self.snils_used.add(snils)
                return snils

    def _birth_date(self, age_from: int, age_to: int) -> date:
        return self.today - _days(365 * self.rng.randint(age_from, age_to) + self.rng.randint(10, 350))

    def _occupation(self, born: date) -> str:
        age = _age(born, self.today)
        if age < 7:
            return "МБДОУ «Детский сад», воспитанник"
        if age < 18:
            return "МБОУ «Средняя общеобразовательная школа», учащийся"
        return "пенсионер" if age >= 60 else self.rng.choice(WORK_PLACES)

    # users

    def _users(self) -> None:
        for spec in REGIONAL_STAFF:
            self._user(spec, spec.username)
        for n, territory in enumerate(self.territories, start=1):
            phone = f"{TERRITORIES[n - 1].phone_prefix}-10"
            for spec in TERRITORY_STAFF:
                self._user(spec, spec.username.format(n=n), phone, territory=territory)
        for n, centre in enumerate(self.centres, start=1):
            for i, spec in enumerate(CENTRE_STAFF, start=1):
                unit = self.units[n - 1][spec.unit] if spec.unit is not None else None
                phone = f"{CENTRES[n - 1].phone_prefix}-{10 + i}"
                self._user(spec, spec.username.format(n=n), phone, centre=centre, unit=unit)
            centre.director_name = self.staff[f"director{n}"].person.full_name

    def _user(self, spec: StaffSpec, username: str, phone: str | None = None, **scope) -> None:
        """Create the demo user unless it exists (``admin`` may), and give it a staff profile if it has none."""
        sm = current_app.appbuilder.sm
        person = self._person()
        user = sm.find_user(username=username)
        if user is None:
            user = sm.add_user(
                username,
                person.first_name,
                person.surname,
                f"{username}@{EMAIL_DOMAIN}",
                sm.find_role(spec.role),
                hashed_password=self.password_hash,
                commit=False,
            )
            if not user:
                raise RuntimeError(f"could not create the demo user {username}")
        if db.session.scalar(select(StaffProfile.id).where(StaffProfile.user_id == user.id)) is None:
            db.session.add(StaffProfile(user=user, position=spec.position, phone=phone, **scope))
        if all_role_names(user) & CASE_ROLES and not granted_case_roles(user):
            # the demo's access is recorded as confirmed; in a real region a second person confirms it (README)
            record_confirmed(user, GrantReason.ROLES, "demo data")
        self.staff[username] = Staff(user, person, spec.position)

    # committees

    def _committees(self) -> None:
        order_date = self.today - _days(self.rng.randint(300, 400))
        for n, centre in enumerate(self.centres, start=1):
            self.commissions.append(self._commission(n, centre, order_date))
        for t_index, territory in enumerate(self.territories):
            self.working_groups.append(self._working_group(t_index, territory, order_date - _days(30)))
        db.session.add_all([*self.commissions, *self.working_groups])

    def _commission(self, n: int, centre: Centre, order_date: date) -> Committee:
        """The centre's extension commission, formed by the director's order (S1 §6.1.3)."""
        commission = Committee(
            kind=CommitteeKind.EXTENSION_COMMISSION,
            name=f"Комиссия по продлению срока социального сопровождения ({centre.short_name})",
            centre=centre,
            order_number=f"{self.rng.randint(20, 140)}-о",
            order_date=order_date,
        )
        seats = (
            (f"director{n}", MemberRole.CHAIR),
            (f"specialist{n}", MemberRole.SECRETARY),
            (f"specialist{n}b", MemberRole.MEMBER),
            (f"registrar{n}", MemberRole.MEMBER),
        )
        for username, role in seats:
            member = self.staff[username]
            commission.members.append(
                CommitteeMember(full_name=member.person.full_name, position=member.position, role=role)
            )
        commission.members.append(CommitteeMember(full_name=self._person().full_name, position="Психолог"))
        return commission

    def _working_group(self, t_index: int, territory: Territory, order_date: date) -> Committee:
        """The territory's interagency working group: the administration and one member of every partner kind."""
        group = Committee(
            kind=CommitteeKind.WORKING_GROUP,
            name=TERRITORIES[t_index].working_group,
            territory=territory,
            order_number=str(self.rng.randint(90, 130)),
            order_date=order_date,
        )
        chair = self.staff[f"territory{t_index + 1}"].person.full_name
        group.members.append(CommitteeMember(full_name=chair, position="Начальник отдела", role=MemberRole.CHAIR))
        secretary = self._person().full_name
        group.members.append(
            CommitteeMember(full_name=secretary, position="Главный специалист", role=MemberRole.SECRETARY)
        )
        for kind in OrganisationKind:
            group.members.append(
                CommitteeMember(
                    full_name=self._person().full_name,
                    position="Представитель организации",
                    organisation=self.organisations[(t_index, kind)][0],
                )
            )
        return group

    # citizens and appeals

    def _centre_cases(self, index: int) -> CentreCases:
        """Fifteen citizens: one per plan with a programme, then the appeals that led to none (yet)."""
        plans = (*COMMON_PLANS, *TERMINATIONS[index])
        cases = CentreCases([], [])
        for k, plan in enumerate(plans):
            profile = PROFILE[plan.profile] if plan.profile else PROFILES[(k + index) % len(PROFILES)]
            specialist = f"specialist{index + 1}{'b' if k % 2 else ''}"
            programme = self._programme(index, self._citizen(index, profile), profile, plan, specialist)
            cases.appeals.append(programme.appeal)
            cases.programmes.append(programme)
        for k, spec in enumerate(APPEALS_WITHOUT_PROGRAMME, start=len(plans)):
            profile = PROFILES[(k + index) % len(PROFILES)]
            cases.appeals.append(self._open_appeal(self._citizen(index, profile), profile, spec))
        _assign_numbers(cases.appeals, "appeal_date", "journal_number")
        _assign_numbers(cases.programmes, "start_date", "number", prefix="ПСС-")
        db.session.add_all(cases.appeals)
        db.session.add_all(cases.programmes)
        return cases

    def _citizen(self, index: int, profile: Profile) -> Citizen:
        r = self.rng
        person = self._person(Sex.FEMALE if profile.key == "elderly" and r.random() < 0.65 else None)
        group = self._disability_group(profile)
        child = group == DisabilityGroup.CHILD
        family_status = F.CLOSE_RELATIVES if child else r.choice(profile.family_statuses)
        citizen = Citizen(
            centre=self.centres[index],
            surname=person.surname,
            first_name=person.first_name,
            patronymic=person.patronymic,
            sex=person.sex,
            birth_date=self._birth_date(*((7, 16) if child else profile.ages)),
            address=self._address(index),
            phone=None if child else self._mobile(),
            snils=self._snils() if r.random() < 0.9 else None,
            category=self.categories[profile.key],
            disability_group=group,
            work_limitation=WORK_LIMITATION.get(group, WorkLimitation.NONE),
            family_status=family_status,
            family_status_other=r.choice(FAMILY_STATUS_OTHER) if family_status == F.OTHER else None,
            circumstances=[self.circumstances[i] for i in profile.circumstances],
        )
        self._family(citizen, person, child)
        return citizen

    def _disability_group(self, profile: Profile) -> DisabilityGroup:
        if profile.key == "disabled":
            self.disabled_seen += 1
            return DISABLED_GROUPS[(self.disabled_seen - 1) % len(DISABLED_GROUPS)]
        if profile.key == "elderly":
            return self.rng.choice((DisabilityGroup.NONE, DisabilityGroup.GROUP_2, DisabilityGroup.GROUP_3))
        return DisabilityGroup.NONE

    def _address(self, index: int) -> str:
        r = self.rng
        flat = f", кв. {r.randint(1, 120)}" if r.random() < 0.75 else ""
        return f"{r.choice(CENTRES[index].localities)}, {r.choice(STREETS)}, д. {r.randint(1, 60)}{flat}"

    def _family(self, citizen: Citizen, person: Person, child: bool) -> None:
        """Household members by family status, and a legal representative for a child or an incapable adult."""
        family = person.surname.removesuffix("а") if person.sex == Sex.FEMALE else person.surname
        if child:
            mother = self._person(Sex.FEMALE, family)
            self._member(citizen, "мать", mother, citizen.birth_date - _days(365 * self.rng.randint(22, 35)))
            self._representative(citizen, mother, "мать")
            return
        if citizen.family_status in (F.SINGLE_COUPLE, F.COUPLE_LIVING_ALONE, F.CLOSE_RELATIVES, F.RELATIVES):
            spouse = self._person(Sex.MALE if person.sex == Sex.FEMALE else Sex.FEMALE, family)
            relation = "супруг" if spouse.sex == Sex.MALE else "супруга"
            self._member(citizen, relation, spouse, citizen.birth_date + _days(self.rng.randint(-1500, 1500)))
        if citizen.family_status in (F.CLOSE_RELATIVES, F.RELATIVES):
            for _ in range(self.rng.randint(0, 2)):
                kid = self._person(family=family)
                born = citizen.birth_date + _days(365 * self.rng.randint(20, 32))
                if born < self.today - _days(365):
                    self._member(citizen, "сын" if kid.sex == Sex.MALE else "дочь", kid, born)
        if citizen.disability_group == DisabilityGroup.GROUP_1 or (
            citizen.category is self.categories["elderly"] and self.rng.random() < 0.2
        ):
            self._guardian(citizen, family)

    def _guardian(self, citizen: Citizen, family: str) -> None:
        """A legal representative for an adult who cannot act alone: a grown-up child, or a parent of a young one."""
        guardian = self._person(family=family)
        if _age(citizen.birth_date, self.today) >= 55:
            relation = "дочь, опекун" if guardian.sex == Sex.FEMALE else "сын, опекун"
        else:
            relation = "мать, опекун" if guardian.sex == Sex.FEMALE else "отец, опекун"
        self._representative(citizen, guardian, relation)

    def _member(self, citizen: Citizen, relation: str, person: Person, born: date) -> None:
        citizen.household.append(
            HouseholdMember(
                relation=relation, full_name=person.full_name, birth_date=born, work_or_study=self._occupation(born)
            )
        )

    def _representative(self, citizen: Citizen, person: Person, relation: str) -> None:
        citizen.representative_name = person.full_name
        citizen.representative_relation = relation
        citizen.representative_phone = self._mobile()

    def _consent(self, citizen: Citizen, signed_on: date, revoked_on: date | None = None) -> None:
        citizen.consents.append(Consent(signed_on=signed_on, scope=CONSENT_SCOPE, revoked_on=revoked_on))

    def _appeal(
        self,
        citizen: Citizen,
        profile: Profile,
        appeal_date: date,
        channel: AppealChannel,
        decision: AppealDecision,
        documents: Sequence[DocumentKind],
    ) -> Appeal:
        reason, problems = self.rng.choice(profile.cases)
        appeal = Appeal(
            centre=citizen.centre,
            citizen=citizen,
            appeal_date=appeal_date,
            channel=channel,
            reason=reason,
            problems=problems,
            decision=decision,
        )
        for kind in documents:
            offset = 0 if kind == DocumentKind.APPLICATION else self.rng.randint(0, 3)
            appeal.documents.append(
                AppealDocument(kind=kind, document_date=min(appeal_date + _days(offset), self.today))
            )
        citizen.created_at = datetime.combine(appeal_date, time(10, 0), tzinfo=zone())
        return appeal

    def _open_appeal(self, citizen: Citizen, profile: Profile, spec: OpenAppeal) -> Appeal:
        appeal_date = self.today - _days(self.rng.randint(*spec.days_ago))
        if spec.consent != "none":
            revoked = appeal_date + _days(self.rng.randint(3, 15)) if spec.consent == "revoked" else None
            self._consent(citizen, appeal_date, min(revoked, self.today) if revoked else None)
        return self._appeal(citizen, profile, appeal_date, spec.channel, spec.decision, spec.documents)

    # programmes

    def _term(self, plan: Plan) -> Term:
        """Dates of a programme for its timing: at most 6 months, or 12 when extended (S1 §6.1.1–6.1.2)."""
        r, t = self.rng, self.today
        match plan.timing:
            case Timing.UPCOMING:
                start = t + _days(r.randint(3, 10))
            case Timing.FRESH:
                start = t - _days(r.randint(10, 45))
            case Timing.INTERIM:
                start = t - _days(r.randint(85, 95))
            case Timing.MIDWAY:
                start = t - _days(r.randint(110, 150))
            case Timing.NEAR_END:  # a full six-month term ending in 1–13 days
                start = add_months(t, -6) + _days(r.randint(2, 14))
            case Timing.EXTENDED:
                start = t - _days(r.randint(200, 250))
                return Term(start, term_end(start, r.choice((9, 10, 12))), original_end=max_end_date(start))
            case Timing.CLOSED:
                start = t - _days(r.randint(200, 320))
                end = term_end(start, r.randint(4, 6))
                closed = end if plan.closure == ClosureReason.TERM_ENDED else end - _days(r.randint(0, 7))
                return Term(start, end, closed)
            case Timing.CLOSED_EARLY:
                start = t - _days(r.randint(60, 200))
                end = max_end_date(start)
                return Term(start, end, start + _days(r.randint(30, (min(end, t) - start).days - 1)))
        return Term(start, max_end_date(start))

    def _programme(self, index: int, citizen: Citizen, profile: Profile, plan: Plan, specialist: str) -> Programme:
        term = self._term(plan)
        appeal_date = min(term.start - _days(self.rng.randint(3, 20)), self.today - _days(2))
        documents = [DocumentKind.APPLICATION, DocumentKind.NEED_ASSESSMENT]
        if self.rng.random() < 0.8:
            documents.append(DocumentKind.LIVING_CONDITIONS)
        channel = self.rng.choice(PROGRAMME_CHANNELS)
        appeal = self._appeal(citizen, profile, appeal_date, channel, AppealDecision.ENROLLED, documents)
        self._consent(citizen, appeal_date, term.closed_on if plan.closure == ClosureReason.CONSENT_REVOKED else None)
        user = self.staff[specialist].user
        programme = Programme(
            citizen=citizen,
            centre=citizen.centre,
            specialist=user,
            appeal=appeal,
            start_date=term.start,
            end_date=term.end,
            status=plan.status,
            stage=plan.stage,
            goals=profile.goals,
            created_at=datetime.combine(appeal_date, time(11, 0), tzinfo=zone()),
        )
        if plan.status != ProgrammeStatus.DRAFT:
            programme.activated_on = term.start
            self._sign(programme, index, self.staff[specialist].person)
        self._results(programme, profile, plan, term)
        self._measures(programme, profile, CENTRES[index].territory)
        self._checklist(programme, user)
        self._control_events(programme, plan, term, user)
        self._committee_decisions(index, programme, plan, term)
        return programme

    def _sign(self, programme: Programme, index: int, specialist: Person) -> None:
        citizen = programme.citizen
        programme.director_signature = self.staff[f"director{index + 1}"].person.short_name
        programme.specialist_signature = specialist.short_name
        # where a legal representative acts for the citizen (a child's mother, a guardian), the representative signs
        signer = citizen.representative_name or citizen.full_name
        surname, first_name, patronymic = signer.split()[:3]
        programme.citizen_signature = f"{surname} {first_name[0]}. {patronymic[0]}."
        programme.signed_on = programme.start_date

    def _results(self, programme: Programme, profile: Profile, plan: Plan, term: Term) -> None:
        """Extension note, closure date and reason, results table, recommendations and outcome criteria."""
        if term.original_end:
            programme.extended_from = term.original_end
            first, last = term_lines(programme.start_date, term.end, term.original_end).extension[:2]
            programme.note = f"Срок продлён по решению комиссии с {first:%d.%m.%Y} по {last:%d.%m.%Y}."
        if term.closed_on is None:
            return
        programme.closed_on = term.closed_on
        programme.closure_reason = plan.closure
        if plan.status == ProgrammeStatus.COMPLETED:
            programme.results_analysis = profile.results
            programme.citizen_words = profile.citizen_words
            programme.recommendations = profile.recommendations
            programme.outcomes = [ProgrammeOutcome(criterion=criterion) for criterion in profile.outcomes]
            return
        programme.results_analysis, programme.note = CLOSURE_TEXTS[plan.closure]
        if plan.closure in (ClosureReason.REFUSED, ClosureReason.TERM_ENDED):
            programme.recommendations = profile.recommendations

    def _last_day(self, programme: Programme) -> date:
        """The last day anything can have happened on: the closure date or today."""
        return min(programme.closed_on or self.today, self.today)

    def _measures(self, programme: Programme, profile: Profile, territory: int) -> None:
        """The profile's measures spread over the term (over the actual term for a completed programme)."""
        window_end = programme.closed_on if programme.status == ProgrammeStatus.COMPLETED else programme.end_date
        span = (window_end - programme.start_date).days
        specs = list(profile.measures)
        self.rng.shuffle(specs)
        for i, spec in enumerate(specs, start=1):
            due = programme.start_date + _days(max(1, span * i // (len(specs) + 1)))
            status, done_on = self._measure_state(programme, due)
            programme.measures.append(
                Measure(
                    title=spec.title,
                    kind=spec.kind,
                    participants_text=spec.participants,
                    organisations=self._partner(territory, spec.partner),
                    due_date=due,
                    status=status,
                    done_on=done_on,
                    result_note=spec.result if status == MeasureStatus.DONE else None,
                )
            )

    def _measure_state(self, programme: Programme, due: date) -> tuple[MeasureStatus, date | None]:
        """Status from the due date and the programme's state; a done measure gets its completion date."""
        last = self._last_day(programme)
        if programme.status == ProgrammeStatus.DRAFT:
            return MeasureStatus.PLANNED, None
        if programme.status == ProgrammeStatus.TERMINATED and due > last:
            return MeasureStatus.CANCELLED, None
        if programme.status in (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED):
            if due >= self.today:
                return (MeasureStatus.IN_PROGRESS if due <= self.today + _days(30) else MeasureStatus.PLANNED), None
            if self.rng.random() < 0.15:  # a few are late, for the overdue reminders
                return MeasureStatus.IN_PROGRESS, None
        return MeasureStatus.DONE, max(programme.start_date, min(due - _days(self.rng.randint(0, 5)), last))

    def _checklist(self, programme: Programme, specialist) -> None:
        items = _done_items(programme.status, programme.stage, self.rng)
        span = (self._last_day(programme) - programme.start_date).days
        for k, item in enumerate(items, start=1):
            done_on = programme.start_date + _days(span * k // (len(items) + 1))
            programme.checklist.append(
                ChecklistItem(stage=stage_of(item), item=item, done_on=done_on, done_by=specialist)
            )

    def _control_events(self, programme: Programme, plan: Plan, term: Term, specialist) -> None:
        """Interim assessment once three months have passed (S1 §6.3); monitoring before the end (S1 §6.4)."""
        last = self._last_day(programme)
        due = interim_due(term.start)
        if programme.status != ProgrammeStatus.DRAFT and due <= min(last, term.end):
            decision, findings = self.rng.choice(INTERIM_FINDINGS)
            held_on = min(due + _days(self.rng.randint(0, 4)), last)
            self._control_event(programme, ControlKind.INTERIM, held_on, decision, findings, specialist)
        if plan.timing == Timing.EXTENDED:
            held_on = monitoring_due(term.original_end, term.start) + _days(self.rng.randint(0, 3))
            self._control_event(programme, ControlKind.MONITORING, held_on, ControlDecision.EXTEND, None, specialist)
        elif plan.timing == Timing.CLOSED or (plan.timing == Timing.NEAR_END and plan.stage == 3):
            held_on = min(monitoring_due(term.end, term.start) + _days(self.rng.randint(0, 3)), last)
            self._control_event(programme, ControlKind.MONITORING, held_on, ControlDecision.COMPLETE, None, specialist)

    @staticmethod
    def _control_event(programme, kind, held_on, decision, findings, specialist) -> None:
        programme.control_events.append(
            ControlEvent(
                kind=kind,
                held_on=held_on,
                findings=findings or MONITORING_FINDINGS[decision],
                decision=decision,
                recorded_by=specialist,
            )
        )

    def _committee_decisions(self, index: int, programme: Programme, plan: Plan, term: Term) -> None:
        """The commission extends (S1 §6.1.3); the working group approves the measures of a complex case (S2)."""
        if plan.timing == Timing.EXTENDED:
            decision = CommitteeDecision(
                committee=self.commissions[index],
                meeting_date=term.original_end - _days(self.rng.randint(3, 10)),
                decision=DecisionKind.EXTEND,
                extend_to=term.end,
                reason="По заявлению гражданина: ситуация не преодолена, требуется завершить мероприятия.",
            )
        elif plan.timing == Timing.MIDWAY:
            decision = CommitteeDecision(
                committee=self.working_groups[CENTRES[index].territory],
                meeting_date=term.start + _days(self.rng.randint(7, 20)),
                decision=DecisionKind.APPROVE_MEASURES,
                reason="Комплекс мероприятий согласован с участниками межведомственного взаимодействия.",
            )
        else:
            return
        decision.programme = programme
        self.decisions.append(decision)

    # monthly reports

    def _reports(self) -> None:
        """Last month's reports, computed by the console's own report code: every centre but the last has
        submitted on time, the last has a draft."""
        month = reporting_month(self.today)
        db.session.flush()  # the report's figures are read from the data
        for n, centre in enumerate(self.centres, start=1):
            report = MonthlyReport(
                centre=centre,
                month=month,
                preparer_name=self.staff[f"specialist{n}"].person.full_name,
                preparer_phone=f"{CENTRES[n - 1].phone_prefix}-12",
                note="Работа организована в соответствии с приказом Депсоцразвития Югры № 425-р.",
            )
            db.session.add(report)
            fill_report(report, self.today)
            if n < len(self.centres):
                director = self.staff[f"director{n}"].user
                submit_report(report, director, self.today)
                day = min(self.today.day, self.rng.randint(3, 9))
                report.submitted_at = datetime.combine(self.today.replace(day=day), time(15, 30), tzinfo=zone())
                report.history = [{**event, "at": report.submitted_at.isoformat()} for event in report.history]

    # partner organisations

    def _partners(self) -> None:
        """The partners' users; each citizen's consent names the transfer to the organisations of the citizen's
        measures and to the territory's working group (with the phone for two citizens in three), but one's; the
        working group's decisions «утвердить мероприятия» list the measures of their programme; the programmes in
        accompaniment record their ИППСУ."""
        db.session.flush()
        by_name = {org.name: org for orgs in self.organisations.values() for org in orgs}
        # the partners' names come from a generator of their own: the rest of the data set draws what it drew before
        shared, self.rng = self.rng, random.Random(SEED + len(PARTNER_STAFF))
        for spec, name in PARTNER_STAFF:
            organisation = by_name[name]
            prefix = TERRITORIES[self.territories.index(organisation.territory)].phone_prefix
            self._user(spec, spec.username, f"{prefix}-30", organisation=organisation)
        self.rng = shared
        measures = db.session.scalars(select(Measure).join(Programme).order_by(Programme.centre_id, Measure.id)).all()
        organisations: dict[int, set[Organisation]] = {}
        for measure in measures:
            organisations.setdefault(measure.programme.citizen_id, set()).update(measure.organisations)
        left_out = next(
            (
                m.programme.citizen_id
                for m in measures
                if m.programme.centre is self.centres[0]
                and m.programme.status in (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED)
                and any(org.name == NO_TRANSFER_ORGANISATION for org in m.organisations)
            ),
            None,
        )
        for consent in db.session.scalars(select(Consent).order_by(Consent.citizen_id, Consent.id)):
            if consent.citizen_id == left_out:
                continue  # processing in the centre only
            consent.to_working_group = True
            consent.with_phone = consent.citizen_id % 3 != 0
            consent.organisations = sorted(organisations.get(consent.citizen_id, ()), key=lambda org: org.name)
        for decision in self.decisions:
            if decision.decision == DecisionKind.APPROVE_MEASURES:
                for measure in decision.programme.measures:
                    if measure.organisations:
                        measure.decision = decision
        self._partner_reports(measures, by_name)
        for measure in measures:
            programme = measure.programme
            if programme.activated_on is not None and programme.ippsu_number is None:
                programme.ippsu_number = f"{programme.centre_id}-{programme.number.removeprefix('ПСС-')}"
                programme.ippsu_date = programme.appeal.appeal_date if programme.appeal else programme.start_date

    def _partner_reports(self, measures: list[Measure], by_name: dict[str, Organisation]) -> None:
        """What the partners reported: partner1 its measures done in the last two months, partner2 that its longest
        overdue measure cannot be done."""
        open_programmes = (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED)
        for (spec, name), partner_kind in zip(PARTNER_STAFF, ("done", "cannot"), strict=True):
            organisation, user = by_name[name], self.staff[spec.username].user
            mine = [m for m in measures if organisation in m.organisations and m.programme.status in open_programmes]
            if partner_kind == "done":
                since = self.today - _days(62)
                for measure in (m for m in mine if m.status == MeasureStatus.DONE and m.done_on >= since):
                    self._report(measure, organisation, user, measure.done_on, measure.result_note)
            else:
                late = sorted((m for m in mine if m.status == MeasureStatus.IN_PROGRESS), key=lambda m: m.due_date)
                if late and late[0].due_date < self.today:
                    measure = late[0]
                    measure.status = MeasureStatus.CANNOT_BE_DONE
                    measure.result_note = "Гражданин не явился по трём приглашениям; телефон не отвечает."
                    self._report(measure, organisation, user, self.today - _days(2), measure.result_note)

    @staticmethod
    def _report(measure: Measure, organisation: Organisation, user, on: date, note: str | None) -> None:
        db.session.add(
            MeasureReport(
                measure=measure,
                organisation=organisation,
                reported_by=user,
                reported_at=datetime.combine(on, time(11, 0), tzinfo=zone()),
                reported_on=on,
                status=measure.status,
                done_on=measure.done_on,
                note=note,
            )
        )


def _get_or_create(model: type, names: Sequence[str]) -> dict[str, object]:
    """Reference rows by name, in the given order; an admin may have created some of them already."""
    existing = {row.name: row for row in db.session.scalars(select(model).where(model.name.in_(names)))}
    for order, name in enumerate(names, start=1):
        if name not in existing:
            existing[name] = model(name=name, sort_order=order)
            db.session.add(existing[name])
    return existing
