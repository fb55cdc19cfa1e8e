"""The mock's records: INAMI's SZV data (step 1) and what CSAM keeps (steps 2 to 4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SZV roles (step 1.3).
SZV_RESPONSABLE = "responsable"
SZV_CERTIFICATE_MANAGER = "gestionnaire de certificat e-Health"
SZV_ROLES = (SZV_RESPONSABLE, SZV_CERTIFICATE_MANAGER)

# What a person is for a project in CSAM access management.
GAP = "gap"
COGAP = "cogap"
USER = "user"

# Registration (step 2) states.
PENDING_SIGNATURE = "pending_signature"
ACTIVE = "active"

# Functions in the inclusion application (step 4.17).
GESTIONNAIRE = "gestionnaire"
COORDINATEUR = "coordinateur"
FUNCTIONS = (GESTIONNAIRE, COORDINATEUR)

# The secure application the manual asks to tick (4.12), and others CSAM lists beside it.
INCLUSION_APP = "projets_soins_integres"
SECURE_APPLICATIONS = (INCLUSION_APP, "ehealthbox", "mycarenet_consultation")


def utcnow() -> dt.datetime:
    """Timezone-naive UTC now, as SQLite stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Project(Base):
    """An integrated-care project, recorded by INAMI as an institution (1.1)."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inami_number: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    szv_persons: Mapped[list[SzvPerson]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="SzvPerson.id"
    )
    members: Mapped[list[Member]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Member.id"
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Registration.id"
    )
    care_providers: Mapped[list[CareProvider]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="CareProvider.id"
    )
    inclusions: Mapped[list[Inclusion]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Inclusion.id"
    )


class Person(Base):
    """A natural person known by NISS: from INAMI's records or registered in CSAM."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    niss: Mapped[str] = mapped_column(String(11), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    street: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postal_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The PIN of the simulated eID card with this NISS.
    eid_pin: Mapped[str] = mapped_column(String(12), default="1234")

    account: Mapped[Account | None] = relationship(back_populates="person", uselist=False)

    @property
    def full_name(self) -> str:
        """First name then last name, as CSAM greets people."""
        return f"{self.first_name} {self.last_name}"


class SzvPerson(Base):
    """A person INAMI attached to a project in SZV, with their SZV role (1.2, 1.3)."""

    __tablename__ = "szv_person"
    __table_args__ = (UniqueConstraint("project_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    szv_role: Mapped[str] = mapped_column(String(60))

    project: Mapped[Project] = relationship(back_populates="szv_persons")
    person: Mapped[Person] = relationship()


class Account(Base):
    """A CSAM user name and hashed password, one per NISS (4.11)."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="account")


class Registration(Base):
    """A request to designate a project's main access manager (step 2)."""

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_number: Mapped[str] = mapped_column(String(30), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    gap_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    credentials_by_post: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(30), default=PENDING_SIGNATURE)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    signed_document_received_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    project: Mapped[Project] = relationship(back_populates="registrations")
    gap_person: Mapped[Person] = relationship()


class Member(Base):
    """What a person is for a project in CSAM: main access manager, co-manager or user."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("project_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(10))
    inclusion_app: Mapped[bool] = mapped_column(Boolean, default=False)
    other_applications: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    roles: Mapped[list[Role]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Role.function"
    )

    @property
    def applications(self) -> list[str]:
        """The secure applications ticked for this member, the inclusion one first."""
        apps = [INCLUSION_APP] if self.inclusion_app else []
        return apps + [a for a in self.other_applications.split(",") if a]


class Role(Base):
    """A function in the inclusion application with its validity dates (4.17, 4.18)."""

    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("member_id", "function"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    function: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    member: Mapped[Member] = relationship(back_populates="roles")


class Letter(Base):
    """A letter CSAM sends by post: one with the user name, another with the password (2.10)."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(2000))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    delivered_by: Mapped[dt.date] = mapped_column(Date)

    person: Mapped[Person] = relationship()


class LoginSession(Base):
    """A CSAM login: the browser holds only its random id, so logging out ends it for every copy of the cookie."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    person: Mapped[Person] = relationship()


class Submission(Base):
    """A form sent once: a second «Enregistrer» or «Confirmer» of the same draft finds its first outcome."""

    __tablename__ = "submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Setting(Base):
    """A setting of the mock itself that must survive a restart, such as the date fixed on its clock."""

    __tablename__ = "mock_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


# Professions of the health care professions act (the former royal decree n° 78, «AR78») whose members reach
# the inclusion application without CSAM registration from 1 March 2018, and some that it does not cover.
AR78_PROFESSIONS = (
    "medecin",
    "pharmacien",
    "dentiste",
    "infirmier",
    "aide_soignant",
    "sage_femme",
    "kinesitherapeute",
    "ergotherapeute",
    "logopede",
    "dieteticien",
    "podologue",
    "psychologue_clinicien",
)
OTHER_PROFESSIONS = ("assistant_social", "educateur", "administratif")
PROFESSIONS = AR78_PROFESSIONS + OTHER_PROFESSIONS


class CareProvider(Base):
    """A person working for a project in INAMI's records, with their profession (AR78 or not)."""

    __tablename__ = "care_provider"
    __table_args__ = (UniqueConstraint("project_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    profession: Mapped[str] = mapped_column(String(40))

    project: Mapped[Project] = relationship(back_populates="care_providers")
    person: Mapped[Person] = relationship()

    @property
    def ar78(self) -> bool:
        """True when the profession is one the AR78 covers."""
        return self.profession in AR78_PROFESSIONS


class Inclusion(Base):
    """A patient included in a project by a «Gestionnaire», from a start date until excluded."""

    __tablename__ = "inclusion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    patient_niss: Mapped[str] = mapped_column(String(11))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    included_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    excluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="inclusions")
    included_by: Mapped[Person] = relationship(foreign_keys=[included_by_id])
    excluded_by: Mapped[Person | None] = relationship(foreign_keys=[excluded_by_id])
