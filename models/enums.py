from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    CAPTAIN = "captain"
    REPAIRER = "repairer"
    CLEANER = "cleaner"
    STAFF = "staff"
    ADMIN = "admin"


class CareTagKind(StrEnum):
    PARTY_MEMBER = "party_member"
    HARDSHIP = "hardship"
    LIVING_ALONE = "living_alone"
    DISABILITY = "disability"


class AssetKind(StrEnum):
    LAMP = "lamp"
    PIPE = "pipe"
    CAMERA = "camera"
    DOOR = "door"
    GARDEN_BED = "garden_bed"
    OTHER = "other"


class ReportCategory(StrEnum):
    LIGHTING = "lighting"
    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    ILLEGAL_CONSTRUCTION = "illegal_construction"
    SNOW_ICE = "snow_ice"
    SANITATION = "sanitation"
    PARKING = "parking"
    PUBLIC_FACILITY = "public_facility"
    SAFETY_HAZARD = "safety_hazard"
    OTHER = "other"
